package io.settle.operators.codec;

import io.settle.operators.RandomDay;
import io.settle.operators.model.DeadLetter;
import io.settle.operators.model.Origin;
import io.settle.operators.model.SettlementEvent;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The codec fuzzed: whatever the bytes (random, or a valid event's bytes mutated), {@code decode}
 * never throws and every record ends in exactly one place: a valid event that encodes and decodes
 * back to itself, or one dead letter that names its reason, identifies the whole record (size and
 * SHA-256), points at its origin, validates against the dead-letter schema and stays small.
 */
class CodecFuzzProperties {
    private static final EventCodec CODEC = new EventCodec();
    private static final OutputCodec OUTPUT = new OutputCodec();
    private static final Origin ORIGIN = Origin.kafka("settle.events", 3, 42L);
    private static final List<byte[]> VALID =
            RandomDay.generate(11, 40).stream()
                    .map(e -> CODEC.encode(e).getBytes(StandardCharsets.UTF_8))
                    .toList();

    @Property(tries = 3000)
    void arbitraryBytesEndInExactlyOnePlace(@ForAll("bytes") byte[] record) {
        assertOnePlace(record);
    }

    @Property(tries = 3000)
    void mutatedEventsEndInExactlyOnePlace(@ForAll("mutated") byte[] record) {
        assertOnePlace(record);
    }

    private static void assertOnePlace(byte[] record) {
        byte[] copy = record.clone();
        DecodeResult r = CODEC.decode(record, ORIGIN);
        assertThat(record).as("decode leaves its input alone").isEqualTo(copy);
        assertThat(r.isValid() ^ (r.deadLetter() != null)).as("exactly one place").isTrue();
        if (r.isValid()) {
            SettlementEvent e = r.event();
            assertThat(e.getOrigin()).isEqualTo(ORIGIN);
            DecodeResult again = CODEC.decode(CODEC.encode(e), ORIGIN);
            assertThat(again.isValid()).isTrue();
            assertThat(CODEC.encode(again.event())).isEqualTo(CODEC.encode(e));
            return;
        }
        DeadLetter d = r.deadLetter();
        assertThat(d.getReason()).isNotNull();
        assertThat(d.getMessage()).isNotBlank();
        assertThat(d.getOrigin()).isEqualTo(ORIGIN);
        assertThat(d.getRawBytes()).isEqualTo(record.length);
        assertThat(d.getRawSha256()).isEqualTo(EventCodec.sha256(record, record.length));
        String json = OUTPUT.deadLetter(d);
        SchemaTest.assertValidDeadLetter(json);
        assertThat(json.length()).isLessThan(420_000);
    }

    @Provide
    Arbitrary<byte[]> bytes() {
        return Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(600),
                // mostly printable, with JSON's punctuation: closer to what parses
                Arbitraries.of(
                                "{",
                                "}",
                                "[",
                                "]",
                                "\"",
                                ":",
                                ",",
                                "\\",
                                "0",
                                "1",
                                "a",
                                "e",
                                " ",
                                "\u0000",
                                "\u00e9",
                                "\ud83d\ude00",
                                "eventId",
                                "type",
                                "legs")
                        .list()
                        .ofMaxSize(80)
                        .map(l -> String.join("", l).getBytes(StandardCharsets.UTF_8)));
    }

    @Provide
    Arbitrary<byte[]> mutated() {
        Arbitrary<byte[]> base = Arbitraries.of(VALID);
        return base.flatMap(
                b ->
                        Arbitraries.integers()
                                .between(0, b.length - 1)
                                .list()
                                .ofMinSize(1)
                                .ofMaxSize(4)
                                .flatMap(
                                        at ->
                                                Arbitraries.bytes()
                                                        .list()
                                                        .ofSize(at.size())
                                                        .flatMap(
                                                                values ->
                                                                        Arbitraries.integers()
                                                                                .between(0, 2)
                                                                                .map(
                                                                                        how ->
                                                                                                mutate(
                                                                                                        b,
                                                                                                        at,
                                                                                                        values,
                                                                                                        how)))));
    }

    /** Overwrites (0), deletes (1) or inserts (2) a byte at each position. */
    private static byte[] mutate(byte[] b, List<Integer> at, List<Byte> values, int how) {
        byte[] out = Arrays.copyOf(b, b.length);
        for (int i = 0; i < at.size(); i++) {
            int p = Math.min(at.get(i), out.length - 1);
            if (p < 0) {
                break;
            }
            switch (how) {
                case 0 -> out[p] = values.get(i);
                case 1 -> {
                    byte[] shorter = new byte[out.length - 1];
                    System.arraycopy(out, 0, shorter, 0, p);
                    System.arraycopy(out, p + 1, shorter, p, out.length - p - 1);
                    out = shorter;
                }
                default -> {
                    byte[] longer = new byte[out.length + 1];
                    System.arraycopy(out, 0, longer, 0, p);
                    longer[p] = values.get(i);
                    System.arraycopy(out, p, longer, p + 1, out.length - p);
                    out = longer;
                }
            }
        }
        return out;
    }
}
