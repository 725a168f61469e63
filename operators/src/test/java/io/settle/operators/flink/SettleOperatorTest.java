package io.settle.operators.flink;

import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

import io.settle.operators.core.SettlementConfig;
import io.settle.operators.model.Alert;
import io.settle.operators.model.AlertType;
import io.settle.operators.model.DeadLetter;
import io.settle.operators.model.OpenBookEntry;
import io.settle.operators.model.Origin;
import io.settle.operators.model.ReasonCode;
import io.settle.operators.model.SettlementEvent;
import io.settle.operators.model.SettlementResult;
import io.settle.operators.model.SettlementStatus;
import io.settle.operators.model.Severity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import static io.settle.operators.Fixtures.at;
import static io.settle.operators.Fixtures.confirmEur;
import static io.settle.operators.Fixtures.confirmUsd;
import static io.settle.operators.Fixtures.fxBooking;
import static io.settle.operators.flink.Harnesses.drain;
import static io.settle.operators.flink.Harnesses.drainOutput;
import static io.settle.operators.flink.Harnesses.feed;
import static org.assertj.core.api.Assertions.assertThat;

/** The settle operator in a keyed harness on RocksDB (or the heap, to count its state). */
class SettleOperatorTest {
    private static final SettlementConfig LIVE = SettlementConfig.defaults();

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

    // ---------------------------------------------------------------------------------------
    // Deduplication.

    @Test
    void acceptsTheFirstCopyAndDropsExactDuplicatesWrittenDifferently() throws Exception {
        h = Harnesses.open(LIVE);
        SettlementEvent booking = fxBooking("FX-1", at("09:00:00"), at("16:00:00"));
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
        feed(h, booking, c1, same, c1, booking);
        h.processWatermark(ms(at("10:00:00")));
        assertThat(drainOutput(h)).isEmpty(); // one leg of two: open
        assertThat(drain(h, SettleOutputs.DEAD_LETTERS)).isEmpty();
        assertThat(drain(h, SettleOutputs.ALERTS)).isEmpty();
        feed(h, confirmEur("FX-1", "c-2", at("10:00:01")));
        h.processWatermark(ms(at("10:00:01")));
        List<SettlementResult> results = drainOutput(h);
        assertThat(results).hasSize(1);
        assertThat(results.get(0).getEventsApplied()).isEqualTo(3);
    }

