package io.settle.operators.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.settle.operators.RandomDay;
import io.settle.operators.core.Deduplication;
import io.settle.operators.core.SettlementConfig;
import io.settle.operators.model.EventType;
import io.settle.operators.model.Leg;
import io.settle.operators.model.Money;
import io.settle.operators.model.Origin;
import io.settle.operators.model.SettlementEvent;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hand-written fast paths of the codec give exactly what the general code they stand in for
 * gave: instants as {@code OffsetDateTime.parse} reads them, canonical text as Jackson's generator
 * wrote it (so fingerprints kept in savepoints still match), strict UTF-8 as the JDK decoder.
 */
class FastPathProperties {

    // ---- instants

    @Property(tries = 3000)
    void theFastInstantParserAgreesWithTheIsoParser(@ForAll("instantLike") String s) {
        Instant fast = Instants.parseCommon(s);
        Instant iso;
        try {
            iso = OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            assertThat(fast).as("fast path accepted %s, the ISO parser did not", s).isNull();
            return;
        }
        if (fast != null) {
            assertThat(fast).as(s).isEqualTo(iso);
        }
    }

    @Property(tries = 2000)
    void everyWellFormedInstantTakesTheFastPath(@ForAll("wellFormedInstant") String s) {
        assertThat(Instants.parseCommon(s))
                .as(s)
                .isEqualTo(
                        OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                                .toInstant());
    }

    @Property(tries = 3000)
    void instantsAreFormattedAsInstantToStringFormatsThem(
            @ForAll("anyInstant") Instant t, @ForAll("nanoShape") int shape) {
        Instant shaped = t.minusNanos(t.getNano() % (shape == 0 ? 1 : shape));
        assertThat(Instants.format(shaped)).isEqualTo(shaped.toString());
    }

    @Provide
    Arbitrary<Instant> anyInstant() {
        return Arbitraries.longs()
                .between(
                        Instant.parse("-0002-01-01T00:00:00Z").getEpochSecond(),
                        Instant.parse("+10001-01-01T00:00:00Z").getEpochSecond())
                .flatMap(
                        sec ->
                                Arbitraries.integers()
                                        .between(0, 999_999_999)
                                        .map(n -> Instant.ofEpochSecond(sec, n)));
    }

    /** Whole seconds, milliseconds, microseconds or nanoseconds. */
    @Provide
    Arbitrary<Integer> nanoShape() {
        return Arbitraries.of(1_000_000_000, 1_000_000, 1_000, 1, 0);
    }

    @Example
    void edgeInstantsAreFormattedAsToStringFormatsThem() {
        for (String s :
                List.of(
                        "0001-01-01T00:00:00Z",
                        "9999-12-31T23:59:59.999999999Z",
                        "1970-01-01T00:00:00Z",
                        "1969-12-31T23:59:59.000000001Z",
                        "2024-02-29T12:00:00.100Z",
                        "2026-11-25T10:00:00.000100Z")) {
            Instant t = Instant.parse(s);
            assertThat(Instants.format(t)).isEqualTo(t.toString()).isEqualTo(s);
        }
    }

    @Example
    void edgeCasesFallBackOrAgree() {
        for (String s :
                List.of(
                        "2024-02-29T00:00:00Z",
                        "2023-02-29T00:00:00Z",
                        "2026-11-25T23:59:59.999999999-18:00",
                        "2026-11-25T23:59:59+18:01",
                        "2026-11-25T24:00:00Z",
                        "2026-11-25T23:59:60Z",
                        "2026-11-25t10:00:00z",
                        "2026-11-25T10:00Z",
                        "2026-11-25T10:00:00.Z",
                        "2026-11-25T10:00:00.1234567890Z",
                        "2026-11-25T10:00:00+01",
                        "2026-11-25T10:00:00+0100",
                        "2026-11-25T10:00:00+01:00:30",
                        "0000-01-01T00:00:00Z",
                        "9999-12-31T23:59:59.999999999Z",
                        "+10000-01-01T00:00:00Z",
                        "2026-13-01T00:00:00Z",
                        "2026-00-10T00:00:00Z",
                        "2026-11-00T00:00:00Z",
                        "2026-11-25T10:00:00-00:00",
                        "２026-11-25T10:00:00Z")) {
            theFastInstantParserAgreesWithTheIsoParser(s);
        }
    }

