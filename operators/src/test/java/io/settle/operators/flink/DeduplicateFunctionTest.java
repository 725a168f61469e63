package io.settle.operators.flink;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

import io.settle.operators.core.SettlementConfig;
import io.settle.operators.model.Alert;
import io.settle.operators.model.DeadLetter;
import io.settle.operators.model.Origin;
import io.settle.operators.model.ReasonCode;
import io.settle.operators.model.SettlementEvent;
import io.settle.operators.model.Severity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import static io.settle.operators.Fixtures.at;
import static io.settle.operators.Fixtures.confirmUsd;
import static io.settle.operators.Fixtures.fxBooking;
import static io.settle.operators.flink.Harnesses.drain;
import static io.settle.operators.flink.Harnesses.drainOutput;
import static io.settle.operators.flink.Harnesses.feed;
import static org.assertj.core.api.Assertions.assertThat;

class DeduplicateFunctionTest {
    private static final SettlementConfig LIVE = SettlementConfig.defaults();
    private static final long OOO = LIVE.maxOutOfOrderness().toMillis();

    private KeyedOneInputStreamOperatorTestHarness<String, SettlementEvent, SettlementEvent> h;

    @AfterEach
    void close() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void forwardsTheFirstCopyAndDropsExactDuplicates() throws Exception {
        h = Harnesses.open(new DeduplicateFunction(LIVE));
        SettlementEvent c1 = confirmUsd("FX-1", "c-1", at("09:05:10"));
        // The same content written differently: another scale, another offset.
        SettlementEvent same =
                SettlementEvent.confirmed(
                        "c-1",
                        "FX-1",
                        OffsetDateTime.parse("2026-11-25T10:05:10+01:00").toInstant(),
                        "USD",
                        "USD",
                        new BigDecimal("1000000.0"));
        feed(h, c1, same, c1);
        assertThat(drainOutput(h)).containsExactly(c1);
        assertThat(drain(h, SettleOutputs.DEAD_LETTERS)).isEmpty();
        assertThat(drain(h, SettleOutputs.ALERTS)).isEmpty();
    }

    @Test
    void deadLettersAConflictingCopyAndRaisesAnAlert() throws Exception {
        h = Harnesses.open(new DeduplicateFunction(LIVE));
        SettlementEvent c1 = confirmUsd("FX-1", "c-1", at("09:05:10"));
        SettlementEvent conflicting =
                SettlementEvent.confirmed(
                                "c-1",
                                "FX-1",
                                at("09:05:10"),
                                "USD",
                                "USD",
                                new BigDecimal("999.00"))
                        .withOrigin(Origin.kafka("events", 3, 42L));
        feed(h, c1, conflicting);
        assertThat(drainOutput(h)).containsExactly(c1);

        List<DeadLetter> dead = drain(h, SettleOutputs.DEAD_LETTERS);
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).getReason()).isEqualTo(ReasonCode.CONFLICTING_DUPLICATE);
        assertThat(dead.get(0).getOrigin()).isEqualTo(Origin.kafka("events", 3, 42L));
        assertThat(dead.get(0).getRaw()).contains("\"amount\":\"999.00\"");
        assertThat(dead.get(0).getMessage()).contains("c-1").contains("FX-1");

        List<Alert> alerts = drain(h, SettleOutputs.ALERTS);
        assertThat(alerts)
                .extracting(Alert::getAlertId)
                .containsExactly("FX-1:CONFLICTING_DUPLICATE:c-1");
        assertThat(alerts.get(0).getSeverity()).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void remembersIdsAcrossASnapshotAndRestore() throws Exception {
        h = Harnesses.open(new DeduplicateFunction(LIVE));
        SettlementEvent booking = fxBooking("FX-1", at("09:00:00"), at("16:00:00"));
        feed(h, booking);
        assertThat(drainOutput(h)).hasSize(1);
        OperatorSubtaskState snapshot = h.snapshot(1L, 1L);
        h.close();

        h = Harnesses.open(new DeduplicateFunction(LIVE), snapshot);
        feed(h, booking);
        assertThat(drainOutput(h)).isEmpty();
    }

    @Test
    void forgetsASettlementOnlyAfterItsStateIsRetainedNoLonger() throws Exception {
        h = Harnesses.open(new DeduplicateFunction(LIVE), Harnesses.Backend.HEAP);
        h.setProcessingTime(at("09:00:00").toEpochMilli());
        SettlementEvent booking = fxBooking("FX-1", at("09:00:00"), at("16:00:00"));
        feed(h, booking, confirmUsd("FX-1", "c-1", at("09:05:10")));
        assertThat(h.numProcessingTimeTimers()).isEqualTo(1);

        Instant forget = at("16:00:00").plus(LIVE.expiry()).plus(LIVE.retention());
        h.setProcessingTime(forget.toEpochMilli() + OOO - 1);
        feed(h, booking);
        assertThat(drainOutput(h)).hasSize(2); // still remembered: only the first two passed

        h.setProcessingTime(forget.toEpochMilli() + OOO);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numProcessingTimeTimers()).isZero();
    }

    @Test
    void replayClearsItsStateWhenTheInputEnds() throws Exception {
        h =
                Harnesses.open(
                        new DeduplicateFunction(
                                SettlementConfig.builder().replay(at("23:00:00")).build()),
                        Harnesses.Backend.HEAP);
        SettlementEvent booking = fxBooking("FX-1", at("09:00:00"), at("16:00:00"));
        feed(h, booking, booking);
        assertThat(drainOutput(h)).hasSize(1);
        h.processWatermark(Long.MAX_VALUE);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }
}
