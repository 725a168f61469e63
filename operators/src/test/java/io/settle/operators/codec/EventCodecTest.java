package io.settle.operators.codec;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.settle.operators.model.DeadLetter;
import io.settle.operators.model.EventType;
import io.settle.operators.model.Leg;
import io.settle.operators.model.Origin;
import io.settle.operators.model.ReasonCode;
import io.settle.operators.model.SettlementEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * {@link EventCodec} against contract §1 (input) and §3 (dead letters): every validation rule with
 * its reason code and the field it names, "same content" equality and canonical encoding, and
 * hostile input, which must always come back as a dead letter and never as an exception.
 */
class EventCodecTest {

    // The contract's three example events, and a cancellation in the same style.
    static final String BOOKED =
            "{\"eventId\":\"b-1\",\"type\":\"OBLIGATION_BOOKED\",\"settlementId\":\"FX-1\",\"eventTime\":\"2026-11-25T09:00:00Z\",\"deadline\":\"2026-11-25T16:00:00Z\",\"legs\":[{\"legId\":\"USD\",\"payer\":\"BANK_A\",\"payee\":\"BANK_B\",\"currency\":\"USD\",\"amount\":\"1000000.00\"},{\"legId\":\"EUR\",\"payer\":\"BANK_B\",\"payee\":\"BANK_A\",\"currency\":\"EUR\",\"amount\":\"921450.00\"}]}";
    static final String CONFIRMED_USD =
            "{\"eventId\":\"c-1\",\"type\":\"LEG_CONFIRMED\",\"settlementId\":\"FX-1\",\"eventTime\":\"2026-11-25T09:05:10Z\",\"legId\":\"USD\",\"currency\":\"USD\",\"amount\":\"1000000.00\"}";
    static final String CONFIRMED_EUR =
            "{\"eventId\":\"c-2\",\"type\":\"LEG_CONFIRMED\",\"settlementId\":\"FX-1\",\"eventTime\":\"2026-11-25T09:07:42Z\",\"legId\":\"EUR\",\"currency\":\"EUR\",\"amount\":\"921450.00\"}";
    static final String CANCELLED =
            "{\"eventId\":\"x-1\",\"type\":\"SETTLEMENT_CANCELLED\",\"settlementId\":\"FX-1\",\"eventTime\":\"2026-11-25T10:00:00Z\",\"reason\":\"counterparty default\"}";

    static final Origin KAFKA = Origin.kafka("settle.events", 3, 42L);
    static final Origin FILE = Origin.file("events-2026-11-25.jsonl", 7L);

    /** One code point: two UTF-16 chars, four UTF-8 bytes. */
    static final String EMOJI = "\uD83D\uDCB8";

    static final int MAX = EventCodec.MAX_RECORD_BYTES;

    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final EventCodec codec = new EventCodec();

    // -------------------------------------------------------------------------------------------
    // The contract's examples.

    @Test
    void decodesTheContractBookingWithEveryField() {
        SettlementEvent e = valid(BOOKED);

        assertThat(e.getEventId()).isEqualTo("b-1");
        assertThat(e.getType()).isEqualTo(EventType.OBLIGATION_BOOKED);
        assertThat(e.getSettlementId()).isEqualTo("FX-1");
        assertThat(e.getEventTime()).isEqualTo(Instant.parse("2026-11-25T09:00:00Z"));
        assertThat(e.getDeadline()).isEqualTo(Instant.parse("2026-11-25T16:00:00Z"));
        // Legs come sorted by legId; amounts are BigDecimal at the currency's scale.
        assertThat(e.getLegs())
                .extracting(
                        Leg::getLegId,
                        Leg::getPayer,
                        Leg::getPayee,
                        Leg::getCurrency,
                        Leg::getAmount)
                .containsExactly(
                        tuple("EUR", "BANK_B", "BANK_A", "EUR", new BigDecimal("921450.00")),
                        tuple("USD", "BANK_A", "BANK_B", "USD", new BigDecimal("1000000.00")));
        assertThat(e.getLegs()).extracting(leg -> leg.getAmount().scale()).containsOnly(2);
        assertThat(e.getLegId()).isNull();
        assertThat(e.getCurrency()).isNull();
        assertThat(e.getAmount()).isNull();
        assertThat(e.getReason()).isNull();
        assertThat(e.getOrigin()).isEqualTo(KAFKA);
    }

    @Test
    void decodesTheContractConfirmations() {
        SettlementEvent usd = valid(CONFIRMED_USD);
        SettlementEvent eur = valid(CONFIRMED_EUR);

        assertThat(usd)
                .isEqualTo(
                        SettlementEvent.confirmed(
                                "c-1",
                                "FX-1",
                                Instant.parse("2026-11-25T09:05:10Z"),
                                "USD",
                                "USD",
                                new BigDecimal("1000000.00")));
        assertThat(usd.getType()).isEqualTo(EventType.LEG_CONFIRMED);
        assertThat(usd.getAmount()).isEqualTo(new BigDecimal("1000000.00"));
        assertThat(usd.getLegs()).isNull();
        assertThat(usd.getDeadline()).isNull();
        assertThat(usd.getReason()).isNull();

        assertThat(eur.getEventId()).isEqualTo("c-2");
        assertThat(eur.getSettlementId()).isEqualTo("FX-1");
        assertThat(eur.getEventTime()).isEqualTo(Instant.parse("2026-11-25T09:07:42Z"));
        assertThat(eur.getLegId()).isEqualTo("EUR");
        assertThat(eur.getCurrency()).isEqualTo("EUR");
        assertThat(eur.getAmount()).isEqualTo(new BigDecimal("921450.00"));
    }

