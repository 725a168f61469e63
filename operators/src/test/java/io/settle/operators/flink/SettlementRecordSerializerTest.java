package io.settle.operators.flink;

import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import io.settle.operators.RandomDay;
import io.settle.operators.codec.EventCodec;
import io.settle.operators.core.CollectingOutputs;
import io.settle.operators.core.Deduplication;
import io.settle.operators.core.SettlementConfig;
import io.settle.operators.core.SettlementMachine;
import io.settle.operators.core.SettlementState;
import io.settle.operators.model.SettlementEvent;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.settle.operators.Fixtures.at;
import static io.settle.operators.Fixtures.confirmEur;
import static io.settle.operators.Fixtures.confirmUsd;
import static io.settle.operators.Fixtures.fxBooking;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The settle operator's state format: every record round-trips, each format version's bytes are
 * pinned (a savepoint written by that version must read the same forever), and an unknown version
 * fails saying what to do.
 */
class SettlementRecordSerializerTest {
    private static final SettlementRecordSerializer SERIALIZER =
            SettlementRecordSerializer.INSTANCE;

    static byte[] write(SettlementRecord r) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(128);
        SERIALIZER.serialize(r, out);
        return out.getCopyOfBuffer();
    }

    static SettlementRecord read(byte[] bytes, String key) throws IOException {
        SettlementRecord r = SERIALIZER.deserialize(new DataInputDeserializer(bytes));
        if (r.machine() != null) {
            r.machine().setSettlementId(key);
            r.machine().getWaiting().forEach(e -> e.setSettlementId(key));
        }
        r.pending().forEach(e -> e.setSettlementId(key));
        return r;
    }

    /** A settlement with a bit of everything, as the operator would hold it. */
    static SettlementRecord fixture() {
        SettlementConfig config = SettlementConfig.defaults();
        Deduplication dedup = new Deduplication(new EventCodec(), config);
        SettlementMachine machine = new SettlementMachine(config);
        SettlementRecord r = new SettlementRecord();
        SettlementEvent booking = fxBooking("FX-1", at("09:00:00"), at("16:00:00"));
        SettlementEvent c1 = confirmUsd("FX-1", "c-1", at("09:05:10").plusNanos(123_456_789));
        SettlementEvent c2 = confirmEur("FX-1", "c-2", at("09:07:42"));
        SettlementState state = null;
        for (SettlementEvent e : List.of(booking, c1)) {
            r.accept(e.getEventId(), dedup.fingerprint(e), dedup.rememberUntil(e));
            state = machine.apply(state, e, new CollectingOutputs());
        }
        r.setMachine(state);
        r.accept(c2.getEventId(), dedup.fingerprint(c2), dedup.rememberUntil(c2));
        r.pending().add(c2);
        r.setTimer(at("15:45:00").toEpochMilli());
        return r;
    }

    /** The fixture as format version 1 wrote it. Never change: add a test for a new version. */
    static final String V1 =
            "AQcGYi1GWC0xA2MtMQNjLTIDRVVSBkJBTktfQgZCQU5LX0EDVVNEB8DRjbbCaIDAksrHaAMBV7FyAT85+51aCsfOy0vK0wLrizXa53zuzhCbKhZM4QaVA3malE/MiVZeOnhfhip/X1ICAAEBoI61sA0BgJi4sA0AAgIEBQYEAQTQlfBXAAAHBgUHAQSAhK9fAgKMk7WwDZWa7zoAAAEDAQG8lbWwDQQEAQTQlfBX";

    /** The fixture with its clock, as format version 2 wrote it. Never change. */
    static final String V2 =
            "AgcGYi1GWC0xA2MtMQNjLTIDRVVSBkJBTktfQgZCQU5LX0EDVVNED8DRjbbCaIDAksrHaMC9r5/CaAMBV7FyAT85+51aCsfOy0vK0wLrizXa53zuzhCbKhZM4QaVA3malE/MiVZeOnhfhip/X1ICAAEBoI61sA0BgJi4sA0AAgIEBQYEAQTQlfBXAAAHBgUHAQSAhK9fAgKMk7WwDZWa7zoAAAEDAQG8lbWwDQQEAQTQlfBX";

    /** The fixture as the operator holds it now: advanced to a watermark. */
    static SettlementRecord clocked() {
        SettlementRecord r = fixture();
        r.advanceClock(at("09:07:40").toEpochMilli());
        return r;
    }

    @Test
    void version1IsReadAsItWasWritten() throws Exception {
        SettlementRecord v1 = read(Base64.getDecoder().decode(V1), "FX-1");
        assertThat(v1).isEqualTo(fixture());
        assertThat(v1.clock()).isEqualTo(SettlementRecord.NO_CLOCK);
        // Written again, it is version 2: with no clock, the same bytes but the version.
        byte[] again = write(v1);
        assertThat(again[0]).isEqualTo((byte) 2);
        byte[] v1Bytes = Base64.getDecoder().decode(V1);
        assertThat(java.util.Arrays.copyOfRange(again, 1, again.length))
                .isEqualTo(java.util.Arrays.copyOfRange(v1Bytes, 1, v1Bytes.length));
    }

    @Test
    void version2IsReadAsItWasWrittenAndWrittenAsItWasRead() throws Exception {
        SettlementRecord clocked = clocked();
        byte[] bytes = write(clocked);
        assertThat(Base64.getEncoder().encodeToString(bytes))
                .as("version 2's bytes: a change here breaks every savepoint; write a version 3")
                .isEqualTo(V2);
        assertThat(read(Base64.getDecoder().decode(V2), "FX-1")).isEqualTo(clocked);
        assertThat(bytes[0]).isEqualTo((byte) 2);
    }

    @Test
    void twoLegsThreeIdsAndAPendingEventFitInUnder190Bytes() throws Exception {
        assertThat(write(clocked())).hasSizeLessThan(190);
    }

    @Test
    void anUnknownVersionFailsNamingIt() {
        byte[] bytes = Base64.getDecoder().decode(V1);
        bytes[0] = 9;
        assertThatThrownBy(() -> read(bytes, "FX-1"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("format version 9")
                .hasMessageContaining("knows 1 to " + SettlementRecordSerializer.CURRENT_VERSION);
    }

    @Test
    void copiesAreDeepAndEqual() {
        SettlementRecord r = fixture();
        r.machine().setSettlementId("FX-1");
        SettlementRecord copy = SERIALIZER.copy(r);
        assertThat(copy).isEqualTo(r).isNotSameAs(r);
        copy.pending().clear();
        assertThat(r.pending()).hasSize(1);
    }

    @Test
    void largeAmountsAndNegativeSecondsRoundTrip() throws Exception {
        SettlementRecord r = new SettlementRecord();
        r.pending()
                .add(
                        SettlementEvent.confirmed(
                                "c-∞",
                                "X",
                                Instant.parse("0001-01-01T00:00:00.000000001Z"),
                                "L0",
                                "JPY",
                                new BigDecimal("123456789012345678901234567890")));
        assertThat(read(write(r), "X")).isEqualTo(r);
    }

    /** Every state a random day drives a settlement through, with its ids and pending events. */
    @Property(tries = 30)
    void everyRecordRoundTrips(
            @ForAll long seed, @ForAll @IntRange(min = 1, max = 12) int settlements)
            throws Exception {
        SettlementConfig config = SettlementConfig.defaults();
        Deduplication dedup = new Deduplication(new EventCodec(), config);
        SettlementMachine machine = new SettlementMachine(config);
        Map<String, List<SettlementEvent>> bySettlement = new LinkedHashMap<>();
        for (SettlementEvent e : RandomDay.generate(seed, settlements)) {
            bySettlement.computeIfAbsent(e.getSettlementId(), k -> new ArrayList<>()).add(e);
        }
        Random random = new Random(seed);
        for (Map.Entry<String, List<SettlementEvent>> s : bySettlement.entrySet()) {
            SettlementRecord r = new SettlementRecord();
            SettlementState state = null;
            for (SettlementEvent e : s.getValue()) {
                r.accept(e.getEventId(), dedup.fingerprint(e), dedup.rememberUntil(e));
                if (random.nextInt(3) == 0) {
                    r.pending().add(e.withOrigin(null));
                } else {
                    state = machine.apply(state, e, new CollectingOutputs());
                }
                r.setMachine(state);
                r.setTimer(random.nextBoolean() ? SettlementRecord.NO_TIMER : random.nextLong());
                assertThat(read(write(r), s.getKey())).isEqualTo(r);
            }
        }
    }
}