    @Provide
    Arbitrary<String> wellFormedInstant() {
        Arbitrary<Instant> instants =
                Arbitraries.longs()
                        .between(
                                Instant.parse("0001-01-02T00:00:00Z").getEpochSecond(),
                                Instant.parse("9999-12-30T00:00:00Z").getEpochSecond())
                        .flatMap(
                                sec ->
                                        Arbitraries.integers()
                                                .between(0, 999_999_999)
                                                .map(n -> Instant.ofEpochSecond(sec, n)));
        Arbitrary<String> offsets =
                Arbitraries.oneOf(
                        Arbitraries.just("Z"),
                        Combinators.combine(
                                        Arbitraries.of("+", "-"),
                                        Arbitraries.integers().between(0, 17),
                                        Arbitraries.integers().between(0, 59))
                                .as((sign, h, m) -> String.format("%s%02d:%02d", sign, h, m)));
        Arbitrary<Integer> fractionDigits = Arbitraries.integers().between(0, 9);
        return Combinators.combine(instants, offsets, fractionDigits)
                .as(
                        (t, offset, digits) -> {
                            var zone =
                                    offset.equals("Z")
                                            ? java.time.ZoneOffset.UTC
                                            : java.time.ZoneOffset.of(offset);
                            var local = t.atOffset(zone).toLocalDateTime();
                            String base =
                                    String.format(
                                            "%04d-%02d-%02dT%02d:%02d:%02d",
                                            local.getYear(),
                                            local.getMonthValue(),
                                            local.getDayOfMonth(),
                                            local.getHour(),
                                            local.getMinute(),
                                            local.getSecond());
                            String fraction =
                                    digits == 0
                                            ? ""
                                            : "."
                                                    + String.format("%09d", local.getNano())
                                                            .substring(0, digits);
                            return base + fraction + offset;
                        });
    }

    /** Well-formed instants with one character replaced, dropped or doubled. */
    @Provide
    Arbitrary<String> instantLike() {
        return Combinators.combine(
                        wellFormedInstant(),
                        Arbitraries.integers().between(0, 40),
                        Arbitraries.integers().between(0, 3),
                        Arbitraries.of(
                                '0', '1', '2', '3', '5', '9', ':', '-', '+', '.', 'T', 'Z', 't',
                                'z', ' ', 'x', '٣'))
                .as(
                        (s, at, kind, c) -> {
                            if (at >= s.length()) {
                                return s;
                            }
                            switch (kind) {
                                case 0:
                                    return s.substring(0, at) + c + s.substring(at + 1);
                                case 1:
                                    return s.substring(0, at) + s.substring(at + 1);
                                case 2:
                                    return s.substring(0, at) + c + s.substring(at);
                                default:
                                    return s;
                            }
                        });
    }

    // ---- strict UTF-8