    @Test
    void decodesACancellation() {
        SettlementEvent e = valid(CANCELLED);

        assertThat(e)
                .isEqualTo(
                        SettlementEvent.cancelled(
                                "x-1",
                                "FX-1",
                                Instant.parse("2026-11-25T10:00:00Z"),
                                "counterparty default"));
        assertThat(e.getReason()).isEqualTo("counterparty default");
        assertThat(e.getLegs()).isNull();
        assertThat(e.getAmount()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {BOOKED, CONFIRMED_USD, CONFIRMED_EUR, CANCELLED})
    void encodedEventsDecodeToEqualEvents(String record) {
        SettlementEvent e = valid(record);

        SettlementEvent again = valid(codec.encode(e));

        assertThat(again).isEqualTo(e);
        assertThat(codec.encode(again)).isEqualTo(codec.encode(e));
    }

    // -------------------------------------------------------------------------------------------
    // Required and optional fields.

    static Stream<Arguments> requiredFields() {
        List<Arguments> args = new ArrayList<>();
        for (String common : List.of("eventId", "type", "settlementId", "eventTime")) {
            args.add(arguments("booked", BOOKED, common));
            args.add(arguments("confirmed", CONFIRMED_USD, common));
            args.add(arguments("cancelled", CANCELLED, common));
        }
        args.add(arguments("booked", BOOKED, "legs"));
        for (String legField : List.of("legId", "payer", "payee", "currency", "amount")) {
            args.add(arguments("booked", BOOKED, "legs[0]." + legField));
            args.add(arguments("booked", BOOKED, "legs[1]." + legField));
        }
        for (String field : List.of("legId", "currency", "amount")) {
            args.add(arguments("confirmed", CONFIRMED_USD, field));
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0} without {2}")
    @MethodSource("requiredFields")
    void missingRequiredFieldIsMissingField(String kind, String record, String path) {
        assertRejected(decode(without(record, path)), ReasonCode.MISSING_FIELD, path);
    }

    @ParameterizedTest(name = "{0} with {2}: null")
    @MethodSource("requiredFields")
    void nullRequiredFieldCountsAsMissing(String kind, String record, String path) {
        assertRejected(decode(with(record, path, "null")), ReasonCode.MISSING_FIELD, path);
    }

    @Test
    void deadlineIsOptionalAndNullCountsAsAbsent() {
        SettlementEvent absent = valid(without(BOOKED, "deadline"));
        SettlementEvent nulled = valid(with(BOOKED, "deadline", "null"));

        assertThat(absent.getDeadline()).isNull();
        assertThat(nulled.getDeadline()).isNull();
        assertThat(nulled).isEqualTo(absent);
        assertThat(codec.encode(absent)).doesNotContain("deadline");
    }

    @Test
    void reasonIsOptionalAndNullCountsAsAbsent() {
        SettlementEvent absent = valid(without(CANCELLED, "reason"));
        SettlementEvent nulled = valid(with(CANCELLED, "reason", "null"));

        assertThat(absent.getReason()).isNull();
        assertThat(nulled.getReason()).isNull();
        assertThat(nulled).isEqualTo(absent);
        assertThat(codec.encode(absent)).doesNotContain("reason");
    }

    // -------------------------------------------------------------------------------------------
    // JSON types.

    static Stream<Arguments> stringFieldsWithWrongTypes() {
        List<String[]> fields =
                List.of(
                        new String[] {BOOKED, "eventId"},
                        new String[] {BOOKED, "type"},
                        new String[] {BOOKED, "settlementId"},
                        new String[] {BOOKED, "eventTime"},
                        new String[] {BOOKED, "deadline"},
                        new String[] {BOOKED, "legs[1].legId"},
                        new String[] {BOOKED, "legs[1].payer"},
                        new String[] {BOOKED, "legs[1].payee"},
                        new String[] {BOOKED, "legs[1].currency"},
                        new String[] {BOOKED, "legs[1].amount"},
                        new String[] {CONFIRMED_USD, "legId"},
                        new String[] {CONFIRMED_USD, "currency"},
                        new String[] {CONFIRMED_USD, "amount"},
                        new String[] {CANCELLED, "reason"});
        List<String> wrongValues = List.of("5", "5.00", "1e3", "true", "[]", "[\"5.00\"]", "{}");
        return fields.stream()
                .flatMap(f -> wrongValues.stream().map(v -> arguments(f[1], v, f[0])));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("stringFieldsWithWrongTypes")
    void nonStringWhereAStringBelongsIsInvalid(String path, String value, String record) {
        assertRejected(decode(with(record, path, value)), ReasonCode.INVALID_FIELD, path);
    }

    @Test
    void amountAsJsonNumberIsInvalidAndSaysSo() {
        DeadLetter dl =
                assertRejected(
                        decode(with(CONFIRMED_USD, "amount", "5.00")),
                        ReasonCode.INVALID_FIELD,
                        "amount");

        assertThat(dl.getMessage()).contains("a number");
    }

    @ParameterizedTest(name = "legs: {0}")
    @ValueSource(strings = {"{}", "\"USD\"", "5", "true"})
    void legsThatAreNotAnArrayAreInvalid(String value) {
        assertRejected(decode(with(BOOKED, "legs", value)), ReasonCode.INVALID_FIELD, "legs");
    }

    // -------------------------------------------------------------------------------------------
    // String lengths, in code points.

    static Stream<Arguments> lengthsWithinLimits() {
        return Stream.of(
                arguments(BOOKED, "eventId", "e".repeat(128)),
                arguments(BOOKED, "eventId", EMOJI.repeat(128)),
                arguments(BOOKED, "eventId", "e"),
                arguments(BOOKED, "settlementId", "s".repeat(128)),
                arguments(BOOKED, "settlementId", EMOJI.repeat(128)),
                arguments(BOOKED, "legs[1].legId", "l".repeat(64)),
                arguments(BOOKED, "legs[1].legId", EMOJI.repeat(64)),
                arguments(BOOKED, "legs[1].payer", "p".repeat(64)),
                arguments(BOOKED, "legs[1].payee", "q".repeat(64)),
                arguments(BOOKED, "legs[1].payee", EMOJI.repeat(64)),
                arguments(CONFIRMED_USD, "legId", "l".repeat(64)),
                arguments(CANCELLED, "reason", "r".repeat(512)),
                arguments(CANCELLED, "reason", EMOJI.repeat(512)),
                arguments(CANCELLED, "reason", ""));
    }

    @ParameterizedTest(name = "{1}: {2}")
    @MethodSource("lengthsWithinLimits")
    void stringsWithinTheirLengthLimitsAreAccepted(String record, String path, String value) {
        SettlementEvent e = valid(with(record, path, quoted(value)));

        assertThat(codec.encode(e)).contains(quoted(value));
    }

    static Stream<Arguments> lengthsBeyondLimits() {
        return Stream.of(
                arguments(BOOKED, "eventId", "e".repeat(129)),
                arguments(BOOKED, "eventId", EMOJI.repeat(129)),
                arguments(BOOKED, "eventId", ""),
                arguments(BOOKED, "settlementId", "s".repeat(129)),
                arguments(BOOKED, "settlementId", EMOJI.repeat(129)),
                arguments(BOOKED, "settlementId", ""),
                arguments(BOOKED, "legs[1].legId", "l".repeat(65)),
                arguments(BOOKED, "legs[1].legId", ""),
                arguments(BOOKED, "legs[1].payer", "p".repeat(65)),
                arguments(BOOKED, "legs[1].payer", ""),
                arguments(BOOKED, "legs[1].payee", "q".repeat(65)),
                arguments(BOOKED, "legs[1].payee", EMOJI.repeat(65)),
                arguments(BOOKED, "legs[1].payee", ""),
                arguments(CONFIRMED_USD, "legId", "l".repeat(65)),
                arguments(CONFIRMED_USD, "legId", ""),
                arguments(CANCELLED, "reason", "r".repeat(513)),
                arguments(CANCELLED, "reason", EMOJI.repeat(513)));
    }

    @ParameterizedTest(name = "{1}: {2}")
    @MethodSource("lengthsBeyondLimits")
    void stringsBeyondTheirLengthLimitsAreInvalid(String record, String path, String value) {
        assertRejected(decode(with(record, path, quoted(value))), ReasonCode.INVALID_FIELD, path);
    }

    // -------------------------------------------------------------------------------------------
    // Type.

    @ParameterizedTest(name = "type: {0}")
    @ValueSource(
            strings = {
                "PAYMENT_RECEIVED",
                "obligation_booked",
                " LEG_CONFIRMED",
                "LEG_CONFIRMED ",
                "OBLIGATION_BOOKED\u0000"
            })
    void unknownTypeIsUnknownType(String type) {
        assertRejected(decode(with(BOOKED, "type", quoted(type))), ReasonCode.UNKNOWN_TYPE, "type");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"b-\\ud800\"", "\"b-\\udc00x\"", "\"\\ud83d\""})
    void unpairedSurrogateEscapesAreInvalid(String rawJson) {
        // Spliced as text: a JSON library would write the half character out as '?'.
        assertRejected(
                decode(BOOKED.replace("\"b-1\"", rawJson)), ReasonCode.INVALID_FIELD, "eventId");
        assertRejected(
                decode(BOOKED.replace("\"BANK_A\",\"payee\"", rawJson + ",\"payee\"")),
                ReasonCode.INVALID_FIELD,
                "legs[0].payer");
    }

    @Test
    void pairedSurrogateEscapesAreOneCharacter() {
        assertThat(valid(BOOKED.replace("\"b-1\"", "\"b-\\ud83d\\ude00\"")).getEventId())
                .isEqualTo("b-\ud83d\ude00");
    }

    @Test
    void unknownFieldsAreIgnored() {
        String record =
                withUnknownField(
                        withUnknownField(
                                with(BOOKED, "legs[1].note", "{\"memo\":[1,2,{\"x\":null}]}"),
                                "schemaVersion",
                                "2"),
                        "trace",
                        "{\"spans\":[[\"a\",\"b\"],{\"c\":true}],\"id\":\"t-1\"}");

        assertThat(valid(record)).isEqualTo(valid(BOOKED));
        assertThat(codec.encode(valid(record))).isEqualTo(codec.encode(valid(BOOKED)));
    }

    // -------------------------------------------------------------------------------------------
    // Instants.

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "2026-11-25T09:00:00Z",
                "2026-11-25T10:00:00+01:00",
                "2026-11-25T04:00:00-05:00",
                "2026-11-25T09:00:00.000Z",
                "2026-11-25T09:00+00:00"
            })
    void instantsWithAnOffsetAreAcceptedAndEqualAsInstants(String instant) {
        Instant expected = Instant.parse("2026-11-25T09:00:00Z");

        assertThat(valid(with(CONFIRMED_USD, "eventTime", quoted(instant))).getEventTime())
                .isEqualTo(expected);
        assertThat(valid(with(BOOKED, "deadline", quoted(instant))).getDeadline())
                .isEqualTo(expected);
    }

