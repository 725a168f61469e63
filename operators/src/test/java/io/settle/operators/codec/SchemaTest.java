package io.settle.operators.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.DisallowUnknownKeywordFactory;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.settle.operators.core.ReplayOracle;
import io.settle.operators.core.SettlementConfig;
import io.settle.operators.core.SettlementMachine;
import io.settle.operators.model.Alert;
import io.settle.operators.model.AlertType;
import io.settle.operators.model.DeadLetter;
import io.settle.operators.model.EventType;
import io.settle.operators.model.OpenBookEntry;
import io.settle.operators.model.Origin;
import io.settle.operators.model.ReasonCode;
import io.settle.operators.model.SettlementEvent;
import io.settle.operators.model.SettlementResult;
import io.settle.operators.model.SettlementStatus;
import io.settle.operators.model.Severity;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The JSON Schemas in {@code docs/schemas} against the contract's examples and against what the job
 * actually reads and writes: every kind of result, alert, open-book entry and dead letter that the
 * core produces, and the canonical encoding of every valid event, must validate; records the codec
 * rejects must fail the event schema too; outputs that drift from the schemas must fail.
 */
class SchemaTest {

    private static final Path SCHEMAS = Path.of("..", "docs", "schemas");
    private static final Path CONTRACT = Path.of("..", "docs", "contract.md");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final EventCodec CODEC = new EventCodec();
    private static final OutputCodec OUTPUT = new OutputCodec();

    private static JsonSchemaFactory factory;
    private static JsonSchema event;
    private static JsonSchema result;
    private static JsonSchema alert;
    private static JsonSchema deadLetter;
    private static JsonSchema openBook;

    /** The event schema as a validator reads it by default: {@code format} is an annotation. */
    private static JsonSchema eventFormatAsAnnotation;

    @BeforeAll
    static void loadSchemas() {
        // A misspelt keyword ("maxLenght") would be silently ignored by default: refuse it.
        JsonMetaSchema noUnknownKeywords =
                JsonMetaSchema.builder(JsonMetaSchema.getV202012())
                        .unknownKeywordFactory(DisallowUnknownKeywordFactory.getInstance())
                        .build();
        factory =
                JsonSchemaFactory.getInstance(
                        SpecVersion.VersionFlag.V202012, b -> b.metaSchema(noUnknownKeywords));
        SchemaValidatorsConfig formatsAsserted =
                SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        event = load("event.schema.json", formatsAsserted);
        result = load("result.schema.json", formatsAsserted);
        alert = load("alert.schema.json", formatsAsserted);
        deadLetter = load("dead-letter.schema.json", formatsAsserted);
        openBook = load("open-book.schema.json", formatsAsserted);
        eventFormatAsAnnotation =
                load("event.schema.json", SchemaValidatorsConfig.builder().build());
    }

