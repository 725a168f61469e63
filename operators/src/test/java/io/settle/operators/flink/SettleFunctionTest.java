package io.settle.operators.flink;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

import io.settle.operators.core.SettlementConfig;
import io.settle.operators.model.Alert;
import io.settle.operators.model.AlertType;
import io.settle.operators.model.OpenBookEntry;
import io.settle.operators.model.SettlementEvent;
import io.settle.operators.model.SettlementResult;
import io.settle.operators.model.SettlementStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.settle.operators.Fixtures.at;
import static io.settle.operators.Fixtures.confirmEur;
import static io.settle.operators.Fixtures.confirmUsd;
import static io.settle.operators.Fixtures.fxBooking;
import static io.settle.operators.flink.Harnesses.drain;
import static io.settle.operators.flink.Harnesses.drainOutput;
import static io.settle.operators.flink.Harnesses.feed;
import static org.assertj.core.api.Assertions.assertThat;

class SettleFunctionTest {
    private static final SettlementConfig LIVE = SettlementConfig.defaults();
    private static final long OOO = LIVE.maxOutOfOrderness().toMillis();

    private KeyedOneInputStreamOperatorTestHarness<String, SettlementEvent, SettlementResult> h;

    @AfterEach
    void close() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    private static long ms(Instant t) {
        return t.toEpochMilli();
    }

    private static List<AlertType> types(List<Alert> alerts) {
        return alerts.stream().map(Alert::getType).toList();
    }

    @Test
    void holdsEventsUntilTheWatermarkPassesThem() throws Exception {
        h = Harnesses.open(new SettleFunction(LIVE));
        h.setProcessingTime(ms(at("09:00:00")));
        feed(
                h,
                fxBooking("FX-1", at("09:00:00"), at("16:00:00")),
                confirmUsd("FX-1", "c-1", at("09:05:10")),
                confirmEur("FX-1", "c-2", at("09:07:42")));
        assertThat(drainOutput(h)).isEmpty();

        h.processWatermark(ms(at("09:07:41")));
        assertThat(drainOutput(h)).isEmpty();

        h.processWatermark(ms(at("09:07:42")));
        List<SettlementResult> results = drainOutput(h);
        assertThat(results).hasSize(1);
        SettlementResult r = results.get(0);
        assertThat(r.getResultId()).isEqualTo("FX-1:SETTLED");
        assertThat(r.getEndedAt()).isEqualTo(at("09:07:42"));
        assertThat(r.isBreached()).isFalse();
        assertThat(r.getEventsApplied()).isEqualTo(3);
        assertThat(drain(h, SettleOutputs.ALERTS)).isEmpty();
    }

    @Test
    void appliesEventsInApplyOrderWhateverTheirArrivalOrder() throws Exception {
        h = Harnesses.open(new SettleFunction(LIVE));
        // Confirmations first, the booking last: all within the allowance.
        feed(
                h,
                confirmEur("FX-1", "c-2", at("09:00:01")),
                confirmUsd("FX-1", "c-1", at("09:00:01")),
                fxBooking("FX-1", at("09:00:00"), at("16:00:00")));
        h.processWatermark(ms(at("09:00:05")));
        List<SettlementResult> results = drainOutput(h);
        assertThat(results)
                .extracting(SettlementResult::getStatus)
                .containsExactly(SettlementStatus.SETTLED);
        assertThat(results.get(0).getEndedAt()).isEqualTo(at("09:00:01"));
        assertThat(drain(h, SettleOutputs.ALERTS)).isEmpty();
    }

    @Test
    void appliesALateEventOnArrivalAndRaisesLateEvent() throws Exception {
        h = Harnesses.open(new SettleFunction(LIVE));
        feed(
                h,
                fxBooking("FX-1", at("09:00:00"), at("16:00:00")),
                confirmUsd("FX-1", "c-1", at("09:05:00")));
        h.processWatermark(ms(at("10:00:00")));
        assertThat(drain(h, SettleOutputs.ALERTS)).isEmpty();

        feed(h, confirmEur("FX-1", "c-2", at("09:30:00")));
        List<Alert> alerts = drain(h, SettleOutputs.ALERTS);
        assertThat(alerts).extracting(Alert::getAlertId).containsExactly("FX-1:LATE_EVENT:c-2");
        assertThat(alerts.get(0).getAt()).isEqualTo(at("09:30:00"));
        List<SettlementResult> results = drainOutput(h);
        assertThat(results).hasSize(1);
        assertThat(results.get(0).getEndedAt()).isEqualTo(at("09:30:00"));
    }