    @Test
    void fractionalSecondsAreKept() {
        assertThat(
                        valid(with(CONFIRMED_USD, "eventTime", "\"2026-11-25T09:00:00.123Z\""))
                                .getEventTime())
                .isEqualTo(Instant.parse("2026-11-25T09:00:00.123Z"));
    }

    static Stream<Arguments> badInstants() {
        List<String> values =
                List.of(
                        "2026-11-25T09:00:00",
                        "2026-11-25",
                        "2026-11-25 09:00:00Z",
                        "yesterday",
                        "",
                        "1764061200",
                        "2026-13-01T00:00:00Z",
                        "2026-11-25T25:00:00Z",
                        "10000-01-01T00:00:00Z",
                        "+10000-01-01T00:00:00Z",
                        // In range as written, out of range in UTC.
                        "0001-01-01T00:30:00+01:00",
                        "9999-12-31T23:30:00-01:00",
                        "2026-11-25T09:00:00Z" + " ".repeat(100));
        return Stream.of("eventTime", "deadline")
                .flatMap(path -> values.stream().map(v -> arguments(path, v)));
    }

    @ParameterizedTest(name = "{0}: ''{1}''")
    @MethodSource("badInstants")
    void instantsWithoutOffsetOrOutOfRangeAreInvalid(String path, String value) {
        assertRejected(decode(with(BOOKED, path, quoted(value))), ReasonCode.INVALID_FIELD, path);
    }

    // -------------------------------------------------------------------------------------------
    // Currencies.

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("currenciesWithMinorUnits")
    void currenciesWithMinorUnitsAreAccepted(String currency, String amount, int scale) {
        SettlementEvent e =
                valid(
                        with(
                                with(CONFIRMED_USD, "currency", quoted(currency)),
                                "amount",
                                quoted(amount)));

        assertThat(e.getCurrency()).isEqualTo(currency);
        assertThat(e.getAmount()).isEqualByComparingTo(amount);
        assertThat(e.getAmount().scale()).isEqualTo(scale);
    }

    static Stream<Arguments> currenciesWithMinorUnits() {
        return Stream.of(
                arguments("USD", "1000.00", 2),
                arguments("JPY", "100", 0),
                arguments("BHD", "1.234", 3),
                arguments("EUR", "921450.00", 2));
    }

    static Stream<Arguments> badCurrencies() {
        List<String> codes = List.of("usd", "Usd", "USDT", "US", "", "QQQ", "XAU", "XXX", "US1");
        return Stream.of(
                        arguments(CONFIRMED_USD, "currency"), arguments(BOOKED, "legs[1].currency"))
                .flatMap(a -> codes.stream().map(c -> arguments(a.get()[1], c, a.get()[0])));
    }

    @ParameterizedTest(name = "{0}: ''{1}''")
    @MethodSource("badCurrencies")
    void currenciesThatAreNotIso4217WithMinorUnitsAreInvalid(
            String path, String code, String record) {
        assertRejected(decode(with(record, path, quoted(code))), ReasonCode.INVALID_FIELD, path);
    }

    // -------------------------------------------------------------------------------------------
    // Amounts.

    static Stream<Arguments> goodAmounts() {
        return Stream.of(
                arguments("USD", "1000.00", "1000.00"),
                arguments("USD", "5", "5.00"),
                arguments("USD", "5.0", "5.00"),
                arguments("USD", "0.01", "0.01"),
                arguments("USD", "007", "7.00"),
                arguments("USD", "1".repeat(37) + ".00", "1".repeat(37) + ".00"), // 40 chars
                arguments("JPY", "100", "100"),
                arguments("BHD", "1.234", "1.234"),
                arguments("BHD", "1", "1.000"));
    }