    @Test
    void deadLettersAConflictingCopyOnArrivalAndRaisesAnAlert() throws Exception {
        h = Harnesses.open(LIVE);
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

        List<DeadLetter> dead = drain(h, SettleOutputs.DEAD_LETTERS);
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).getReason()).isEqualTo(ReasonCode.CONFLICTING_DUPLICATE);
        assertThat(dead.get(0).getOrigin()).isEqualTo(Origin.kafka("events", 3, 42L));
        assertThat(dead.get(0).getRaw()).contains("\"amount\":\"999.00\"");
        List<Alert> alerts = drain(h, SettleOutputs.ALERTS);
        assertThat(alerts)
                .extracting(Alert::getAlertId)
                .containsExactly("FX-1:CONFLICTING_DUPLICATE:c-1");
        assertThat(alerts.get(0).getSeverity()).isEqualTo(Severity.CRITICAL);
    }

    /**
     * A flood of 20,000 fresh confirmations on one settlement, on RocksDB, the watermark moving
     * every 100 events (so the record is written to and read from state between them): the first
     * 1,000 (the default maximum) are accepted and wait for their booking, every later one is
     * dead-lettered as SETTLEMENT_LIMIT without touching the record, a copy of an accepted one is
     * still a duplicate, and the same events in the same order give the oracle's dead letters. The
     * CPU it cost is printed.
     */
    @Test
    void aFloodOnOneSettlementIsBoundedDeadLetteredAndCheap() throws Exception {
        int n = 20_000;
        int max = LIVE.maxEvents();
        h = Harnesses.open(LIVE);
        List<SettlementEvent> flood = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            flood.add(confirmUsd("FX-9", String.format("c-%05d", i), at("09:00:00").plusMillis(i)));
        }
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
            feed(h, flood.get(i));
            if (i % 100 == 99) {
                h.processWatermark(ms(flood.get(i).getEventTime()));
            }
        }
        feed(h, flood.get(7)); // a copy of an accepted event: a duplicate, not over the limit
        long cpuMs = (threads.getCurrentThreadCpuTime() - cpu0) / 1_000_000;
        System.out.printf(
                "a flood of %,d confirmations on one settlement (RocksDB, the watermark every 100): %,d ms of CPU%n",
                n, cpuMs);

        List<DeadLetter> dead = drain(h, SettleOutputs.DEAD_LETTERS);
        assertThat(dead).hasSize(n - max);
        assertThat(dead).allMatch(d -> d.getReason() == ReasonCode.SETTLEMENT_LIMIT);
        assertThat(dead.get(0).getEventId()).isEqualTo(String.format("c-%05d", max));
        assertThat(dead.get(0).getMessage()).contains("settlement.max-events");
        var oracle =
                new io.settle.operators.core.ReplayOracle(
                                LIVE.toBuilder().replay(at("09:00:00").plusMillis(n)).build())
                        .run(flood);
        assertThat(dead).isEqualTo(oracle.deadLetters());

        // The waiting ones raise their orphan alerts when the watermark passes their timeout.
        h.processWatermark(ms(at("10:00:01")));
        assertThat(types(drain(h, SettleOutputs.ALERTS)))
                .hasSize(max)
                .containsOnly(AlertType.ORPHAN_EVENT);
    }

    @Test
    void forgetsTheIdsOnlyOnceTheirHorizonIsPastThenClearsEverything() throws Exception {
        h = Harnesses.open(LIVE, Harnesses.Backend.HEAP);
        SettlementEvent booking = fxBooking("FX-1", at("09:00:00"), at("16:00:00"));
        feed(
                h,
                booking,
                confirmUsd("FX-1", "c-1", at("09:05:10")),
                confirmEur("FX-1", "c-2", at("09:07:42")));
        h.processWatermark(ms(at("09:10:00")));
        assertThat(drainOutput(h)).hasSize(1);

        // The state goes at endedAt + retention; the booking's id stays remembered until
        // deadline + expiry + retention, so a replayed copy is still dropped.
        Instant stateGone = at("09:07:42").plus(LIVE.retention());
        h.processWatermark(ms(stateGone));
        feed(h, booking);
        Instant forget = at("16:00:00").plus(LIVE.expiry()).plus(LIVE.retention());
        h.processWatermark(ms(forget) - 1);
        assertThat(drainOutput(h)).isEmpty();
        assertThat(drain(h, SettleOutputs.ALERTS)).isEmpty();
        assertThat(h.numKeyedStateEntries()).isPositive();

        h.processWatermark(ms(forget));
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    // ---------------------------------------------------------------------------------------
    // One clock: the watermark.

    @Test
    void holdsEventsUntilTheWatermarkPassesThemWithOneTimerPerSettlement() throws Exception {
        h = Harnesses.open(LIVE);
        feed(
                h,
                fxBooking("FX-1", at("09:00:00"), at("16:00:00")),
                confirmUsd("FX-1", "c-1", at("09:05:10")),
                confirmEur("FX-1", "c-2", at("09:07:42")));
        assertThat(drainOutput(h)).isEmpty();
        assertThat(h.numEventTimeTimers()).as("no timer per event").isZero();

        h.processWatermark(ms(at("09:07:41")));
        assertThat(drainOutput(h)).isEmpty();
        assertThat(h.numEventTimeTimers()).as("the settlement's next tick").isEqualTo(1);

        h.processWatermark(ms(at("09:07:42")));
        List<SettlementResult> results = drainOutput(h);
        assertThat(results).hasSize(1);
        SettlementResult r = results.get(0);
        assertThat(r.getResultId()).isEqualTo("FX-1:SETTLED");
        assertThat(r.getEndedAt()).isEqualTo(at("09:07:42"));
        assertThat(r.isBreached()).isFalse();
        assertThat(r.getEventsApplied()).isEqualTo(3);
        assertThat(drain(h, SettleOutputs.ALERTS)).isEmpty();
        assertThat(h.numEventTimeTimers()).as("the retention end").isEqualTo(1);
    }

    @Test
    void anEventWithAFractionOfAMillisecondAppliesOnceTheWatermarkPassesItsMillisecond()
            throws Exception {
        h = Harnesses.open(LIVE);
        Instant t = at("09:00:00").plusNanos(500_000);
        feed(h, fxBooking("FX-1", at("09:00:00"), at("16:00:00")), confirmUsd("FX-1", "c-1", t));
        feed(h, confirmEur("FX-1", "c-2", t));
        h.processWatermark(ms(t) - 1);
        assertThat(drainOutput(h)).isEmpty();
        h.processWatermark(ms(t));
        assertThat(drainOutput(h)).extracting(SettlementResult::getEndedAt).containsExactly(t);
    }

    @Test
    void appliesEventsInApplyOrderWhateverTheirArrivalOrder() throws Exception {
        h = Harnesses.open(LIVE);
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
    void appliesALateEventOnArrivalAfterEverythingTheWatermarkPassedAndRaisesLateEvent()
            throws Exception {
        h = Harnesses.open(LIVE);
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
    void aLateEventAppliesAfterTicksTheWatermarkAlreadyFired() throws Exception {
        h = Harnesses.open(LIVE);
        feed(h, fxBooking("FX-2", at("09:00:00"), at("10:00:00")));
        h.processWatermark(ms(at("10:00:00")));
        assertThat(types(drain(h, SettleOutputs.ALERTS)))
                .containsExactly(AlertType.AT_RISK, AlertType.DEADLINE_MISSED);
        // Stamped before the deadline, but it came after the watermark passed the deadline.
        feed(
                h,
                confirmUsd("FX-2", "c-1", at("09:50:00")),
                confirmEur("FX-2", "c-2", at("09:51:00")));
        assertThat(types(drain(h, SettleOutputs.ALERTS)))
                .containsExactly(AlertType.LATE_EVENT, AlertType.LATE_EVENT);
        List<SettlementResult> results = drainOutput(h);
        assertThat(results).hasSize(1);
        assertThat(results.get(0).getEndedAt()).isEqualTo(at("09:51:00"));
        assertThat(results.get(0).isBreached()).isFalse();
    }

    @Test
    void raisesTheDeadlineAlertsWhenTheWatermarkPassesThemWhileNoEventsFlow() throws Exception {
        h = Harnesses.open(LIVE);
        feed(h, fxBooking("FX-2", at("09:00:00"), at("10:00:00")));
        h.processWatermark(ms(at("09:00:00")));
        h.processWatermark(ms(at("09:45:00")) - 1);
        assertThat(drain(h, SettleOutputs.ALERTS)).isEmpty();
        h.processWatermark(ms(at("09:45:00")));
        List<Alert> atRisk = drain(h, SettleOutputs.ALERTS);
        assertThat(atRisk).extracting(Alert::getAlertId).containsExactly("FX-2:AT_RISK");
        assertThat(atRisk.get(0).getAt()).isEqualTo(at("09:45:00"));
        assertThat(atRisk.get(0).getDetail()).startsWith("2 of 2 legs unconfirmed");

        h.processWatermark(ms(at("10:00:00")));
        List<Alert> missed = drain(h, SettleOutputs.ALERTS);
        assertThat(missed).extracting(Alert::getAlertId).containsExactly("FX-2:DEADLINE_MISSED");
        assertThat(missed.get(0).getDetail()).isEqualTo("2 of 2 legs unconfirmed at deadline");
        assertThat(drainOutput(h)).isEmpty();
    }

    @Test
    void aTickWaitsForTheEventsStampedBeforeItHoweverLongTheWatermarkStalls() throws Exception {
        h = Harnesses.open(LIVE);
        feed(h, fxBooking("FX-3", at("09:00:00"), at("10:00:00")));
        h.processWatermark(ms(at("09:00:00")));
        // Both legs confirmed before the deadline; the watermark stalls (a lagging source).
        feed(
                h,
                confirmUsd("FX-3", "c-1", at("09:59:00")),
                confirmEur("FX-3", "c-2", at("09:59:59")));
        h.processWatermark(ms(at("09:45:00")));
        assertThat(types(drain(h, SettleOutputs.ALERTS))).containsExactly(AlertType.AT_RISK);
        // Long after (by the wall clock) the watermark jumps past the deadline in one step.
        h.processWatermark(ms(at("10:30:00")));
        assertThat(drain(h, SettleOutputs.ALERTS)).isEmpty();
        List<SettlementResult> results = drainOutput(h);
        assertThat(results).hasSize(1);
        assertThat(results.get(0).isBreached()).isFalse();
        assertThat(results.get(0).getEndedAt()).isEqualTo(at("09:59:59"));
    }

    @Test
    void expiresAnOpenSettlementAtDeadlinePlusExpiry() throws Exception {
        SettlementConfig config = LIVE.toBuilder().expiry(Duration.ofHours(1)).build();
        h = Harnesses.open(config);
        feed(h, fxBooking("FX-4", at("09:00:00"), at("10:00:00")));
        h.processWatermark(ms(at("11:00:00")));
        List<SettlementResult> results = drainOutput(h);
        assertThat(results)
                .extracting(SettlementResult::getResultId)
                .containsExactly("FX-4:EXPIRED");
        assertThat(results.get(0).getEndedAt()).isEqualTo(at("11:00:00"));
        assertThat(results.get(0).isBreached()).isTrue();
        assertThat(types(drain(h, SettleOutputs.ALERTS)))
                .containsExactly(AlertType.AT_RISK, AlertType.DEADLINE_MISSED);
    }

    @Test
    void clearsEveryStateAndTimerAfterRetentionOrphansIncluded() throws Exception {
        h = Harnesses.open(LIVE, Harnesses.Backend.HEAP);
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

        Instant orphanGone = at("09:08:00").plus(LIVE.orphanTimeout()).plus(LIVE.retention());
        Instant bookingForgotten = at("16:00:00").plus(LIVE.expiry()).plus(LIVE.retention());
        h.processWatermark(ms(orphanGone));
        assertThat(types(drain(h, SettleOutputs.ALERTS))).containsExactly(AlertType.ORPHAN_EVENT);
        h.processWatermark(ms(bookingForgotten));
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    // ---------------------------------------------------------------------------------------
    // Snapshots.

    @Test
    void restoresWithItsPendingEventsAndAppliesThemWhenTheWatermarkPasses() throws Exception {
        h = Harnesses.open(LIVE);
        feed(
                h,
                fxBooking("FX-1", at("09:00:00"), at("16:00:00")),
                confirmUsd("FX-1", "c-1", at("09:05:10")),
                fxBooking("FX-2", at("09:06:00"), at("16:00:00")));
        h.processWatermark(ms(at("09:00:00")));
        // FX-1's booking applied, its confirmation pending; FX-2's booking pending (no timer).
        OperatorSubtaskState snapshot = h.snapshot(1L, 1L);
        h.close();

        h = Harnesses.open(LIVE, snapshot);
        assertThat(h.numEventTimeTimers()).isEqualTo(1);
        feed(h, confirmEur("FX-1", "c-2", at("09:07:42")));
        h.processWatermark(ms(at("09:07:42")));
        List<SettlementResult> results = drainOutput(h);
        assertThat(results)
                .extracting(SettlementResult::getResultId)
                .containsExactly("FX-1:SETTLED");
        assertThat(results.get(0).getEventsApplied()).isEqualTo(3);
        assertThat(h.numEventTimeTimers()).as("FX-1's retention end, FX-2's at-risk").isEqualTo(2);
    }

    /**
     * A late booking's ticks that the watermark has passed fire at once: a late confirmation
     * arriving before the next watermark applies after them, as the contract orders it (the
     * deadline was missed first; the settlement settles at the confirmation's own time).
     */
    @Test
    void aLateBookingsPassedTicksFireBeforeTheNextLateEvent() throws Exception {
        h = Harnesses.open(LIVE);
        h.processWatermark(ms(at("10:30:00")));
        feed(h, fxBooking("FX-9", at("09:00:00"), at("10:00:00")));
        assertThat(types(drain(h, SettleOutputs.ALERTS)))
                .containsExactly(
                        AlertType.LATE_EVENT, AlertType.AT_RISK, AlertType.DEADLINE_MISSED);
        feed(
                h,
                confirmUsd("FX-9", "c-1", at("09:50:00")),
                confirmEur("FX-9", "c-2", at("09:51:00")));
        assertThat(types(drain(h, SettleOutputs.ALERTS)))
                .containsExactly(AlertType.LATE_EVENT, AlertType.LATE_EVENT);
        assertThat(drainOutput(h))
                .singleElement()
                .satisfies(r -> assertThat(r.getEndedAt()).isEqualTo(at("09:51:00")));
    }

    /**
     * The soak found it: a restored job's watermark starts again from nothing, so an event the
     * settlement's clock had passed before the stop (its AT_RISK fired at 09:45) would wait for the
     * new watermark and apply as if in time, after the tick it precedes. The settlement's clock,
     * kept in state, makes it late, as it was.
     */
    @Test
    void aRestoredSettlementStillFindsLateAnEventItsClockPassed() throws Exception {
        h = Harnesses.open(LIVE);
        feed(h, fxBooking("FX-8", at("09:00:00"), at("10:00:00")));
        h.processWatermark(ms(at("09:46:00")));
        assertThat(types(drain(h, SettleOutputs.ALERTS))).containsExactly(AlertType.AT_RISK);
        OperatorSubtaskState snapshot = h.snapshot(1L, 1L);
        h.close();

        h = Harnesses.open(LIVE, snapshot); // no watermark yet
        feed(h, confirmUsd("FX-8", "c-1", at("09:30:00")));
        List<Alert> late = drain(h, SettleOutputs.ALERTS);
        assertThat(late).extracting(Alert::getAlertId).containsExactly("FX-8:LATE_EVENT:c-1");
        assertThat(late.get(0).getDetail()).contains("watermark " + at("09:46:00"));
        // Its clock had passed AT_RISK (09:45), not the deadline (10:00): nothing more fires.
        // An event after the clock still waits for the watermark.
        feed(h, confirmEur("FX-8", "c-2", at("09:50:00")));
        assertThat(drain(h, SettleOutputs.ALERTS)).isEmpty();
        h.processWatermark(ms(at("09:50:00")));
        List<SettlementResult> results = drainOutput(h);
        assertThat(results).hasSize(1);
        assertThat(results.get(0).getEndedAt()).isEqualTo(at("09:50:00"));
    }

    @Test
    void thePendingIndexFollowsItsKeysToTheirSubtaskWhenTheParallelismChanges() throws Exception {
        int maxParallelism = 128;
        h = Harnesses.open(LIVE, null, Harnesses.Backend.ROCKSDB, maxParallelism, 1, 0);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String id = "FX-" + i;
            ids.add(id);
            feed(h, fxBooking(id, at("09:00:00"), at("16:00:00")));
        }
        OperatorSubtaskState snapshot = h.snapshot(1L, 1L);
        h.close();
        h = null;

        // Each subtask restores the index entries of its own key groups: after a watermark, each
        // booking has applied on exactly one of them and set its at-risk timer there.
        int timers = 0;
        for (int subtask = 0; subtask < 2; subtask++) {
            OperatorSubtaskState part =
                    AbstractStreamOperatorTestHarness.repartitionOperatorState(
                            snapshot, maxParallelism, 1, 2, subtask);
            var sub =
                    Harnesses.open(
                            LIVE, part, Harnesses.Backend.ROCKSDB, maxParallelism, 2, subtask);
            try {
                sub.processWatermark(ms(at("09:00:00")));
                assertThat(sub.numEventTimeTimers()).isPositive();
                timers += sub.numEventTimeTimers();
            } finally {
                sub.close();
            }
        }
        assertThat(timers).as("at-risk timers across the two subtasks").isEqualTo(ids.size());
    }

    // ---------------------------------------------------------------------------------------
    // Replay.

    @Test
    void replayAppliesEverythingAtTheEndStopsTheClockAndWritesTheOpenBook() throws Exception {
        Instant until = at("12:00:00");
        h =
                Harnesses.open(
                        SettlementConfig.builder().replay(until).build(), Harnesses.Backend.HEAP);
        feed(
                h,
                confirmEur("FX-1", "c-2", at("09:07:42")),
                fxBooking("FX-3", at("10:00:00"), at("12:00:00")),
                confirmUsd("FX-1", "c-1", at("09:05:10")),
                confirmUsd("FX-3", "c-3", at("10:30:00")),
                fxBooking("FX-1", at("09:00:00"), at("16:00:00")),
                fxBooking("FX-1", at("09:00:00"), at("16:00:00")),
                // After the clock's end: left out.
                confirmEur("FX-3", "c-4", at("12:00:01")));
        assertThat(h.numEventTimeTimers()).as("one per settlement").isEqualTo(2);
        h.processWatermark(ms(at("11:00:00")));
        assertThat(drainOutput(h)).isEmpty();

        h.processWatermark(Long.MAX_VALUE);
        assertThat(drainOutput(h))
                .extracting(SettlementResult::getResultId)
                .containsExactly("FX-1:SETTLED");
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
}