    @Test
    void raisesTheDeadlineAlertByTheWallClockWhileNoEventsFlow() throws Exception {
        h = Harnesses.open(new SettleFunction(LIVE));
        h.setProcessingTime(ms(at("09:00:00")));
        feed(h, fxBooking("FX-2", at("09:00:00"), at("10:00:00")));
        // No more input and no watermark at all: only the wall clock moves.
        h.setProcessingTime(ms(at("09:45:00")) + OOO - 1);
        assertThat(drain(h, SettleOutputs.ALERTS)).isEmpty();
        h.setProcessingTime(ms(at("09:45:00")) + OOO);
        List<Alert> atRisk = drain(h, SettleOutputs.ALERTS);
        assertThat(atRisk).extracting(Alert::getAlertId).containsExactly("FX-2:AT_RISK");
        assertThat(atRisk.get(0).getAt()).isEqualTo(at("09:45:00"));
        assertThat(atRisk.get(0).getDetail()).startsWith("2 of 2 legs unconfirmed");

        h.setProcessingTime(ms(at("10:00:00")) + OOO);
        List<Alert> missed = drain(h, SettleOutputs.ALERTS);
        assertThat(missed).extracting(Alert::getAlertId).containsExactly("FX-2:DEADLINE_MISSED");
        assertThat(missed.get(0).getAt()).isEqualTo(at("10:00:00"));
        assertThat(missed.get(0).getDetail()).isEqualTo("2 of 2 legs unconfirmed at deadline");
        assertThat(drainOutput(h)).isEmpty();
    }

    @Test
    void aQuietStreamStillSettlesByTheWallClock() throws Exception {
        h = Harnesses.open(new SettleFunction(LIVE));
        h.setProcessingTime(ms(at("09:07:42")));
        feed(
                h,
                fxBooking("FX-1", at("09:00:00"), at("16:00:00")),
                confirmUsd("FX-1", "c-1", at("09:05:10")),
                confirmEur("FX-1", "c-2", at("09:07:42")));
        // The last events of the day: no later event will ever move the watermark past them.
        h.processWatermark(ms(at("09:07:40")));
        assertThat(drainOutput(h)).isEmpty();
        h.setProcessingTime(ms(at("09:07:42")) + OOO - 1);
        assertThat(drainOutput(h)).isEmpty();
        h.setProcessingTime(ms(at("09:07:42")) + OOO);
        List<SettlementResult> results = drainOutput(h);
        assertThat(results)
                .extracting(SettlementResult::getResultId)
                .containsExactly("FX-1:SETTLED");
        assertThat(results.get(0).getEventsApplied()).isEqualTo(3);
    }

    @Test
    void aTickSeesPendingEventsStampedBeforeItEvenWhenTheWatermarkStalls() throws Exception {
        h = Harnesses.open(new SettleFunction(LIVE));
        h.setProcessingTime(ms(at("09:00:00")));
        feed(h, fxBooking("FX-3", at("09:00:00"), at("10:00:00")));
        h.processWatermark(ms(at("09:00:00")));
        // Both legs confirmed before the deadline, but the watermark never passes them.
        feed(
                h,
                confirmUsd("FX-3", "c-1", at("09:59:00")),
                confirmEur("FX-3", "c-2", at("09:59:59")));
        h.setProcessingTime(ms(at("09:45:00")) + OOO);
        assertThat(types(drain(h, SettleOutputs.ALERTS))).containsExactly(AlertType.AT_RISK);

        h.setProcessingTime(ms(at("10:00:00")) + OOO);
        assertThat(drain(h, SettleOutputs.ALERTS)).isEmpty();
        List<SettlementResult> results = drainOutput(h);
        assertThat(results).hasSize(1);
        assertThat(results.get(0).isBreached()).isFalse();
        assertThat(results.get(0).getEndedAt()).isEqualTo(at("09:59:59"));
    }

    @Test
    void restoresFromASnapshotTakenMidStream() throws Exception {
        h = Harnesses.open(new SettleFunction(LIVE));
        h.setProcessingTime(ms(at("09:00:00")));
        feed(
                h,
                fxBooking("FX-1", at("09:00:00"), at("16:00:00")),
                confirmUsd("FX-1", "c-1", at("09:05:10")));
        h.processWatermark(ms(at("09:00:00")));
        // One event applied (the booking), one still pending, one tick timer registered.
        OperatorSubtaskState snapshot = h.snapshot(1L, 1L);
        h.close();

        h = Harnesses.open(new SettleFunction(LIVE), snapshot);
        h.setProcessingTime(ms(at("09:10:00")));
        assertThat(h.numProcessingTimeTimers()).isEqualTo(1);
        assertThat(h.numEventTimeTimers()).isEqualTo(1);
        feed(h, confirmEur("FX-1", "c-2", at("09:07:42")));
        h.processWatermark(ms(at("09:07:42")));
        List<SettlementResult> results = drainOutput(h);
        assertThat(results).hasSize(1);
        assertThat(results.get(0).getEventsApplied()).isEqualTo(3);
        assertThat(results.get(0).getEndedAt()).isEqualTo(at("09:07:42"));
    }