    @ParameterizedTest(name = "{1} {0} -> {2}")
    @MethodSource("goodAmounts")
    void amountsAreHeldAtTheCurrencyScale(String currency, String amount, String expected) {
        SettlementEvent e =
                valid(
                        with(
                                with(CONFIRMED_USD, "currency", quoted(currency)),
                                "amount",
                                quoted(amount)));

        // BigDecimal.equals compares the scale too: "5" USD is held as 5.00.
        assertThat(e.getAmount()).isEqualTo(new BigDecimal(expected));
    }

    @Test
    void legAmountsAreHeldAtTheCurrencyScale() {
        SettlementEvent e = valid(with(BOOKED, "legs[0].amount", "\"5\""));

        assertThat(e.getLegs())
                .filteredOn(leg -> leg.getLegId().equals("USD"))
                .extracting(Leg::getAmount)
                .containsExactly(new BigDecimal("5.00"));
    }

    static Stream<Arguments> badAmounts() {
        return Stream.of(
                arguments("USD", "1.234"),
                arguments("USD", "5.000"),
                arguments("JPY", "100.0"),
                arguments("JPY", "1.5"),
                arguments("BHD", "1.2345"),
                arguments("USD", "-5"),
                arguments("USD", "+5"),
                arguments("USD", "1e3"),
                arguments("USD", "1E3"),
                arguments("USD", " 5"),
                arguments("USD", "5 "),
                arguments("USD", "5."),
                arguments("USD", ".5"),
                arguments("USD", "5.0.0"),
                arguments("USD", "1,000"),
                arguments("USD", "1_000"),
                arguments("USD", "0x10"),
                arguments("USD", "NaN"),
                arguments("USD", "Infinity"),
                arguments("USD", "\u0665"), // ARABIC-INDIC DIGIT FIVE
                arguments("USD", "\uFF15"), // FULLWIDTH DIGIT FIVE
                arguments("USD", "0"),
                arguments("USD", "0.00"),
                arguments("USD", "000"),
                arguments("JPY", "0"),
                arguments("USD", ""),
                arguments("USD", "1".repeat(38) + ".00"), // 41 chars
                arguments("USD", "1".repeat(41)),
                arguments("USD", "1".repeat(100_000)));
    }