    @Property(tries = 3000)
    void utf8IsDecodedAsStrictlyAsTheJdkDecoderDecodesIt(@ForAll("utf8Like") byte[] bytes) {
        String strict;
        try {
            strict =
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                            .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                            .decode(java.nio.ByteBuffer.wrap(bytes))
                            .toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            byte[] copy = bytes;
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> EventCodec.strictUtf8(copy))
                    .isInstanceOf(java.nio.charset.CharacterCodingException.class);
            return;
        }
        try {
            assertThat(EventCodec.strictUtf8(bytes)).isEqualTo(strict);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new AssertionError("valid UTF-8 refused: " + HexFormat.of().formatHex(bytes), e);
        }
    }

    /** Text with replacement characters, non-ASCII and surrogates, then some bytes mangled. */
    @Provide
    Arbitrary<byte[]> utf8Like() {
        Arbitrary<byte[]> text =
                Arbitraries.strings()
                        .withChars('a', '"', '\ufffd', '\u00e9', '\u20ac', '\ud83d', '\ude00')
                        .ofMaxLength(12)
                        .map(t -> t.getBytes(StandardCharsets.UTF_8));
        return Combinators.combine(
                        text,
                        Arbitraries.integers().between(0, 20),
                        Arbitraries.bytes(),
                        Arbitraries.integers().between(0, 2))
                .as(
                        (b, at, value, kind) -> {
                            if (kind == 0 || at >= b.length) {
                                return b;
                            }
                            byte[] copy = b.clone();
                            copy[at] = value;
                            return kind == 1 ? copy : Arrays.copyOf(copy, at);
                        });
    }

    // ---- canonical text

    private static final JsonFactory JACKSON = new JsonFactory();
    private static final Deduplication DEDUP =
            new Deduplication(new EventCodec(), SettlementConfig.builder().build());

    /** The canonical encoding as it was written with Jackson's generator, for comparison. */
    static String jacksonCanonical(SettlementEvent e) throws Exception {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JACKSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("eventId", e.getEventId());
            g.writeStringField("type", e.getType().name());
            g.writeStringField("settlementId", e.getSettlementId());
            g.writeStringField("eventTime", e.getEventTime().toString());
            switch (e.getType()) {
                case OBLIGATION_BOOKED:
                    if (e.getDeadline() != null) {
                        g.writeStringField("deadline", e.getDeadline().toString());
                    }
                    g.writeArrayFieldStart("legs");
                    for (Leg leg : e.getLegs()) {
                        g.writeStartObject();
                        g.writeStringField("legId", leg.getLegId());
                        g.writeStringField("payer", leg.getPayer());
                        g.writeStringField("payee", leg.getPayee());
                        g.writeStringField("currency", leg.getCurrency());
                        g.writeStringField(
                                "amount", Money.canonical(leg.getAmount(), leg.getCurrency()));
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                    break;
                case LEG_CONFIRMED:
                    g.writeStringField("legId", e.getLegId());
                    g.writeStringField("currency", e.getCurrency());
                    g.writeStringField("amount", Money.canonical(e.getAmount(), e.getCurrency()));
                    break;
                default:
                    if (e.getReason() != null) {
                        g.writeStringField("reason", e.getReason());
                    }
            }
            g.writeEndObject();
        }
        return out.toString();
    }

    @Property(tries = 300)
    void theCanonicalTextIsWhatJacksonWrote(@ForAll long seed) throws Exception {
        for (SettlementEvent e : RandomDay.generate(seed, 5)) {
            assertThat(new EventCodec().encode(e)).isEqualTo(jacksonCanonical(e));
        }
    }

    @Property(tries = 2000)
    void anyTextIsEscapedAsJacksonEscapesIt(
            @ForAll("anyText") String id, @ForAll("anyText") String reason) throws Exception {
        SettlementEvent e = new SettlementEvent();
        e.setEventId(id);
        e.setType(EventType.SETTLEMENT_CANCELLED);
        e.setSettlementId("S-" + id);
        e.setEventTime(Instant.parse("2026-11-25T10:00:00.120Z"));
        e.setReason(reason);
        assertThat(new EventCodec().encode(e)).isEqualTo(jacksonCanonical(e));
        assertThat(HexFormat.of().formatHex(DEDUP.fingerprint(e))).isEqualTo(sha128(e));
        e.setReason(null);
        assertThat(new EventCodec().encode(e)).isEqualTo(jacksonCanonical(e));
    }

    @Provide
    Arbitrary<String> anyText() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(20),
                Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(20),
                Arbitraries.strings()
                        .withChars('"', '\\', '/', '\b', '\t', '\n', '\f', '\r', '\u007f')
                        .withChars('\u0000', '\u001f', '\u2028', '\ud83d', '\ude00')
                        .ofMaxLength(12));
    }

    /**
     * Fingerprints kept in savepoints taken before the hand-written encoder must still match: a
     * fixed event's fingerprint is pinned.
     */
    @Example
    void theFingerprintOfAFixedEventIsPinned() {
        SettlementEvent e = new SettlementEvent();
        e.setEventId("E-1");
        e.setType(EventType.LEG_CONFIRMED);
        e.setSettlementId("S-1");
        e.setEventTime(Instant.parse("2026-11-25T10:00:00.120Z"));
        e.setLegId("L-1");
        e.setCurrency("JPY");
        e.setAmount(new BigDecimal("1500"));
        e.setOrigin(new Origin());
        Deduplication dedup =
                new Deduplication(new EventCodec(), SettlementConfig.builder().build());
        byte[] fingerprint = dedup.fingerprint(e);
        assertThat(HexFormat.of().formatHex(fingerprint))
                .isEqualTo(sha128(e))
                .isEqualTo("791d3388135209396de7657728d8ec3b");
        assertThat(fingerprint).isEqualTo(dedup.fingerprint(e)); // the digest is reused safely
    }

    private static String sha128(SettlementEvent e) {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256")
                            .digest(jacksonCanonical(e).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(Arrays.copyOf(digest, Deduplication.FINGERPRINT_BYTES));
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }
}