    @Test
    void clearsEveryStateAndTimerAfterRetention() throws Exception {
        h = Harnesses.open(new SettleFunction(LIVE), Harnesses.Backend.HEAP);
        h.setProcessingTime(ms(at("09:00:00")));
        feed(
                h,
                fxBooking("FX-1", at("09:00:00"), at("16:00:00")),
                confirmUsd("FX-1", "c-1", at("09:05:10")),
                confirmEur("FX-1", "c-2", at("09:07:42")),
                // A confirmation that waits for a booking that never comes.
                confirmUsd("FX-9", "c-9", at("09:08:00")));
        h.processWatermark(ms(at("09:10:00")));
        assertThat(drainOutput(h)).hasSize(1);
        assertThat(h.numKeyedStateEntries()).isPositive();

        Instant retained = at("09:07:42").plus(LIVE.retention());
        h.setProcessingTime(ms(retained) + OOO - 1);
        assertThat(h.numKeyedStateEntries()).isPositive();

        Instant orphanGone = at("09:08:00").plus(LIVE.orphanTimeout()).plus(LIVE.retention());
        h.setProcessingTime(ms(orphanGone) + OOO);
        assertThat(types(drain(h, SettleOutputs.ALERTS))).containsExactly(AlertType.ORPHAN_EVENT);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numProcessingTimeTimers()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void replayAppliesEverythingAtTheEndStopsTheClockAndWritesTheOpenBook() throws Exception {
        Instant until = at("12:00:00");
        h =
                Harnesses.open(
                        new SettleFunction(SettlementConfig.builder().replay(until).build()),
                        Harnesses.Backend.HEAP);
        feed(
                h,
                confirmEur("FX-1", "c-2", at("09:07:42")),
                fxBooking("FX-3", at("10:00:00"), at("12:00:00")),
                confirmUsd("FX-1", "c-1", at("09:05:10")),
                confirmUsd("FX-3", "c-3", at("10:30:00")),
                fxBooking("FX-1", at("09:00:00"), at("16:00:00")),
                // After the clock's end: left out.
                confirmEur("FX-3", "c-4", at("12:00:01")));
        h.processWatermark(ms(at("11:00:00")));
        assertThat(drainOutput(h)).isEmpty();

        h.processWatermark(Long.MAX_VALUE);
        assertThat(drainOutput(h))
                .extracting(SettlementResult::getResultId)
                .containsExactly("FX-1:SETTLED");
        // FX-3's deadline is the clock's end: both its ticks fire, nothing later does.
        assertThat(drain(h, SettleOutputs.ALERTS))
                .extracting(Alert::getAlertId)
                .containsExactly("FX-3:AT_RISK", "FX-3:DEADLINE_MISSED");
        List<OpenBookEntry> open = drain(h, SettleOutputs.OPEN_BOOK);
        assertThat(open).hasSize(1);
        assertThat(open.get(0).getSettlementId()).isEqualTo("FX-3");
        assertThat(open.get(0).getLegsConfirmed()).isEqualTo(1);
        assertThat(open.get(0).getEventsApplied()).isEqualTo(2);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void expiresAnOpenSettlementAtDeadlinePlusExpiryByTheWallClock() throws Exception {
        SettlementConfig config = LIVE.toBuilder().expiry(Duration.ofHours(1)).build();
        h = Harnesses.open(new SettleFunction(config));
        h.setProcessingTime(ms(at("09:00:00")));
        feed(h, fxBooking("FX-4", at("09:00:00"), at("10:00:00")));
        h.processWatermark(ms(at("09:00:00")));
        h.setProcessingTime(ms(at("11:00:00")) + OOO);
        List<SettlementResult> results = drainOutput(h);
        assertThat(results)
                .extracting(SettlementResult::getResultId)
                .containsExactly("FX-4:EXPIRED");
        assertThat(results.get(0).getEndedAt()).isEqualTo(at("11:00:00"));
        assertThat(results.get(0).isBreached()).isTrue();
        assertThat(types(drain(h, SettleOutputs.ALERTS)))
                .containsExactly(AlertType.AT_RISK, AlertType.DEADLINE_MISSED);
    }
}