    private static JsonSchema load(String name, SchemaValidatorsConfig config) {
        try (InputStream in = Files.newInputStream(SCHEMAS.resolve(name))) {
            JsonSchema schema = factory.getSchema(in, config);
            schema.initializeValidators();
            return schema;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------------------------------
    // The schemas themselves.

    @Test
    void schemasAreValidDraft202012Schemas() throws IOException {
        JsonSchema metaSchema = factory.getSchema(SchemaLocation.of(SchemaId.V202012));
        List<String> names;
        try (Stream<Path> files = Files.list(SCHEMAS)) {
            names = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(names)
                .containsExactly(
                        "alert.schema.json",
                        "dead-letter.schema.json",
                        "event.schema.json",
                        "open-book.schema.json",
                        "result.schema.json");
        for (String name : names) {
            JsonNode schema = JSON.readTree(SCHEMAS.resolve(name).toFile());
            assertThat(metaSchema.validate(schema)).as(name).isEmpty();
            assertThat(schema.path("$schema").asText())
                    .isEqualTo("https://json-schema.org/draft/2020-12/schema");
        }
    }

    @Test
    void schemaEnumsAreTheJavaEnums() throws IOException {
        JsonNode eventSchema = schemaJson("event.schema.json");
        assertThat(strings(eventSchema.at("/properties/type/enum")))
                .isEqualTo(names(EventType.values()));

        JsonNode alertSchema = schemaJson("alert.schema.json");
        assertThat(strings(alertSchema.at("/properties/type/enum")))
                .isEqualTo(names(AlertType.values()));
        assertThat(strings(alertSchema.at("/properties/severity/enum")))
                .isEqualTo(names(Severity.values()));
        List<String> critical =
                Arrays.stream(AlertType.values())
                        .filter(t -> t.severity() == Severity.CRITICAL)
                        .map(Enum::name)
                        .toList();
        assertThat(strings(alertSchema.at("/allOf/0/if/properties/type/enum"))).isEqualTo(critical);
        List<String> oncePerSettlement =
                Arrays.stream(AlertType.values())
                        .filter(AlertType::oncePerSettlement)
                        .map(Enum::name)
                        .toList();
        assertThat(strings(alertSchema.at("/allOf/1/if/properties/type/enum")))
                .isEqualTo(oncePerSettlement);

        assertThat(strings(schemaJson("dead-letter.schema.json").at("/properties/reason/enum")))
                .isEqualTo(names(ReasonCode.values()));
        assertThat(strings(schemaJson("result.schema.json").at("/properties/status/enum")))
                .isEqualTo(
                        Arrays.stream(SettlementStatus.values())
                                .filter(SettlementStatus::ended)
                                .map(Enum::name)
                                .toList());
        assertThat(strings(schemaJson("open-book.schema.json").at("/properties/status/enum")))
                .containsExactlyInAnyOrder(
                        SettlementStatus.OPEN.name(), SettlementStatus.AWAITING_BOOKING.name());
    }

    // ---------------------------------------------------------------------------------------
    // The contract's examples.

    @Test
    void contractExamplesValidate() throws IOException {
        Examples examples = Examples.read();

        assertThat(examples.events)
                .extracting(e -> e.get("eventId").asText())
                .containsExactly("b-1", "c-1", "c-2");
        assertThat(examples.results)
                .extracting(r -> r.get("resultId").asText())
                .containsExactly("FX-1:SETTLED");
        assertThat(examples.alerts)
                .extracting(a -> a.get("alertId").asText())
                .containsExactly("FX-2:DEADLINE_MISSED");
        assertThat(examples.openBook)
                .extracting(o -> o.get("status").asText())
                .containsExactly("OPEN", "AWAITING_BOOKING");
        assertThat(examples.deadLetters).isNotEmpty();

        examples.events.forEach(e -> assertValid(event, e));
        examples.results.forEach(r -> assertValid(result, r));
        examples.alerts.forEach(a -> assertValid(alert, a));
        examples.openBook.forEach(o -> assertValid(openBook, o));
        examples.deadLetters.forEach(d -> assertValid(deadLetter, d));
    }

    @Test
    void contractExampleEventsDecodeAndEncodeToValidEvents() throws IOException {
        for (JsonNode example : Examples.read().events) {
            DecodeResult decoded = CODEC.decode(example.toString(), Origin.file("contract.md", 1));
            assertThat(decoded.isValid()).as("%s", decoded).isTrue();
            String canonical = CODEC.encode(decoded.event());
            assertValid(event, canonical);
            assertThat(CODEC.decode(canonical, Origin.file("canonical", 1)).event())
                    .isEqualTo(decoded.event());
        }
    }

    /** The contract's output examples are what the core writes for the matching input. */
    @Test
    void coreWritesTheContractsOutputExamples() throws IOException {
        Examples examples = Examples.read();
        List<String> lines = new ArrayList<>();
        examples.events.forEach(e -> lines.add(e.toString()));
        lines.add(
                booked(
                                "b-2",
                                "FX-2",
                                "2026-11-25T09:30:00Z",
                                "2026-11-25T16:00:00Z",
                                leg("USD", "BANK_A", "BANK_B", "USD", "500000.00"),
                                leg("JPY", "BANK_B", "BANK_A", "JPY", "75000000"))
                        .toString());
        lines.add(
                booked(
                                "b-3",
                                "FX-3",
                                "2026-11-25T10:00:00Z",
                                "2026-11-25T12:00:00Z",
                                leg("USD", "BANK_A", "BANK_C", "USD", "250000.00"),
                                leg("GBP", "BANK_C", "BANK_A", "GBP", "197500.00"))
                        .toString());
        lines.add(
                confirmed("c-5", "FX-3", "2026-11-25T10:20:00Z", "USD", "USD", "250000.00")
                        .toString());
        lines.add(
                confirmed("c-9", "FX-4", "2026-11-25T11:30:00Z", "USD", "USD", "250000.00")
                        .toString());
        Day day = new Day("day-2026-11-25.jsonl", lines);
        assertThat(day.deadLetters).isEmpty();

        ReplayOracle.Outcome out = day.replay(Instant.parse("2026-11-25T16:00:00Z"));

        assertThat(json(out.results(), OUTPUT::result)).containsExactlyElementsOf(examples.results);
        assertThat(json(out.alerts(), OUTPUT::alert)).containsAll(examples.alerts);
        ObjectNode open = examples.openBook.get(0).deepCopy();
        open.put("eventsWaiting", 0); // this job always writes it
        assertThat(json(out.openBook(), OUTPUT::openBook))
                .containsExactlyInAnyOrder(
                        json(OUTPUT.openBook(entry(out, "FX-2"))), open, examples.openBook.get(1));
        assertEveryOutputValidates(out);
    }

    /** Dead-letter examples are what the codec makes of their raw record at their origin. */
    @Test
    void codecWritesTheContractsDeadLetterExamples() throws IOException {
        for (JsonNode example : Examples.read().deadLetters) {
            String reason = example.get("reason").asText();
            assertThat(reason)
                    .as("reproducible examples only")
                    .isNotIn(ReasonCode.CONFLICTING_DUPLICATE.name(), ReasonCode.TOO_LARGE.name());
            String raw = example.get("raw").asText();
            byte[] record =
                    example.has("encoding")
                            ? Base64.getDecoder().decode(raw)
                            : raw.getBytes(StandardCharsets.UTF_8);
            JsonNode o = example.get("origin");
            Origin origin =
                    o.has("file")
                            ? Origin.file(o.get("file").asText(), o.get("line").asLong())
                            : Origin.kafka(
                                    o.get("topic").asText(),
                                    o.get("partition").asInt(),
                                    o.get("offset").asLong());
            DecodeResult decoded = CODEC.decode(record, origin);
            assertThat(decoded.isValid()).isFalse();
            assertThat(json(OUTPUT.deadLetter(decoded.deadLetter()))).isEqualTo(example);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Everything the core writes.

    /**
     * A day with every result status, every alert type, both open-book statuses, a conflicting and
     * an exact duplicate and a broken line: every output validates.
     */
    @Test
    void everyOutputOfAReplayValidates() {
        Day day = new Day("day-2026-11-25.jsonl", everythingDay());
        Instant until = ReplayOracle.greatestEventTime(day.events);
        assertThat(until).isEqualTo(Instant.parse("2026-11-26T11:30:00Z"));

        ReplayOracle.Outcome out = day.replay(until);
        Alert late =
                SettlementMachine.lateEvent(
                        day.events.get(0), day.events.get(0).getEventTime().plusSeconds(5));

        assertThat(out.results())
                .extracting(SettlementResult::getStatus)
                .contains(
                        SettlementStatus.SETTLED,
                        SettlementStatus.CANCELLED,
                        SettlementStatus.EXPIRED);
        Set<AlertType> types =
                out.alerts().stream()
                        .map(Alert::getType)
                        .collect(Collectors.toCollection(() -> EnumSet.noneOf(AlertType.class)));
        types.add(late.getType());
        assertThat(types).containsExactlyInAnyOrder(AlertType.values());
        assertThat(out.openBook())
                .extracting(OpenBookEntry::getStatus)
                .containsExactlyInAnyOrder(
                        SettlementStatus.OPEN, SettlementStatus.AWAITING_BOOKING);
        assertThat(out.deadLetters())
                .extracting(DeadLetter::getReason)
                .containsExactly(ReasonCode.CONFLICTING_DUPLICATE);
        assertThat(out.duplicatesDropped()).isEqualTo(1);
        assertThat(day.deadLetters)
                .extracting(DeadLetter::getReason)
                .containsExactly(ReasonCode.INVALID_FIELD);

        assertEveryOutputValidates(out);
        assertValid(alert, OUTPUT.alert(late));
        day.deadLetters.forEach(d -> assertValid(deadLetter, OUTPUT.deadLetter(d)));
    }

    @Test
    void canonicalEncodingOfEveryValidEventValidates() {
        Day day = new Day("day-2026-11-25.jsonl", everythingDay());
        assertThat(day.events).hasSizeGreaterThan(20);
        for (String line : day.validLines) {
            assertValid(event, line);
        }
        for (SettlementEvent e : day.events) {
            String canonical = CODEC.encode(e);
            assertValid(event, canonical);
            assertThat(CODEC.decode(canonical, e.getOrigin()).event()).isEqualTo(e);
        }
    }

    @Test
    void deadLettersOfEveryReasonAndOriginValidate() {
        List<DeadLetter> letters = new ArrayList<>();
        Origin kafka = Origin.kafka("settle.events", 3, 18442);
        Origin file = Origin.file("day-2026-11-25.jsonl", 7);

        ObjectNode noSettlement = cancelled("x-1", "S-1", "2026-11-25T09:00:00Z", null);
        noSettlement.remove("settlementId");
        letters.add(
                rejected(
                        noSettlement.toString().getBytes(StandardCharsets.UTF_8),
                        kafka,
                        ReasonCode.MISSING_FIELD));
        ObjectNode unknownType = cancelled("x-2", "S-1", "2026-11-25T09:00:00Z", null);
        unknownType.put("type", "LEG_REVERSED");
        letters.add(rejected(unknownType.toString(), file, ReasonCode.UNKNOWN_TYPE));
        ObjectNode badAmount =
                confirmed("c-1", "S-1", "2026-11-25T09:00:00Z", "L1", "JPY", "100.0");
        letters.add(rejected(badAmount.toString(), file, ReasonCode.INVALID_FIELD));
        letters.add(rejected("{\"eventId\":", file, ReasonCode.MALFORMED_JSON));
        letters.add(rejected((byte[]) null, kafka, ReasonCode.MALFORMED_JSON)); // a tombstone

        DeadLetter notUtf8 =
                rejected(
                        new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'},
                        kafka,
                        ReasonCode.MALFORMED_JSON);
        assertThat(notUtf8.getEncoding()).isEqualTo("base64");
        letters.add(notUtf8);

        // Larger than 1 MiB: the dead letter keeps the first 64 KiB.
        ObjectNode big = cancelled("x-3", "S-1", "2026-11-25T09:00:00Z", null);
        big.put("padding", "x".repeat(EventCodec.MAX_RECORD_BYTES));
        byte[] bigRecord = big.toString().getBytes(StandardCharsets.UTF_8);
        DeadLetter tooLarge = rejected(bigRecord, kafka, ReasonCode.TOO_LARGE);
        assertThat(tooLarge.isRawTruncated()).isTrue();
        assertThat(tooLarge.getRawBytes()).isEqualTo(bigRecord.length);
        assertThat(tooLarge.getRaw()).hasSize(DeadLetter.RAW_KEEP_BYTES);
        letters.add(tooLarge);
        bigRecord[100] = (byte) 0xFF;
        DeadLetter tooLargeNotUtf8 = rejected(bigRecord, file, ReasonCode.TOO_LARGE);
        assertThat(tooLargeNotUtf8.getEncoding()).isEqualTo("base64");
        letters.add(tooLargeNotUtf8);

        // Hostile records under the size limit: 400,000 NULs (each escapes to six bytes of JSON)
        // and 1 MiB of bytes that are not UTF-8. The dead letters keep 64 KiB and stay small.
        byte[] nuls = new byte[400_000];
        DeadLetter nul = rejected(nuls, kafka, ReasonCode.MALFORMED_JSON);
        assertThat(nul.isRawTruncated()).isTrue();
        assertThat(nul.getRawBytes()).isEqualTo(nuls.length);
        assertThat(nul.getRawSha256()).isEqualTo(EventCodec.sha256(nuls, nuls.length));
        assertThat(OUTPUT.deadLetter(nul).length()).isBetween(6 * 65_536, 420_000);
        letters.add(nul);
        byte[] notText = new byte[EventCodec.MAX_RECORD_BYTES];
        java.util.Arrays.fill(notText, (byte) 0xFF);
        DeadLetter binary = rejected(notText, file, ReasonCode.MALFORMED_JSON);
        assertThat(binary.getEncoding()).isEqualTo("base64");
        assertThat(binary.isRawTruncated()).isTrue();
        assertThat(OUTPUT.deadLetter(binary).length()).isLessThan(100_000);
        letters.add(binary);

        ObjectNode mistyped = cancelled("x-4", "S-1", "2099-11-25T09:00:00Z", null);
        DecodeResult future =
                new EventCodec(java.time.Duration.ofDays(7), java.time.Clock.systemUTC())
                        .decode(mistyped.toString(), kafka);
        assertThat(future.deadLetter().getReason()).isEqualTo(ReasonCode.FUTURE_EVENT);
        letters.add(future.deadLetter());

        Day day =
                new Day(
                        "day.jsonl",
                        List.of(
                                badAmount.put("amount", "100").toString(),
                                badAmount.put("amount", "101").toString()));
        letters.addAll(day.replay(Instant.parse("2026-11-25T09:00:00Z")).deadLetters());

        // A settlement past its maximum of events: the rest are dead-lettered.
        SettlementConfig oneEvent =
                SettlementConfig.builder()
                        .maxEvents(1)
                        .replay(Instant.parse("2026-11-25T10:00:00Z"))
                        .build();
        List<SettlementEvent> two =
                List.of(
                        SettlementEvent.cancelled(
                                        "x-5", "S-5", Instant.parse("2026-11-25T09:00:00Z"), null)
                                .withOrigin(kafka),
                        SettlementEvent.cancelled(
                                        "x-6", "S-5", Instant.parse("2026-11-25T09:00:01Z"), null)
                                .withOrigin(file));
        List<DeadLetter> overLimit = new ReplayOracle(oneEvent).run(two).deadLetters();
        assertThat(overLimit)
                .extracting(DeadLetter::getReason)
                .containsExactly(ReasonCode.SETTLEMENT_LIMIT);
        letters.addAll(overLimit);

        assertThat(letters)
                .extracting(DeadLetter::getReason)
                .containsAll(EnumSet.allOf(ReasonCode.class));
        for (DeadLetter d : letters) {
            assertValid(deadLetter, OUTPUT.deadLetter(d));
        }
    }

    // ---------------------------------------------------------------------------------------
    // Input: the schema and the codec agree.

    static Stream<Arguments> recordsTheJobRejects() {
        return Stream.of(
                rejects(
                        "amount as a JSON number",
                        ReasonCode.INVALID_FIELD,
                        "/legs/0/amount",
                        b -> ((ObjectNode) b.get("legs").get(0)).put("amount", 1000.00)),
                rejects(
                        "confirmed amount as a JSON number",
                        ReasonCode.INVALID_FIELD,
                        "/amount",
                        confirmation(c -> c.put("amount", 5))),
                rejects(
                        "zero amount",
                        ReasonCode.INVALID_FIELD,
                        "/legs/0/amount",
                        leg0(l -> l.put("amount", "0.00"))),
                rejects(
                        "negative amount",
                        ReasonCode.INVALID_FIELD,
                        "/legs/0/amount",
                        leg0(l -> l.put("amount", "-5.00"))),
                rejects(
                        "amount with an exponent",
                        ReasonCode.INVALID_FIELD,
                        "/legs/0/amount",
                        leg0(l -> l.put("amount", "1e3"))),
                rejects(
                        "amount with separators",
                        ReasonCode.INVALID_FIELD,
                        "/legs/0/amount",
                        leg0(l -> l.put("amount", "1,000.00"))),
                rejects(
                        "amount of 41 characters",
                        ReasonCode.INVALID_FIELD,
                        "/legs/0/amount",
                        leg0(l -> l.put("amount", "1".repeat(41)))),
                rejects(
                        "lower-case currency",
                        ReasonCode.INVALID_FIELD,
                        "/legs/0/currency",
                        leg0(l -> l.put("currency", "usd"))),
                rejects("no legs", ReasonCode.INVALID_FIELD, "/legs", b -> b.putArray("legs")),
                rejects("17 legs", ReasonCode.INVALID_FIELD, "/legs", b -> b.set("legs", legs(17))),
                rejects(
                        "legId of 65 characters",
                        ReasonCode.INVALID_FIELD,
                        "/legs/0/legId",
                        leg0(l -> l.put("legId", "L".repeat(65)))),
                rejects(
                        "payer missing",
                        ReasonCode.MISSING_FIELD,
                        "payer",
                        leg0(l -> l.remove("payer"))),
                rejects(
                        "eventId of 129 code points",
                        ReasonCode.INVALID_FIELD,
                        "/eventId",
                        b -> b.put("eventId", "\uD83D\uDE00".repeat(129))),
                rejects(
                        "empty eventId",
                        ReasonCode.INVALID_FIELD,
                        "/eventId",
                        b -> b.put("eventId", "")),
                rejects(
                        "settlementId missing",
                        ReasonCode.MISSING_FIELD,
                        "settlementId",
                        b -> b.remove("settlementId")),
                rejects(
                        "settlementId null",
                        ReasonCode.MISSING_FIELD,
                        "/settlementId",
                        b -> b.putNull("settlementId")),
                rejects(
                        "unknown type",
                        ReasonCode.UNKNOWN_TYPE,
                        "/type",
                        b -> b.put("type", "LEG_REVERSED")),
                rejects(
                        "eventTime without an offset",
                        ReasonCode.INVALID_FIELD,
                        "/eventTime",
                        b -> b.put("eventTime", "2026-11-25T09:00:00")),
                rejects(
                        "eventTime in year 0000",
                        ReasonCode.INVALID_FIELD,
                        "/eventTime",
                        b -> b.put("eventTime", "0000-11-25T09:00:00Z")),
                rejects(
                        "eventTime as a number",
                        ReasonCode.INVALID_FIELD,
                        "/eventTime",
                        b -> b.put("eventTime", 1764061200000L)),
                rejects(
                        "deadline not an instant",
                        ReasonCode.INVALID_FIELD,
                        "/deadline",
                        b -> b.put("deadline", "tomorrow")),
                rejects(
                        "reason of 513 characters",
                        ReasonCode.INVALID_FIELD,
                        "/reason",
                        cancellation(c -> c.put("reason", "r".repeat(513)))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recordsTheJobRejects")
    void recordsTheCodecRejectsFailTheEventSchema(
            String name, ReasonCode reason, String where, String record) throws IOException {
        DecodeResult decoded = CODEC.decode(record, Origin.file("case", 1));
        assertThat(decoded.isValid()).as("%s", decoded).isFalse();
        assertThat(decoded.deadLetter().getReason()).isEqualTo(reason);
        assertInvalid(event, JSON.readTree(record), where);
    }

    static Stream<Arguments> recordsTheJobAccepts() {
        return Stream.of(
                accepts("unknown fields", b -> b.put("desk", "FX").putObject("trace").put("id", 7)),
                accepts("unknown fields in a leg", leg0(l -> l.put("note", "urgent"))),
                accepts("deadline null", b -> b.putNull("deadline")),
                accepts("no deadline", b -> b.remove("deadline")),
                accepts("an offset", b -> b.put("eventTime", "2026-11-25T10:00:00.123+01:00")),
                accepts("16 legs", b -> b.set("legs", legs(16))),
                accepts(
                        "eventId of 128 code points",
                        b -> b.put("eventId", "\uD83D\uDE00".repeat(128))),
                accepts(
                        "BHD with 3 fraction digits",
                        leg0(l -> l.put("currency", "BHD").put("amount", "1.250"))),
                accepts(
                        "JPY without fraction",
                        leg0(l -> l.put("currency", "JPY").put("amount", "150000"))),
                accepts("reason null", cancellation(c -> c.putNull("reason"))),
                accepts("empty reason", cancellation(c -> c.put("reason", ""))),
                accepts("no reason", cancellation(c -> c.remove("reason"))),
                accepts(
                        "another type's fields, ignored",
                        confirmation(
                                c -> c.put("legs", 5).put("reason", 7).put("deadline", false))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recordsTheJobAccepts")
    void recordsTheCodecAcceptsPassTheEventSchema(String name, String record) {
        DecodeResult decoded = CODEC.decode(record, Origin.file("case", 1));
        assertThat(decoded.isValid()).as("%s", decoded).isTrue();
        assertValid(event, record);
        assertValid(event, CODEC.encode(decoded.event()));
    }

    /** Seconds are optional for the job; RFC 3339 (an asserted format) requires them. */
    @Test
    void instantsWithoutSecondsAreValidUnlessFormatsAreAsserted() throws IOException {
        String record =
                booking()
                        .put("eventTime", "2026-11-25T09:00Z")
                        .put("deadline", "2026-11-25T16:00+01:00")
                        .toString();
        assertThat(CODEC.decode(record, Origin.file("case", 1)).isValid()).isTrue();
        assertValid(eventFormatAsAnnotation, record);
        assertInvalid(event, JSON.readTree(record), "/eventTime");
    }

    // ---------------------------------------------------------------------------------------
    // Outputs that drift from the schemas fail.

    @Test
    void outputsThatDriftFailTheirSchemas() {
        ReplayOracle.Outcome out =
                new Day("day-2026-11-25.jsonl", everythingDay())
                        .replay(Instant.parse("2026-11-26T11:30:00Z"));
        ObjectNode settled = json(OUTPUT.result(out.results().get(0)));
        ObjectNode anAlert = json(OUTPUT.alert(out.alerts().get(0)));
        ObjectNode conflict = json(OUTPUT.deadLetter(out.deadLetters().get(0)));
        ObjectNode open = json(OUTPUT.openBook(entry(out, "OPEN-1")));
        ObjectNode awaiting = json(OUTPUT.openBook(entry(out, "ORPH-1")));

        assertInvalid(result, with(settled, r -> r.remove("status")), "status");
        assertInvalid(result, with(settled, r -> r.put("status", "OPEN")), "/status");
        assertInvalid(result, with(settled, r -> r.put("amount", "1.00")), "amount");
        assertInvalid(
                result,
                with(settled, r -> r.put("endedAt", "2026-11-25T10:00:00+01:00")),
                "/endedAt");
        assertInvalid(result, with(settled, r -> r.putNull("parties")), "/parties");

        assertInvalid(alert, with(anAlert, a -> a.put("type", "SOMETHING_ODD")), "/type");
        assertInvalid(
                alert,
                with(anAlert, a -> a.put("type", "DEADLINE_MISSED").put("severity", "WARNING")),
                "/severity");
        assertInvalid(alert, with(anAlert, a -> a.remove("detail")), "detail");
        assertInvalid(alert, with(anAlert, a -> a.put("at", 1764061200)), "/at");

        assertInvalid(deadLetter, with(conflict, d -> d.put("rawTruncated", true)), "/rawBytes");
        assertInvalid(deadLetter, with(conflict, d -> d.remove("rawSha256")), "rawSha256");
        assertInvalid(deadLetter, with(conflict, d -> d.put("rawSha256", "ABC")), "/rawSha256");
        assertInvalid(deadLetter, with(conflict, d -> d.put("encoding", "hex")), "/encoding");
        assertInvalid(deadLetter, with(conflict, d -> d.putNull("eventId")), "/eventId");
        assertInvalid(deadLetter, with(conflict, d -> d.put("reason", "TOO_BIG")), "/reason");
        assertInvalid(deadLetter, with(conflict, d -> d.putNull("origin")), "/origin");
        assertInvalid(
                deadLetter,
                with(conflict, d -> ((ObjectNode) d.get("origin")).put("topic", "t")),
                "/origin");
        assertInvalid(
                deadLetter,
                with(conflict, d -> d.put("receivedAt", "2026-11-25T09:00:00Z")),
                "receivedAt");

        assertInvalid(openBook, with(open, o -> o.putNull("bookedAt")), "/bookedAt");
        assertInvalid(openBook, with(open, o -> o.put("eventsWaiting", 2)), "/eventsWaiting");
        assertInvalid(openBook, with(awaiting, o -> o.put("legs", 2)), "/legs");
        assertInvalid(openBook, with(awaiting, o -> o.remove("eventsWaiting")), "eventsWaiting");
        assertInvalid(openBook, with(awaiting, o -> o.put("status", "CANCELLED")), "/status");
    }

    // ---------------------------------------------------------------------------------------
    // Inputs.

    /** Every settlement path of the contract, one broken line, a conflicting and an exact copy. */
    private static List<String> everythingDay() {
        List<ObjectNode> day = new ArrayList<>();
        // Cancelled, then paid, then cancelled again.
        day.add(
                booked(
                        "b-cxl",
                        "CXL-1",
                        "2026-11-25T09:00:00Z",
                        null,
                        leg("USD", "BANK_A", "BANK_B", "USD", "10.00"),
                        leg("JPY", "BANK_B", "BANK_A", "JPY", "1500")));
        day.add(cancelled("x-cxl-1", "CXL-1", "2026-11-25T09:30:00Z", "trade amended"));
        day.add(confirmed("c-cxl", "CXL-1", "2026-11-25T10:00:00Z", "USD", "USD", "10.00"));
        day.add(cancelled("x-cxl-2", "CXL-1", "2026-11-25T10:30:00Z", null));
        // Expired, then paid, then cancelled.
        day.add(
                booked(
                        "b-exp",
                        "EXP-1",
                        "2026-11-25T08:00:00Z",
                        "2026-11-25T10:00:00Z",
                        leg("BHD", "BANK_A", "BANK_C", "BHD", "1.250"),
                        leg("USD", "BANK_C", "BANK_A", "USD", "5.00")));
        day.add(confirmed("c-exp-1", "EXP-1", "2026-11-25T09:00:00Z", "BHD", "BHD", "1.25"));
        day.add(confirmed("c-exp-2", "EXP-1", "2026-11-26T11:00:00Z", "USD", "USD", "5.00"));
        day.add(cancelled("x-exp", "EXP-1", "2026-11-26T11:30:00Z", null));
        // Settled through every integrity alert, then cancelled.
        day.add(
                booked(
                        "b-dup",
                        "DUP-1",
                        "2026-11-25T09:00:00Z",
                        "2026-11-25T17:00:00+01:00",
                        leg("L1", "BANK_A", "BANK_B", "EUR", "100.00"),
                        leg("L2", "BANK_B", "BANK_A", "GBP", "80.00")));
        day.add(
                booked(
                        "b-dup-2",
                        "DUP-1",
                        "2026-11-25T09:01:00Z",
                        null,
                        leg("L1", "BANK_A", "BANK_B", "EUR", "100.00")));
        day.add(confirmed("c-dup-unknown", "DUP-1", "2026-11-25T09:10:00Z", "L9", "EUR", "100.00"));
        day.add(confirmed("c-dup-low", "DUP-1", "2026-11-25T09:20:00Z", "L1", "EUR", "99.00"));
        day.add(confirmed("c-dup-1", "DUP-1", "2026-11-25T09:30:00Z", "L1", "EUR", "100.00"));
        day.add(confirmed("c-dup-again", "DUP-1", "2026-11-25T09:40:00Z", "L1", "EUR", "100.00"));
        day.add(confirmed("c-dup-2", "DUP-1", "2026-11-25T09:50:00Z", "L2", "GBP", "80.00"));
        day.add(cancelled("x-dup", "DUP-1", "2026-11-25T10:00:00Z", "too late"));
        day.add(
                confirmed(
                        "c-dup-1",
                        "DUP-1",
                        "2026-11-25T10:30:00+01:00",
                        "L1",
                        "EUR",
                        "100.0")); // exact copy
        day.add(
                confirmed(
                        "c-dup-2",
                        "DUP-1",
                        "2026-11-25T09:50:00Z",
                        "L2",
                        "GBP",
                        "79.00")); // conflicting
        // Never booked.
        day.add(confirmed("c-orph", "ORPH-1", "2026-11-25T12:00:00Z", "L1", "USD", "1.00"));
        day.add(cancelled("x-orph", "ORPH-1", "2026-11-25T12:30:00Z", null));
        // Booked after its deadline, with a confirmation waiting.
        day.add(confirmed("c-late", "LATE-1", "2026-11-25T11:30:00Z", "L1", "USD", "1.00"));
        day.add(
                booked(
                        "b-late",
                        "LATE-1",
                        "2026-11-25T12:00:00Z",
                        "2026-11-25T11:00:00Z",
                        leg("L1", "BANK_A", "BANK_B", "USD", "1.00"),
                        leg("L2", "BANK_B", "BANK_A", "USD", "2.00")));
        // Still open when the clock stops.
        day.add(
                booked(
                        "b-open",
                        "OPEN-1",
                        "2026-11-26T09:00:00Z",
                        null,
                        leg("L1", "BANK_D", "BANK_E", "CHF", "3.50")));

        List<String> lines = new ArrayList<>();
        day.forEach(e -> lines.add(e.toString()));
        lines.add(
                confirmed("c-broken", "OPEN-1", "2026-11-26T09:10:00Z", "L1", "CHF", "3.50")
                        .put("amount", 3.5)
                        .toString());
        return lines;
    }

    /** A replay input: the lines of a JSON Lines file, decoded as the job decodes them. */
    private static final class Day {
        final List<SettlementEvent> events = new ArrayList<>();
        final List<String> validLines = new ArrayList<>();
        final List<DeadLetter> deadLetters = new ArrayList<>();

        Day(String file, List<String> lines) {
            for (int i = 0; i < lines.size(); i++) {
                DecodeResult r = CODEC.decode(lines.get(i), Origin.file(file, i + 1));
                if (r.isValid()) {
                    events.add(r.event());
                    validLines.add(lines.get(i));
                } else {
                    deadLetters.add(r.deadLetter());
                }
            }
        }

        ReplayOracle.Outcome replay(Instant until) {
            return new ReplayOracle(SettlementConfig.builder().replay(until).build()).run(events);
        }
    }

    private static ObjectNode base(
            String eventId, EventType type, String settlementId, String eventTime) {
        ObjectNode e = NODES.objectNode();
        e.put("eventId", eventId);
        e.put("type", type.name());
        e.put("settlementId", settlementId);
        e.put("eventTime", eventTime);
        return e;
    }

    private static ObjectNode booked(
            String eventId,
            String settlementId,
            String eventTime,
            String deadline,
            ObjectNode... legs) {
        ObjectNode e = base(eventId, EventType.OBLIGATION_BOOKED, settlementId, eventTime);
        if (deadline != null) {
            e.put("deadline", deadline);
        }
        ArrayNode array = e.putArray("legs");
        Arrays.stream(legs).forEach(array::add);
        return e;
    }

    private static ObjectNode leg(
            String legId, String payer, String payee, String currency, String amount) {
        return NODES.objectNode()
                .put("legId", legId)
                .put("payer", payer)
                .put("payee", payee)
                .put("currency", currency)
                .put("amount", amount);
    }

    private static ArrayNode legs(int n) {
        ArrayNode legs = NODES.arrayNode();
        for (int i = 0; i < n; i++) {
            legs.add(leg("L" + i, "BANK_A", "BANK_B", "USD", i + ".50"));
        }
        return legs;
    }

    private static ObjectNode confirmed(
            String eventId,
            String settlementId,
            String eventTime,
            String legId,
            String currency,
            String amount) {
        return base(eventId, EventType.LEG_CONFIRMED, settlementId, eventTime)
                .put("legId", legId)
                .put("currency", currency)
                .put("amount", amount);
    }

    private static ObjectNode cancelled(
            String eventId, String settlementId, String eventTime, String reason) {
        ObjectNode e = base(eventId, EventType.SETTLEMENT_CANCELLED, settlementId, eventTime);
        if (reason != null) {
            e.put("reason", reason);
        }
        return e;
    }

    /** A valid booking to break or bend in one place. */
    private static ObjectNode booking() {
        return booked(
                "b-1",
                "FX-1",
                "2026-11-25T09:00:00Z",
                "2026-11-25T16:00:00Z",
                leg("USD", "BANK_A", "BANK_B", "USD", "1000000.00"),
                leg("EUR", "BANK_B", "BANK_A", "EUR", "921450.00"));
    }

    private static Consumer<ObjectNode> leg0(Consumer<ObjectNode> change) {
        return b -> change.accept((ObjectNode) b.get("legs").get(0));
    }

    /** Applies {@code change} to a valid confirmation instead of the booking. */
    private static Consumer<ObjectNode> confirmation(Consumer<ObjectNode> change) {
        return b -> {
            b.removeAll();
            b.setAll(confirmed("c-1", "FX-1", "2026-11-25T09:05:10Z", "USD", "USD", "1000000.00"));
            change.accept(b);
        };
    }

    /** Applies {@code change} to a valid cancellation instead of the booking. */
    private static Consumer<ObjectNode> cancellation(Consumer<ObjectNode> change) {
        return b -> {
            b.removeAll();
            b.setAll(cancelled("x-1", "FX-1", "2026-11-25T10:00:00Z", "amended"));
            change.accept(b);
        };
    }

    private static Arguments rejects(
            String name, ReasonCode reason, String where, Consumer<ObjectNode> change) {
        ObjectNode record = booking();
        change.accept(record);
        return Arguments.of(name, reason, where, record.toString());
    }

    private static Arguments accepts(String name, Consumer<ObjectNode> change) {
        ObjectNode record = booking();
        change.accept(record);
        return Arguments.of(name, record.toString());
    }

    private static DeadLetter rejected(String record, Origin origin, ReasonCode reason) {
        return rejected(record.getBytes(StandardCharsets.UTF_8), origin, reason);
    }

    private static DeadLetter rejected(byte[] record, Origin origin, ReasonCode reason) {
        DecodeResult r = CODEC.decode(record, origin);
        assertThat(r.isValid()).as("%s", r).isFalse();
        assertThat(r.deadLetter().getReason()).isEqualTo(reason);
        assertThat(r.deadLetter().getOrigin()).isEqualTo(origin);
        return r.deadLetter();
    }

    // ---------------------------------------------------------------------------------------
    // Outputs and assertions.

    private static void assertEveryOutputValidates(ReplayOracle.Outcome out) {
        out.results().forEach(r -> assertValid(result, OUTPUT.result(r)));
        out.alerts().forEach(a -> assertValid(alert, OUTPUT.alert(a)));
        out.openBook().forEach(o -> assertValid(openBook, OUTPUT.openBook(o)));
        out.deadLetters().forEach(d -> assertValid(deadLetter, OUTPUT.deadLetter(d)));
    }

    private static OpenBookEntry entry(ReplayOracle.Outcome out, String settlementId) {
        return out.openBook().stream()
                .filter(o -> o.getSettlementId().equals(settlementId))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no open-book entry for " + settlementId));
    }

    private static void assertValid(JsonSchema schema, String json) {
        assertValid(schema, json(json));
    }

    /** Asserts that {@code json} is a valid dead letter (for the codec's fuzz properties). */
    static void assertValidDeadLetter(String json) {
        if (deadLetter == null) {
            loadSchemas();
        }
        assertValid(deadLetter, json);
    }

    private static void assertValid(JsonSchema schema, JsonNode node) {
        assertThat(schema.validate(node)).as("%s", node).isEmpty();
    }

    /**
     * {@code where} is the instance location (a JSON pointer, {@code /legs/0/amount}) of an error,
     * or the property it names (a missing, extra or forbidden one).
     */
    private static void assertInvalid(JsonSchema schema, JsonNode node, String where) {
        Set<ValidationMessage> errors = schema.validate(node);
        assertThat(errors)
                .as("%s", node)
                .isNotEmpty()
                .anySatisfy(
                        m -> {
                            if (where.startsWith("/")) {
                                assertThat(m.getInstanceLocation().toString()).isEqualTo(where);
                            } else {
                                assertThat(
                                                where.equals(m.getProperty())
                                                        || m.getMessage()
                                                                .contains("\"" + where + "\""))
                                        .as("%s names %s", m, where)
                                        .isTrue();
                            }
                        });
    }

    private static ObjectNode with(ObjectNode original, Consumer<ObjectNode> change) {
        ObjectNode copy = original.deepCopy();
        change.accept(copy);
        return copy;
    }

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> List<JsonNode> json(List<T> records, Function<T, String> writer) {
        return records.stream().map(r -> (JsonNode) json(writer.apply(r))).toList();
    }

    private static JsonNode schemaJson(String name) throws IOException {
        return JSON.readTree(SCHEMAS.resolve(name).toFile());
    }

    private static List<String> strings(JsonNode array) {
        assertThat(array.isArray()).as("%s", array).isTrue();
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static List<String> names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).toList();
    }

    /**
     * The JSON examples of docs/contract.md, one record a line, sorted by the schema they follow.
     */
    private static final class Examples {
        final List<JsonNode> events = new ArrayList<>();
        final List<JsonNode> results = new ArrayList<>();
        final List<JsonNode> alerts = new ArrayList<>();
        final List<JsonNode> openBook = new ArrayList<>();
        final List<JsonNode> deadLetters = new ArrayList<>();

        static Examples read() throws IOException {
            Examples examples = new Examples();
            Matcher blocks =
                    Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL)
                            .matcher(Files.readString(CONTRACT));
            while (blocks.find()) {
                for (String line : blocks.group(1).split("\n")) {
                    if (!line.isBlank()) {
                        examples.add(JSON.readTree(line));
                    }
                }
            }
            return examples;
        }

        private void add(JsonNode record) {
            if (record.has("resultId")) {
                results.add(record);
            } else if (record.has("alertId")) {
                alerts.add(record);
            } else if (record.has("raw")) {
                deadLetters.add(record);
            } else if (record.has("eventTime")) {
                events.add(record);
            } else if (record.has("status")) {
                openBook.add(record);
            } else {
                fail("an example in docs/contract.md that is no known record: " + record);
            }
        }
    }
}