    @ParameterizedTest(name = "''{1}'' {0}")
    @MethodSource("badAmounts")
    void amountsOutsideTheGrammarOrScaleAreInvalid(String currency, String amount) {
        String record =
                with(with(CONFIRMED_USD, "currency", quoted(currency)), "amount", quoted(amount));

        assertRejected(decode(record), ReasonCode.INVALID_FIELD, "amount");
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"921450.001", "-1", "0", "1e3"})
    void badLegAmountsNameTheLeg(String amount) {
        assertRejected(
                decode(with(BOOKED, "legs[1].amount", quoted(amount))),
                ReasonCode.INVALID_FIELD,
                "legs[1].amount");
    }

    // -------------------------------------------------------------------------------------------
    // Legs.

    @Test
    void noLegsIsInvalid() {
        assertRejected(decode(with(BOOKED, "legs", "[]")), ReasonCode.INVALID_FIELD, "legs");
    }

    @Test
    void sixteenLegsAreAccepted() {
        SettlementEvent e = valid(with(BOOKED, "legs", legs(16)));

        assertThat(e.getLegs()).hasSize(16);
    }

    @Test
    void seventeenLegsAreInvalid() {
        assertRejected(decode(with(BOOKED, "legs", legs(17))), ReasonCode.INVALID_FIELD, "legs");
    }

    @ParameterizedTest(name = "legs[1]: {0}")
    @ValueSource(strings = {"\"EUR\"", "5", "true", "[]", "null"})
    void aLegThatIsNotAnObjectIsInvalid(String leg) {
        assertRejected(decode(with(BOOKED, "legs[1]", leg)), ReasonCode.INVALID_FIELD, "legs[1]");
    }

    @Test
    void duplicateLegIdIsInvalid() {
        assertRejected(
                decode(with(BOOKED, "legs[1].legId", "\"USD\"")),
                ReasonCode.INVALID_FIELD,
                "legs[1].legId");
    }

    @Test
    void payerEqualToPayeeIsInvalid() {
        assertRejected(
                decode(with(BOOKED, "legs[1].payee", "\"BANK_B\"")),
                ReasonCode.INVALID_FIELD,
                "legs[1].payee");
    }

    @Test
    void legOrderDoesNotMatter() {
        String swapped =
                with(
                        with(BOOKED, "legs[0]", element(BOOKED, "legs[1]")),
                        "legs[1]",
                        element(BOOKED, "legs[0]"));

        assertThat(swapped).isNotEqualTo(BOOKED);
        assertThat(valid(swapped)).isEqualTo(valid(BOOKED));
        assertThat(valid(swapped).hashCode()).isEqualTo(valid(BOOKED).hashCode());
        assertThat(codec.encode(valid(swapped))).isEqualTo(codec.encode(valid(BOOKED)));
    }

    // -------------------------------------------------------------------------------------------
    // Same content (contract §2): equal events and identical canonical text.

    @Test
    void sameContentWrittenDifferentlyDecodesToEqualEventsAndEncodesIdentically() {
        String original =
                "{\"eventId\":\"b-2\",\"type\":\"OBLIGATION_BOOKED\",\"settlementId\":\"FX-2\","
                        + "\"eventTime\":\"2026-11-25T09:00:00Z\",\"deadline\":\"2026-11-25T16:00:00Z\","
                        + "\"legs\":[{\"legId\":\"USD\",\"payer\":\"BANK_A\",\"payee\":\"BANK_B\","
                        + "\"currency\":\"USD\",\"amount\":\"5.00\"},{\"legId\":\"JPY\","
                        + "\"payer\":\"BANK_B\",\"payee\":\"BANK_A\",\"currency\":\"JPY\","
                        + "\"amount\":\"750\"}]}";
        String rewritten =
                "{ \"legs\" : [ {\"amount\":\"750\",\"currency\":\"JPY\",\"payee\":\"BANK_A\","
                        + "\"payer\":\"BANK_B\",\"legId\":\"JPY\"},\n\t{ \"payee\":\"BANK_B\","
                        + " \"legId\":\"USD\", \"amount\":\"5.0\", \"payer\":\"BANK_A\","
                        + " \"currency\":\"USD\", \"memo\":\"x\" } ],\r\n"
                        + "  \"deadline\" : \"2026-11-25T11:00:00-05:00\",\n"
                        + "  \"eventTime\" : \"2026-11-25T10:00:00+01:00\",\n"
                        + "  \"source\" : {\"system\":\"murex\",\"ids\":[1,2,3]},\n"
                        + "  \"settlementId\" : \"FX-2\", \"type\" : \"OBLIGATION_BOOKED\","
                        + " \"eventId\" : \"b-2\" }  \n";

        SettlementEvent a = valid(original);
        SettlementEvent b = valid(rewritten);

        assertThat(b).isEqualTo(a);
        assertThat(b.hashCode()).isEqualTo(a.hashCode());
        assertThat(codec.encode(b)).isEqualTo(codec.encode(a));
    }

    @Test
    void sameConfirmationWrittenDifferentlyIsEqual() {
        String a =
                "{\"eventId\":\"c-1\",\"type\":\"LEG_CONFIRMED\",\"settlementId\":\"FX-1\","
                        + "\"eventTime\":\"2026-11-25T09:05:10Z\",\"legId\":\"USD\","
                        + "\"currency\":\"USD\",\"amount\":\"5.00\"}";
        String b =
                "{\"amount\": \"5.0\", \"currency\": \"USD\", \"legId\": \"USD\","
                        + " \"eventTime\": \"2026-11-25T10:05:10+01:00\", \"rail\": \"TARGET2\","
                        + " \"settlementId\": \"FX-1\", \"type\": \"LEG_CONFIRMED\","
                        + " \"eventId\": \"c-1\"}";

        assertThat(valid(b)).isEqualTo(valid(a));
        assertThat(codec.encode(valid(b))).isEqualTo(codec.encode(valid(a)));
    }

    @Test
    void aDifferentAmountIsDifferentContent() {
        SettlementEvent original = valid(BOOKED);
        SettlementEvent other = valid(with(BOOKED, "legs[0].amount", "\"1000000.01\""));
        SettlementEvent confirmed = valid(CONFIRMED_USD);
        SettlementEvent confirmedOther = valid(with(CONFIRMED_USD, "amount", "\"999999.99\""));

        assertThat(other).isNotEqualTo(original);
        assertThat(codec.encode(other)).isNotEqualTo(codec.encode(original));
        assertThat(confirmedOther).isNotEqualTo(confirmed);
        assertThat(codec.encode(confirmedOther)).isNotEqualTo(codec.encode(confirmed));
    }

    @Test
    void originIsNotContent() {
        SettlementEvent fromKafka = valid(BOOKED);
        SettlementEvent fromFile = codec.decode(BOOKED, FILE).event();

        assertThat(fromFile).isEqualTo(fromKafka);
        assertThat(fromFile.getOrigin()).isEqualTo(FILE);
        assertThat(fromKafka.getOrigin()).isEqualTo(KAFKA);
    }

    // -------------------------------------------------------------------------------------------
    // Origins and dead-letter contents.

    static Stream<Arguments> origins() {
        return Stream.of(arguments(KAFKA), arguments(FILE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("origins")
    void originIsCarriedIntoEventsAndDeadLetters(Origin origin) {
        byte[] invalidUtf8 = {'{', (byte) 0xFF, '}'};
        byte[] tooLarge = padded(BOOKED, MAX + 1).getBytes(StandardCharsets.UTF_8);

        assertThat(codec.decode(utf8(BOOKED), origin).event().getOrigin()).isEqualTo(origin);
        assertThat(codec.decode(BOOKED, origin).event().getOrigin()).isEqualTo(origin);
        assertThat(codec.decode(utf8(without(BOOKED, "legs")), origin).deadLetter().getOrigin())
                .isEqualTo(origin);
        assertThat(codec.decode("[]", origin).deadLetter().getOrigin()).isEqualTo(origin);
        assertThat(codec.decode(invalidUtf8, origin).deadLetter().getOrigin()).isEqualTo(origin);
        assertThat(codec.decode(tooLarge, origin).deadLetter().getOrigin()).isEqualTo(origin);
    }

    @Test
    void deadLettersCarryTheRawRecordAndTheIdsWhenReadable() {
        String record = with(CONFIRMED_USD, "amount", "\"-5\"");

        DeadLetter dl = assertRejected(decode(record), ReasonCode.INVALID_FIELD, "amount");

        assertThat(dl.getSettlementId()).isEqualTo("FX-1");
        assertThat(dl.getEventId()).isEqualTo("c-1");
        assertThat(dl.getRaw()).isEqualTo(record);
        assertThat(dl.getEncoding()).isNull();
        assertThat(dl.isRawTruncated()).isFalse();
        assertThat(dl.getRawBytes()).isEqualTo(utf8(record).length);
        assertThat(dl.getOrigin()).isEqualTo(KAFKA);
    }

    @Test
    void deadLettersCarryTheIdsEvenWhenTheTypeIsUnknown() {
        DeadLetter dl =
                assertRejected(
                        decode(with(BOOKED, "type", "\"FX_SWAP\"")),
                        ReasonCode.UNKNOWN_TYPE,
                        "type");

        assertThat(dl.getSettlementId()).isEqualTo("FX-1");
        assertThat(dl.getEventId()).isEqualTo("b-1");
    }

    @Test
    void deadLettersLeaveOutIdsThatAreNotStrings() {
        DeadLetter dl =
                assertRejected(
                        decode(with(BOOKED, "eventId", "42")), ReasonCode.INVALID_FIELD, "eventId");

        assertThat(dl.getEventId()).isNull();
        assertThat(dl.getSettlementId()).isEqualTo("FX-1");
    }

    @Test
    void malformedJsonDeadLettersKeepTheRawTextWithoutIds() {
        String record = BOOKED.substring(0, 80);

        DeadLetter dl = assertRejected(decode(record), ReasonCode.MALFORMED_JSON, null);

        assertThat(dl.getRaw()).isEqualTo(record);
        assertThat(dl.getEncoding()).isNull();
        assertThat(dl.getRawBytes()).isEqualTo(80);
        assertThat(dl.getSettlementId()).isNull();
        assertThat(dl.getEventId()).isNull();
    }

    // -------------------------------------------------------------------------------------------
    // Hostile input: always a dead letter, never an exception or a hang.

    static Stream<Arguments> invalidUtf8() {
        return Stream.of(
                arguments("0xFF byte", new byte[] {(byte) 0xFF}),
                arguments("lone continuation byte", new byte[] {(byte) 0x80}),
                arguments("overlong slash", new byte[] {(byte) 0xC0, (byte) 0xAF}),
                arguments(
                        "UTF-8 encoded surrogate",
                        new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}),
                arguments("cut multi-byte char", new byte[] {(byte) 0xE2, (byte) 0x82}),
                arguments("Latin-1 e-acute", new byte[] {(byte) 0xE9}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidUtf8")
    @Timeout(10)
    void invalidUtf8IsMalformedAndKeptAsBase64(String what, byte[] bad) {
        byte[] record = concat(utf8(BOOKED.substring(0, 30)), bad, utf8(BOOKED.substring(30)));

        DeadLetter dl =
                assertRejected(codec.decode(record, KAFKA), ReasonCode.MALFORMED_JSON, null);

        assertThat(dl.getEncoding()).isEqualTo("base64");
        assertThat(Base64.getDecoder().decode(dl.getRaw())).isEqualTo(record);
        assertThat(dl.getRawBytes()).isEqualTo(record.length);
        assertThat(dl.isRawTruncated()).isFalse();
        assertThat(dl.getOrigin()).isEqualTo(KAFKA);
    }

    static Stream<Arguments> malformed() {
        String fields = BOOKED.substring(1, BOOKED.length() - 1);
        return Stream.of(
                arguments("empty", ""),
                arguments("whitespace only", "  \t "),
                arguments("null byte", "\u0000"),
                arguments("null bytes", "\u0000\u0000\u0000\u0000"),
                arguments("null byte before", "\u0000" + BOOKED),
                arguments("null byte after", BOOKED + "\u0000"),
                arguments("raw null byte in a string", BOOKED.replace("\"b-1\"", "\"b\u0000-1\"")),
                arguments("truncated in a string", BOOKED.substring(0, 20)),
                arguments(
                        "truncated after a value", BOOKED.substring(0, BOOKED.indexOf(",\"type"))),
                arguments("truncated last brace", BOOKED.substring(0, BOOKED.length() - 1)),
                arguments("just an open brace", "{"),
                arguments("array of the object", "[" + BOOKED + "]"),
                arguments("empty array", "[]"),
                arguments("bare string", "\"FX-1\""),
                arguments("bare number", "42"),
                arguments("bare true", "true"),
                arguments("bare null", "null"),
                arguments("two objects", BOOKED + BOOKED),
                arguments("two objects on lines", BOOKED + "\n" + CONFIRMED_USD),
                arguments("trailing garbage", BOOKED + "x"),
                arguments("trailing comma", BOOKED + ","),
                arguments("trailing bracket", BOOKED + "]"),
                arguments("trailing brace", BOOKED + "}"),
                arguments("trailing number", BOOKED + " 1"),
                arguments("comma before end", "{" + fields + ",}"),
                arguments("single quotes", "{'eventId':'b-1'}"),
                arguments("unquoted names", "{eventId:\"b-1\"}"),
                arguments("comment", "/* x */" + BOOKED),
                arguments("NaN", withUnknownField(BOOKED, "x", "NaN")),
                arguments("leading zero number", withUnknownField(BOOKED, "x", "01")),
                arguments("repeated field", "{\"eventId\":\"b-0\"," + fields + "}"),
                arguments("repeated type", "{" + fields + ",\"type\":\"LEG_CONFIRMED\"}"),
                arguments(
                        "repeated unknown field",
                        withUnknownField(withUnknownField(BOOKED, "x", "1"), "x", "2")),
                arguments(
                        "repeated field in a leg",
                        BOOKED.replace(
                                "{\"legId\":\"EUR\",", "{\"legId\":\"EUR\",\"legId\":\"EUR\",")),
                arguments(
                        "repeated field in an unknown object",
                        withUnknownField(BOOKED, "x", "{\"a\":1,\"a\":1}")),
                arguments("unclosed nested array", withUnknownField(BOOKED, "x", "[[1]")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    @Timeout(10)
    void notExactlyOneJsonObjectIsMalformed(String what, String record) {
        DeadLetter fromKafka = assertRejected(decode(record), ReasonCode.MALFORMED_JSON, null);
        DeadLetter fromFile =
                assertRejected(codec.decode(record, FILE), ReasonCode.MALFORMED_JSON, null);

        assertThat(fromKafka.getRaw()).isEqualTo(record);
        assertThat(fromFile.getRaw()).isEqualTo(record);
        assertThat(fromFile.getOrigin()).isEqualTo(FILE);
    }

    @Test
    @Timeout(10)
    void nullRecordIsMalformed() {
        assertRejected(codec.decode((byte[]) null, KAFKA), ReasonCode.MALFORMED_JSON, null);
        assertRejected(codec.decode((String) null, FILE), ReasonCode.MALFORMED_JSON, null);
    }

    @Test
    @Timeout(10)
    void nestingOf32LevelsIsAccepted() {
        // The top-level object is level 1; 31 nested arrays in an unknown field make 32.
        String inUnknownField = withUnknownField(BOOKED, "x", nestedArrays(31));
        // The legs array is level 2 and a leg level 3; 29 arrays in a leg's unknown field make 32.
        String inLeg = with(BOOKED, "legs[1].x", nestedArrays(29));

        assertThat(valid(inUnknownField)).isEqualTo(valid(BOOKED));
        assertThat(valid(inLeg)).isEqualTo(valid(BOOKED));
    }

    @Test
    @Timeout(10)
    void nestingOf33LevelsIsMalformed() {
        String inUnknownField = withUnknownField(BOOKED, "x", nestedArrays(32));
        String inLeg = with(BOOKED, "legs[1].x", nestedArrays(30));
        String objects = withUnknownField(BOOKED, "x", nestedObjects(32));

        assertRejected(decode(inUnknownField), ReasonCode.MALFORMED_JSON, null);
        assertRejected(decode(inLeg), ReasonCode.MALFORMED_JSON, null);
        assertRejected(decode(objects), ReasonCode.MALFORMED_JSON, null);
    }

    @Test
    @Timeout(10)
    void nestingOf100000LevelsIsMalformed() {
        String arrays = withUnknownField(BOOKED, "x", nestedArrays(100_000));
        String objects = withUnknownField(BOOKED, "x", nestedObjects(100_000));
        String inLegs = BOOKED.replace("\"legs\":[", "\"legs\":[" + nestedArrays(100_000) + ",");
        String unclosed = "{\"x\":" + "[".repeat(100_000);

        assertRejected(decode(arrays), ReasonCode.MALFORMED_JSON, null);
        assertRejected(decode(objects), ReasonCode.MALFORMED_JSON, null);
        assertRejected(decode(inLegs), ReasonCode.MALFORMED_JSON, null);
        assertRejected(decode(unclosed), ReasonCode.MALFORMED_JSON, null);
        assertRejected(decode(nestedArrays(100_000)), ReasonCode.MALFORMED_JSON, null);
    }

    @Test
    @Timeout(10)
    void recordOfOneMebibytePlusOneByteIsTooLarge() {
        String record = padded(BOOKED, MAX + 1);
        byte[] bytes = utf8(record);
        assertThat(bytes).hasSize(MAX + 1);

        for (DecodeResult r : List.of(codec.decode(bytes, KAFKA), codec.decode(record, KAFKA))) {
            DeadLetter dl = assertRejected(r, ReasonCode.TOO_LARGE, null);
            assertThat(dl.isRawTruncated()).isTrue();
            assertThat(dl.getRawBytes()).isEqualTo(MAX + 1);
            assertThat(dl.getRaw()).isEqualTo(record.substring(0, DeadLetter.RAW_KEEP_BYTES));
            assertThat(dl.getEncoding()).isNull();
            assertThat(dl.getOrigin()).isEqualTo(KAFKA);
        }
    }

    @Test
    @Timeout(10)
    void everyDeadLetterKeepsAtMost64KiBAndTheWholeRecordsSizeAndHash() {
        int keep = DeadLetter.RAW_KEEP_BYTES;
        byte[] nuls = new byte[400_000];
        byte[] controls = new byte[MAX];
        Arrays.fill(controls, (byte) 0x01);
        byte[] exactlyKept = utf8(padded(BOOKED, keep)).clone();
        exactlyKept[0] = '['; // invalid (not one object) and exactly 64 KiB: kept whole
        byte[] oneMore = Arrays.copyOf(exactlyKept, keep + 1);
        oneMore[keep] = ' ';
        for (byte[] record : List.of(nuls, controls, exactlyKept, oneMore)) {
            DeadLetter dl =
                    assertRejected(codec.decode(record, KAFKA), ReasonCode.MALFORMED_JSON, null);
            assertThat(dl.getRawBytes()).isEqualTo(record.length);
            assertThat(dl.getRawSha256()).isEqualTo(EventCodec.sha256(record, record.length));
            assertThat(dl.isRawTruncated()).isEqualTo(record.length > keep);
            assertThat(utf8(dl.getRaw()))
                    .isEqualTo(Arrays.copyOf(record, Math.min(record.length, keep)));
            assertThat(new OutputCodec().deadLetter(dl).length())
                    .as("the dead letter's JSON, each control character escaped to six bytes")
                    .isLessThan(420_000);
        }
    }

    @Test
    @Timeout(10)
    void tooLargeRecordCutInsideACharacterKeepsAValidPrefix() {
        // One ASCII byte then four-byte emoji: the 64 KiB cut falls inside an emoji.
        String record = "x" + EMOJI.repeat(MAX / 4 + 1);

        DeadLetter dl =
                assertRejected(codec.decode(utf8(record), FILE), ReasonCode.TOO_LARGE, null);

        assertThat(dl.getEncoding()).isNull();
        assertThat(record).startsWith(dl.getRaw());
        assertThat(utf8(dl.getRaw()).length)
                .isLessThanOrEqualTo(DeadLetter.RAW_KEEP_BYTES)
                .isGreaterThan(DeadLetter.RAW_KEEP_BYTES - 4);
        assertThat(dl.getRawBytes()).isEqualTo(utf8(record).length);
    }

    @Test
    @Timeout(10)
    void tooLargeRecordThatIsNotUtf8KeepsItsHeadAsBase64() {
        byte[] record = new byte[MAX + 1];
        Arrays.fill(record, (byte) 0xFF);

        DeadLetter dl = assertRejected(codec.decode(record, KAFKA), ReasonCode.TOO_LARGE, null);

        assertThat(dl.getEncoding()).isEqualTo("base64");
        assertThat(Base64.getDecoder().decode(dl.getRaw()))
                .hasSize(DeadLetter.RAW_KEEP_BYTES)
                .containsOnly((byte) 0xFF);
        assertThat(dl.isRawTruncated()).isTrue();
        assertThat(dl.getRawBytes()).isEqualTo(MAX + 1);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {MAX - 1, MAX})
    @Timeout(10)
    void recordUpToOneMebibyteWithAHugeStringInAnUnknownFieldIsAccepted(int size) {
        String record = padded(BOOKED, size);
        assertThat(utf8(record)).hasSize(size);

        assertThat(valid(record)).isEqualTo(valid(BOOKED));
        assertThat(codec.decode(record, FILE).event()).isEqualTo(valid(BOOKED));
    }

    @Test
    @Timeout(10)
    void hugeUnknownFieldNameIsAccepted() {
        String record = withUnknownField(BOOKED, "n".repeat(MAX / 2), "1");

        assertThat(valid(record)).isEqualTo(valid(BOOKED));
    }

    @Test
    @Timeout(10)
    void manyUnknownFieldsAreAccepted() {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; b.length() < MAX - BOOKED.length() - 16; i++) {
            b.append("\"f").append(i).append("\":0,");
        }
        String record = b.append(BOOKED.substring(1)).toString();

        assertThat(valid(record)).isEqualTo(valid(BOOKED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hugeNumbers")
    @Timeout(10)
    void hugeNumberLiteralInAnUnknownFieldIsIgnored(String what, String number) {
        String record = withUnknownField(BOOKED, "x", number);

        assertThat(valid(record)).isEqualTo(valid(BOOKED));
    }

    static Stream<Arguments> hugeNumbers() {
        return Stream.of(
                arguments("500k digit integer", "9".repeat(500_000)),
                arguments("500k digit negative", "-" + "9".repeat(500_000)),
                arguments("500k digit fraction", "0." + "1".repeat(500_000)),
                arguments("huge exponent", "1e999999999"),
                arguments("tiny exponent", "1e-999999999"));
    }

    // -------------------------------------------------------------------------------------------
    // Helpers.

    private DecodeResult decode(String record) {
        return codec.decode(utf8(record), KAFKA);
    }

    /** Decodes the record's UTF-8 bytes from {@link #KAFKA} and asserts it is valid. */
    private SettlementEvent valid(String record) {
        DecodeResult r = decode(record);
        assertThat(r.isValid()).as("%s", r).isTrue();
        assertThat(r.deadLetter()).isNull();
        assertThat(r.event().getOrigin()).isEqualTo(KAFKA);
        return r.event();
    }

    /**
     * Asserts a rejection with the reason, and that the message names {@code field} (quoted, as the
     * codec writes it) unless it is null.
     */
    private static DeadLetter assertRejected(DecodeResult r, ReasonCode reason, String field) {
        assertThat(r.isValid()).as("%s", r).isFalse();
        assertThat(r.event()).isNull();
        DeadLetter dl = r.deadLetter();
        assertThat(dl.getReason()).as("%s", dl.getMessage()).isEqualTo(reason);
        assertThat(dl.getMessage()).isNotBlank();
        if (field != null) {
            assertThat(dl.getMessage()).contains("'" + field + "'");
        }
        return dl;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static String quoted(String s) {
        try {
            return MAPPER.writeValueAsString(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The record with {@code path} (like {@code legs[1].amount}) set to a raw JSON value. */
    private static String with(String record, String path, String rawJson) {
        return edit(record, path, rawJson);
    }

    /** The record without the field at {@code path}. */
    private static String without(String record, String path) {
        return edit(record, path, null);
    }

    /** The raw JSON of the value at {@code path}. */
    private static String element(String record, String path) {
        try {
            JsonNode node = MAPPER.readTree(record);
            for (String segment : path.split("\\.")) {
                node = step(node, segment);
            }
            return MAPPER.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String edit(String record, String path, String rawJson) {
        try {
            JsonNode root = MAPPER.readTree(record);
            String[] segments = path.split("\\.");
            JsonNode parent = root;
            for (int i = 0; i < segments.length - 1; i++) {
                parent = step(parent, segments[i]);
            }
            String last = segments[segments.length - 1];
            JsonNode value = rawJson == null ? null : MAPPER.readTree(rawJson);
            int bracket = last.indexOf('[');
            if (bracket < 0) {
                if (value == null) {
                    ((ObjectNode) parent).remove(last);
                } else {
                    ((ObjectNode) parent).set(last, value);
                }
            } else {
                ArrayNode array = (ArrayNode) parent.get(last.substring(0, bracket));
                int index = Integer.parseInt(last.substring(bracket + 1, last.length() - 1));
                if (value == null) {
                    array.remove(index);
                } else {
                    array.set(index, value);
                }
            }
            return MAPPER.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode step(JsonNode node, String segment) {
        int bracket = segment.indexOf('[');
        if (bracket < 0) {
            return node.get(segment);
        }
        int index = Integer.parseInt(segment.substring(bracket + 1, segment.length() - 1));
        return node.get(segment.substring(0, bracket)).get(index);
    }

    /** The record with an unknown field put first; by plain text, so it works at any size. */
    private static String withUnknownField(String record, String name, String rawJson) {
        return "{\"" + name + "\":" + rawJson + "," + record.substring(1);
    }

    /** The record padded with an unknown string field to exactly {@code bytes} UTF-8 bytes. */
    private static String padded(String record, int bytes) {
        int base = utf8(withUnknownField(record, "pad", "\"\"")).length;
        return withUnknownField(record, "pad", "\"" + "p".repeat(bytes - base) + "\"");
    }

    private static String nestedArrays(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    private static String nestedObjects(int depth) {
        return "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
    }

    /** A JSON array of {@code n} valid legs with distinct ids. */
    private static String legs(int n) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append("{\"legId\":\"L")
                    .append(i)
                    .append("\",\"payer\":\"P")
                    .append(i)
                    .append("\",\"payee\":\"Q")
                    .append(i)
                    .append("\",\"currency\":\"USD\",\"amount\":\"")
                    .append(i + 1)
                    .append(".00\"}");
        }
        return b.append(']').toString();
    }

    @Test
    void anEventStampedFurtherAheadOfTheWallClockThanAllowedIsAFutureEvent() {
        // CONFIRMED_USD is stamped 2026-11-25T09:05:10Z.
        java.time.Duration week = java.time.Duration.ofDays(7);
        EventCodec dayBefore =
                new EventCodec(
                        week,
                        java.time.Clock.fixed(
                                Instant.parse("2026-11-18T09:05:09Z"), java.time.ZoneOffset.UTC));
        EventCodec sameDay =
                new EventCodec(
                        week,
                        java.time.Clock.fixed(
                                Instant.parse("2026-11-18T09:05:10Z"), java.time.ZoneOffset.UTC));
        Origin origin = Origin.kafka("events", 0, 7);

        DecodeResult future = dayBefore.decode(CONFIRMED_USD, origin);
        assertThat(future.isValid()).isFalse();
        DeadLetter dl = future.deadLetter();
        assertThat(dl.getReason()).isEqualTo(ReasonCode.FUTURE_EVENT);
        assertThat(dl.getMessage())
                .contains("'eventTime' 2026-11-25T09:05:10Z")
                .contains("PT168H")
                .contains("2026-11-18T09:05:09Z");
        assertThat(dl.getRaw()).isEqualTo(CONFIRMED_USD);
        assertThat(dl.getSettlementId()).isEqualTo("FX-1");
        assertThat(dl.getEventId()).isEqualTo("c-1");
        assertThat(dl.getOrigin()).isEqualTo(origin);

        assertThat(sameDay.decode(CONFIRMED_USD, origin).isValid()).isTrue(); // exactly the span
        assertThat(
                        new EventCodec()
                                .decode(CONFIRMED_USD.replace("2026-", "2099-"), origin)
                                .isValid())
                .as("no check without a span")
                .isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\\u0000", // NUL
                "\\u001b[2J", // an escape sequence
                "\\u202e", // RIGHT-TO-LEFT OVERRIDE
                "\\u2066", // LEFT-TO-RIGHT ISOLATE
                "\\u200b", // ZERO WIDTH SPACE
                "\\ufeff", // ZERO WIDTH NO-BREAK SPACE
                "\\u2028", // LINE SEPARATOR
                "\\ue000", // private use
                "\\u0378" // unassigned
            })
    void idsMustBePrintable(String escaped) {
        String settlement = CONFIRMED_USD.replace("\"FX-1\"", "\"FX" + escaped + "1\"");
        DecodeResult r = new EventCodec().decode(settlement, Origin.kafka("events", 0, 1));
        assertThat(r.isValid()).as(settlement).isFalse();
        assertThat(r.deadLetter().getReason()).isEqualTo(ReasonCode.INVALID_FIELD);
        assertThat(r.deadLetter().getMessage())
                .contains("'settlementId'")
                .contains("printable")
                .contains("at character 3");

        String payer = BOOKED.replace("\"BANK_A\",\"payee\"", "\"BANK" + escaped + "\",\"payee\"");
        DecodeResult p = new EventCodec().decode(payer, Origin.kafka("events", 0, 2));
        assertThat(p.isValid()).as(payer).isFalse();
        assertThat(p.deadLetter().getMessage()).contains("legs[0].payer");
    }

    @Test
    void printableIdsOfAnyScriptAreFine() {
        for (String id : new String[] {"FX 1", "Ünïcødé-1", "交易-1", "\\ud83d\\udcb0-1"}) {
            String json = CONFIRMED_USD.replace("\"FX-1\"", "\"" + id + "\"");
            assertThat(new EventCodec().decode(json, Origin.kafka("events", 0, 1)).isValid())
                    .as(json)
                    .isTrue();
        }
    }
}
