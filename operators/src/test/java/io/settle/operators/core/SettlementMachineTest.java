package io.settle.operators.core;

import io.settle.operators.model.Alert;
import io.settle.operators.model.Leg;
import io.settle.operators.model.OpenBookEntry;
import io.settle.operators.model.SettlementEvent;
import io.settle.operators.model.SettlementResult;
import io.settle.operators.model.SettlementStatus;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.settle.operators.model.AlertType.AMOUNT_MISMATCH;
import static io.settle.operators.model.AlertType.AT_RISK;
import static io.settle.operators.model.AlertType.CANCEL_REJECTED;
import static io.settle.operators.model.AlertType.DEADLINE_MISSED;
import static io.settle.operators.model.AlertType.DOUBLE_PAYMENT;
import static io.settle.operators.model.AlertType.DUPLICATE_BOOKING;
import static io.settle.operators.model.AlertType.ORPHAN_EVENT;
import static io.settle.operators.model.AlertType.PAYMENT_AFTER_CANCEL;
import static io.settle.operators.model.AlertType.PAYMENT_AFTER_EXPIRY;
import static io.settle.operators.model.AlertType.UNKNOWN_LEG;
import static io.settle.operators.model.SettlementStatus.AWAITING_BOOKING;
import static io.settle.operators.model.SettlementStatus.CANCELLED;
import static io.settle.operators.model.SettlementStatus.EXPIRED;
import static io.settle.operators.model.SettlementStatus.OPEN;
import static io.settle.operators.model.SettlementStatus.SETTLED;
import static io.settle.operators.model.Severity.CRITICAL;
import static io.settle.operators.model.Severity.WARNING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The state machine of contract §2, one behaviour per test, with the contract's default durations:
 * settlement window PT2H, at-risk lead PT15M, expiry P1D, retention P7D, orphan timeout PT1H.
 *
 * <p>The usual settlement is FX-2: booked at 09:00 with a 16:00 deadline, a USD leg (BANK_A pays
 * BANK_B 1,000,000.00) and an EUR leg (BANK_B pays BANK_A 921,450.00). Events are applied in apply
 * order, as the machine requires.
 */
class SettlementMachineTest {

    private static final String ID = "FX-2";
    private static final Instant BOOKED = t("09:00:00");
    private static final Instant DEADLINE = t("16:00:00");
    private static final Instant AT_RISK_TIME = t("15:45:00");
    private static final Instant EXPIRY = DEADLINE.plus(Duration.ofDays(1));
    private static final Instant RETENTION_AFTER_EXPIRY = EXPIRY.plus(Duration.ofDays(7));
    private static final List<String> PARTIES = List.of("BANK_A", "BANK_B");
    private static final List<String> CURRENCIES = List.of("EUR", "USD");

    private final SettlementMachine machine = new SettlementMachine(SettlementConfig.defaults());
    private final CollectingOutputs out = new CollectingOutputs();

    // ---------------------------------------------------------------------------------------
    // Booking and deadline.

    @Test
    void defaultDeadlineIsEventTimePlusSettlementWindow() {
        SettlementState s = machine.apply(null, booking("b-1", BOOKED, null), out);

        assertThat(s.getStatus()).isEqualTo(OPEN);
        assertThat(s.getDeadline()).isEqualTo(t("11:00:00"));
        assertThat(machine.nextTickInstant(s)).isEqualTo(t("10:45:00"));

        s = apply(s, confirmUsd("c-1", t("09:05:10")), confirmEur("c-2", t("09:07:42")));

        assertThat(out.results)
                .containsExactly(
                        result(
                                "FX-2:SETTLED",
                                SETTLED,
                                BOOKED,
                                t("09:07:42"),
                                t("11:00:00"),
                                false,
                                2,
                                3,
                                PARTIES,
                                CURRENCIES));
        assertThat(out.alerts).isEmpty();
    }

    @Test
    void defaultDeadlineFollowsConfiguredSettlementWindow() {
        SettlementMachine halfHour =
                new SettlementMachine(
                        SettlementConfig.builder()
                                .settlementWindow(Duration.ofMinutes(30))
                                .build());

        SettlementState s = halfHour.apply(null, booking("b-1", BOOKED, null), out);

        assertThat(s.getDeadline()).isEqualTo(t("09:30:00"));
        assertThat(SettlementMachine.openBookEntry(s).getDeadline()).isEqualTo(t("09:30:00"));
    }

    @Test
    void explicitDeadlineIsKept() {
        SettlementState s = machine.apply(null, booking("b-1", BOOKED, DEADLINE), out);

        assertThat(s.getStatus()).isEqualTo(OPEN);
        assertThat(s.getBookedAt()).isEqualTo(BOOKED);
        assertThat(s.getDeadline()).isEqualTo(DEADLINE);
        assertThat(machine.nextTickInstant(s)).isEqualTo(AT_RISK_TIME);
        assertThat(out.results).isEmpty();
        assertThat(out.alerts).isEmpty();
    }

    @Test
    void laterDifferentBookingIsDuplicateBookingAndIgnored() {
        SettlementEvent other =
                SettlementEvent.booked(
                        "b-2",
                        ID,
                        t("09:30:00"),
                        t("18:00:00"),
                        List.of(leg("GBP", "BANK_C", "BANK_D", "GBP", "10.00")));

        SettlementState s = apply(null, standardBooking(), other);

        assertAlerts(
                tuple("FX-2:DUPLICATE_BOOKING:b-2", DUPLICATE_BOOKING, WARNING, t("09:30:00")));
        assertThat(s.getBookingEventId()).isEqualTo("b-1");
        assertThat(s.getBookedAt()).isEqualTo(BOOKED);
        assertThat(s.getDeadline()).isEqualTo(DEADLINE);
        assertThat(s.getLegs()).extracting(LegState::getLegId).containsExactly("EUR", "USD");
        assertThat(s.getEventsApplied()).isEqualTo(2);

        apply(s, confirmUsd("c-1", t("10:00:00")), confirmEur("c-2", t("10:05:00")));

        assertThat(out.results)
                .containsExactly(standardResult("FX-2:SETTLED", SETTLED, t("10:05:00"), false, 4));
    }

    // ---------------------------------------------------------------------------------------
    // Confirming and settling.

    @Test
    void settlesWhenLastLegConfirmed() {
        SettlementState s = apply(null, standardBooking(), confirmUsd("c-1", t("09:05:10")));

        assertThat(out.results).isEmpty();
        assertThat(s.getStatus()).isEqualTo(OPEN);
        assertThat(s.legsConfirmed()).isEqualTo(1);

        s = apply(s, confirmEur("c-2", t("09:07:42")));

        assertThat(out.results)
                .containsExactly(standardResult("FX-2:SETTLED", SETTLED, t("09:07:42"), false, 3));
        assertThat(out.alerts).isEmpty();
        assertThat(s.getStatus()).isEqualTo(SETTLED);
        assertThat(s.getEndedAt()).isEqualTo(t("09:07:42"));
    }

    @Test
    void settlesAfterDeadlineAsBreached() {
        apply(
                null,
                standardBooking(),
                confirmUsd("c-1", t("15:50:00")),
                confirmEur("c-2", t("16:30:00")));

        assertAlerts(
                tuple("FX-2:AT_RISK", AT_RISK, WARNING, AT_RISK_TIME),
                tuple("FX-2:DEADLINE_MISSED", DEADLINE_MISSED, CRITICAL, DEADLINE));
        assertThat(out.alerts.get(1).getDetail()).isEqualTo("1 of 2 legs unconfirmed at deadline");
        assertThat(out.results)
                .containsExactly(standardResult("FX-2:SETTLED", SETTLED, t("16:30:00"), true, 3));
    }

    @Test
    void settlingExactlyAtDeadlineIsNotBreached() {
        SettlementState s =
                apply(
                        null,
                        standardBooking(),
                        confirmUsd("c-1", t("09:05:10")),
                        confirmEur("c-2", DEADLINE));

        // The confirmation at the deadline comes before the deadline tick at the same instant.
        assertAlerts(tuple("FX-2:AT_RISK", AT_RISK, WARNING, AT_RISK_TIME));
        assertThat(out.results)
                .containsExactly(standardResult("FX-2:SETTLED", SETTLED, DEADLINE, false, 3));

        machine.advance(s, EXPIRY, out);

        assertThat(out.alerts).hasSize(1);
        assertThat(out.results).hasSize(1);
    }

    @Test
    void wrongAmountIsAmountMismatchAndLegStaysOpen() {
        SettlementState s =
                apply(
                        null,
                        standardBooking(),
                        SettlementEvent.confirmed(
                                "c-bad", ID, t("09:05:00"), "USD", "USD", amount("999999.99")));

        assertAlerts(tuple("FX-2:AMOUNT_MISMATCH:c-bad", AMOUNT_MISMATCH, WARNING, t("09:05:00")));
        assertThat(out.alerts.get(0).getDetail())
                .isEqualTo(
                        "confirmation c-bad paid 999999.99 USD on leg 'USD', but leg 'USD' is"
                                + " 1000000.00 USD; the leg stays open");
        assertThat(s.legsConfirmed()).isZero();
        assertThat(s.getStatus()).isEqualTo(OPEN);

        apply(s, confirmUsd("c-1", t("09:06:00")), confirmEur("c-2", t("09:07:00")));

        assertThat(out.results)
                .containsExactly(standardResult("FX-2:SETTLED", SETTLED, t("09:07:00"), false, 4));
    }

    @Test
    void wrongCurrencyIsAmountMismatchAndLegStaysOpen() {
        SettlementState s =
                apply(
                        null,
                        standardBooking(),
                        SettlementEvent.confirmed(
                                "c-eur", ID, t("09:05:00"), "USD", "EUR", amount("1000000.00")));

        assertAlerts(tuple("FX-2:AMOUNT_MISMATCH:c-eur", AMOUNT_MISMATCH, WARNING, t("09:05:00")));
        assertThat(s.legsConfirmed()).isZero();
        assertThat(s.getEventsApplied()).isEqualTo(2);
        assertThat(out.results).isEmpty();
    }

    @Test
    void amountIsComparedNumerically() {
        SettlementEvent booking =
                SettlementEvent.booked(
                        "b-1",
                        "FX-5",
                        BOOKED,
                        DEADLINE,
                        List.of(leg("USD", "BANK_A", "BANK_B", "USD", "5.00")));
        SettlementEvent fiveDotZero =
                SettlementEvent.confirmed(
                        "c-1", "FX-5", t("09:01:00"), "USD", "USD", amount("5.0"));

        apply(null, booking, fiveDotZero);

        assertThat(out.alerts).isEmpty();
        assertThat(out.results)
                .containsExactly(
                        result(
                                "FX-5:SETTLED",
                                SETTLED,
                                BOOKED,
                                t("09:01:00"),
                                DEADLINE,
                                false,
                                1,
                                2,
                                PARTIES,
                                List.of("USD")));
    }

    @Test
    void unknownLegRaisesUnknownLeg() {
        SettlementState s =
                apply(
                        null,
                        standardBooking(),
                        SettlementEvent.confirmed(
                                "c-gbp", ID, t("09:05:00"), "GBP", "GBP", amount("10.00")));

        assertAlerts(tuple("FX-2:UNKNOWN_LEG:c-gbp", UNKNOWN_LEG, WARNING, t("09:05:00")));
        assertThat(s.legsConfirmed()).isZero();
        assertThat(s.getEventsApplied()).isEqualTo(2);
        assertThat(out.results).isEmpty();
    }

    @Test
    void secondConfirmationOfConfirmedLegIsDoublePayment() {
        SettlementState s =
                apply(
                        null,
                        standardBooking(),
                        confirmUsd("c-1", t("09:05:00")),
                        confirmUsd("c-1-again", t("09:06:00")));

        assertAlerts(
                tuple("FX-2:DOUBLE_PAYMENT:c-1-again", DOUBLE_PAYMENT, CRITICAL, t("09:06:00")));
        assertThat(s.getLegs())
                .filteredOn(leg -> leg.getLegId().equals("USD"))
                .extracting(LegState::getConfirmedBy)
                .containsExactly("c-1");
        assertThat(s.legsConfirmed()).isEqualTo(1);
        assertThat(s.getEventsApplied()).isEqualTo(3);
        assertThat(out.results).isEmpty();
    }

    @Test
    void confirmationAfterSettledIsDoublePayment() {
        SettlementState s =
                apply(
                        null,
                        standardBooking(),
                        confirmUsd("c-1", t("09:05:10")),
                        confirmEur("c-2", t("09:07:42")),
                        confirmEur("c-3", t("10:00:00")));

        assertAlerts(tuple("FX-2:DOUBLE_PAYMENT:c-3", DOUBLE_PAYMENT, CRITICAL, t("10:00:00")));
        assertThat(out.results)
                .containsExactly(standardResult("FX-2:SETTLED", SETTLED, t("09:07:42"), false, 3));
        assertThat(s.getStatus()).isEqualTo(SETTLED);
        assertThat(s.getEventsApplied()).isEqualTo(3);
    }

    // ---------------------------------------------------------------------------------------
    // Cancelling.

    @Test
    void cancelBeforeSettledEndsCancelled() {
        SettlementState s =
                apply(
                        null,
                        standardBooking(),
                        confirmUsd("c-1", t("09:05:00")),
                        cancel("x-1", t("10:00:00")));

        assertThat(out.results)
                .containsExactly(
                        standardResult("FX-2:CANCELLED", CANCELLED, t("10:00:00"), false, 3));
        assertThat(out.alerts).isEmpty();
        assertThat(s.getStatus()).isEqualTo(CANCELLED);
    }

    @Test
    void cancelAfterDeadlineIsBreached() {
        apply(null, standardBooking(), cancel("x-1", t("17:00:00")));

        assertThat(out.results)
                .containsExactly(
                        standardResult("FX-2:CANCELLED", CANCELLED, t("17:00:00"), true, 2));
    }

    @Test
    void cancelAfterSettledIsRejected() {
        SettlementState s =
                apply(
                        null,
                        standardBooking(),
                        confirmUsd("c-1", t("09:05:10")),
                        confirmEur("c-2", t("09:07:42")),
                        cancel("x-1", t("10:00:00")));

        assertAlerts(tuple("FX-2:CANCEL_REJECTED:x-1", CANCEL_REJECTED, WARNING, t("10:00:00")));
        assertThat(out.results)
                .containsExactly(standardResult("FX-2:SETTLED", SETTLED, t("09:07:42"), false, 3));
        assertThat(s.getStatus()).isEqualTo(SETTLED);
        assertThat(s.getEventsApplied()).isEqualTo(3);
    }

    @Test
    void confirmationAfterCancelledIsPaymentAfterCancel() {
        SettlementState s =
                apply(
                        null,
                        standardBooking(),
                        cancel("x-1", t("10:00:00")),
                        confirmUsd("c-1", t("10:05:00")));

        assertAlerts(
                tuple(
                        "FX-2:PAYMENT_AFTER_CANCEL:c-1",
                        PAYMENT_AFTER_CANCEL,
                        CRITICAL,
                        t("10:05:00")));
        assertThat(out.results)
                .containsExactly(
                        standardResult("FX-2:CANCELLED", CANCELLED, t("10:00:00"), false, 2));
        assertThat(s.getEventsApplied()).isEqualTo(2);
        assertThat(s.legsConfirmed()).isZero();
    }

    @Test
    void secondCancellationAfterCancelledRaisesNothing() {
        SettlementState s =
                apply(
                        null,
                        standardBooking(),
                        cancel("x-1", t("10:00:00")),
                        cancel("x-2", t("10:05:00")));

        assertThat(out.alerts).isEmpty();
        assertThat(out.results)
                .containsExactly(
                        standardResult("FX-2:CANCELLED", CANCELLED, t("10:00:00"), false, 2));
        assertThat(s.getEventsApplied()).isEqualTo(2);
    }

    @Test
    void confirmationAfterExpiredIsPaymentAfterExpiry() {
        Instant late = EXPIRY.plus(Duration.ofMinutes(5));

        SettlementState s = apply(null, standardBooking(), confirmUsd("c-1", late));

        assertAlerts(
                tuple("FX-2:AT_RISK", AT_RISK, WARNING, AT_RISK_TIME),
                tuple("FX-2:DEADLINE_MISSED", DEADLINE_MISSED, CRITICAL, DEADLINE),
                tuple("FX-2:PAYMENT_AFTER_EXPIRY:c-1", PAYMENT_AFTER_EXPIRY, CRITICAL, late));
        assertThat(out.results)
                .containsExactly(standardResult("FX-2:EXPIRED", EXPIRED, EXPIRY, true, 1));
        assertThat(s.getEventsApplied()).isEqualTo(1);
        assertThat(s.legsConfirmed()).isZero();
    }

    @Test
    void cancelAfterExpiredIsRejected() {
        Instant late = EXPIRY.plus(Duration.ofMinutes(5));

        apply(null, standardBooking(), cancel("x-1", late));

        assertThat(out.alerts)
                .extracting(Alert::getAlertId)
                .containsExactly(
                        "FX-2:AT_RISK", "FX-2:DEADLINE_MISSED", "FX-2:CANCEL_REJECTED:x-1");
        assertThat(out.alerts.get(2))
                .extracting(Alert::getType, Alert::getSeverity, Alert::getAt)
                .containsExactly(CANCEL_REJECTED, WARNING, late);
        assertThat(out.results)
                .containsExactly(standardResult("FX-2:EXPIRED", EXPIRED, EXPIRY, true, 1));
    }

    // ---------------------------------------------------------------------------------------
    // Waiting for the booking.

    @Test
    void confirmationsBeforeBookingWaitThenApplyAtBooking() {
        SettlementState s =
                apply(null, confirmUsd("c-1", t("08:50:00")), confirmEur("c-2", t("08:55:00")));

        assertThat(s.getStatus()).isEqualTo(AWAITING_BOOKING);
        assertThat(s.getWaiting())
                .extracting(SettlementEvent::getEventId)
                .containsExactly("c-1", "c-2");
        assertThat(out.results).isEmpty();
        assertThat(out.alerts).isEmpty();

        s = apply(s, standardBooking());

        // Settled at the last confirmation's event time, which is before the booking's.
        assertThat(out.results)
                .containsExactly(standardResult("FX-2:SETTLED", SETTLED, t("08:55:00"), false, 3));
        assertThat(out.alerts).isEmpty();
        assertThat(s.getWaiting()).isEmpty();
        assertThat(s.getStatus()).isEqualTo(SETTLED);
    }

    @Test
    void cancellationBeforeBookingWaitsThenCancelsAtBooking() {
        SettlementState s =
                apply(null, cancel("x-1", t("08:50:00")), confirmUsd("c-1", t("08:55:00")));

        assertThat(s.getStatus()).isEqualTo(AWAITING_BOOKING);

        apply(s, standardBooking());

        assertThat(out.results)
                .containsExactly(
                        standardResult("FX-2:CANCELLED", CANCELLED, t("08:50:00"), false, 2));
        assertAlerts(
                tuple(
                        "FX-2:PAYMENT_AFTER_CANCEL:c-1",
                        PAYMENT_AFTER_CANCEL,
                        CRITICAL,
                        t("08:55:00")));
    }

    @Test
    void waitingEventRaisesOrphanEventAfterOrphanTimeout() {
        SettlementState s = apply(null, confirmUsd("c-1", t("08:00:00")));

        assertThat(machine.nextTickInstant(s)).isEqualTo(t("09:00:00"));
        machine.advance(s, t("08:59:59"), out);
        assertThat(out.alerts).isEmpty();

        machine.advance(s, t("09:00:00"), out);
        machine.advance(s, t("12:00:00"), out);

        assertAlerts(tuple("FX-2:ORPHAN_EVENT:c-1", ORPHAN_EVENT, WARNING, t("09:00:00")));
        assertThat(out.alerts.get(0).getDetail())
                .isEqualTo("LEG_CONFIRMED c-1 has waited PT1H for its booking");
        assertThat(s.getStatus()).isEqualTo(AWAITING_BOOKING);
        assertThat(out.results).isEmpty();
    }

    @Test
    void bookingAtOrphanTimeoutRaisesNoOrphanEvent() {
        SettlementState s =
                apply(null, confirmUsd("c-1", t("08:00:00")), confirmEur("c-2", t("08:01:00")));

        apply(s, standardBooking());

        // The booking at 09:00 comes before c-1's orphan tick at the same instant.
        assertThat(out.alerts).isEmpty();
        assertThat(out.results)
                .containsExactly(standardResult("FX-2:SETTLED", SETTLED, t("08:01:00"), false, 3));
    }

    @Test
    void waitingEventsStillApplyWhenBookingComesAfterOrphanAlert() {
        SettlementState s =
                apply(null, confirmUsd("c-1", t("08:00:00")), confirmEur("c-2", t("08:10:00")));
        machine.advance(s, t("09:30:00"), out);

        assertAlerts(
                tuple("FX-2:ORPHAN_EVENT:c-1", ORPHAN_EVENT, WARNING, t("09:00:00")),
                tuple("FX-2:ORPHAN_EVENT:c-2", ORPHAN_EVENT, WARNING, t("09:10:00")));

        apply(s, booking("b-1", t("10:00:00"), DEADLINE));

        assertThat(out.alerts).hasSize(2);
        assertThat(out.results)
                .containsExactly(
                        result(
                                "FX-2:SETTLED",
                                SETTLED,
                                t("10:00:00"),
                                t("08:10:00"),
                                DEADLINE,
                                false,
                                2,
                                3,
                                PARTIES,
                                CURRENCIES));
    }

    @Test
    void orphanTicksDueBeforeALateBookingFireBeforeIt() {
        SettlementState s =
                apply(null, confirmUsd("c-1", t("08:00:00")), confirmEur("c-2", t("08:10:00")));

        apply(s, booking("b-1", t("10:00:00"), DEADLINE));

        assertAlerts(
                tuple("FX-2:ORPHAN_EVENT:c-1", ORPHAN_EVENT, WARNING, t("09:00:00")),
                tuple("FX-2:ORPHAN_EVENT:c-2", ORPHAN_EVENT, WARNING, t("09:10:00")));
        assertThat(out.results)
                .extracting(SettlementResult::getResultId, SettlementResult::getEndedAt)
                .containsExactly(tuple("FX-2:SETTLED", t("08:10:00")));
    }

    /**
     * A flood of events waiting for a booking on one settlement (a hostile or runaway producer)
     * costs linear time: each orphan tick is found in constant time, not by scanning the waiting
     * events for each one (before, this test had not finished after two minutes). The figure is
     * printed (on this machine about 120 ms warm, 700 ms in a cold JVM; 80,000 take about a
     * second).
     */
    @Test
    @org.junit.jupiter.api.Timeout(30)
    void twentyThousandOrphansOnOneSettlementCostLinearTime() {
        int n = 20_000;
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime();
        SettlementState s = null;
        for (int i = 0; i < n; i++) {
            // In apply order, as both modes feed the machine: orphan alerts fire between them.
            s =
                    machine.apply(
                            s,
                            confirmUsd(String.format("c-%05d", i), t("08:00:00").plusSeconds(i)),
                            out);
        }
        machine.advance(s, t("08:00:00").plusSeconds(n).plus(Duration.ofHours(1)), out);
        s =
                machine.apply(
                        s,
                        booking(
                                "b-1",
                                t("08:00:00").plusSeconds(n).plus(Duration.ofHours(2)),
                                null),
                        out);
        long cpuMs = (threads.getCurrentThreadCpuTime() - cpu0) / 1_000_000;
        System.out.printf(
                "%,d events waiting for their booking on one settlement, their %,d orphan alerts and the booking: %,d ms of CPU%n",
                n, n, cpuMs);

        // Each raised its orphan alert once; after the booking the first confirmed the USD leg
        // and every other one is a double payment of it.
        assertThat(out.alerts.stream().filter(a -> a.getType() == ORPHAN_EVENT).count())
                .isEqualTo(n);
        assertThat(out.alerts.stream().filter(a -> a.getType() == DOUBLE_PAYMENT).count())
                .isEqualTo(n - 1);
        assertThat(out.alerts).hasSize(2 * n - 1);
        assertThat(s.getStatus()).isEqualTo(OPEN);
        assertThat(s.getLegs())
                .filteredOn(leg -> leg.getLegId().equals("USD"))
                .extracting(LegState::getConfirmedBy)
                .containsExactly("c-00000");
    }

    // ---------------------------------------------------------------------------------------
    // SLA clock.

    @Test
    void raisesAtRiskOnceAtDeadlineMinusLead() {
        SettlementState s = apply(null, standardBooking());

        machine.advance(s, AT_RISK_TIME.minusNanos(1), out);
        assertThat(out.alerts).isEmpty();

        machine.advance(s, AT_RISK_TIME, out);
        machine.advance(s, t("15:50:00"), out);

        assertAlerts(tuple("FX-2:AT_RISK", AT_RISK, WARNING, AT_RISK_TIME));
        assertThat(out.alerts.get(0).getDetail())
                .isEqualTo("2 of 2 legs unconfirmed with the deadline at 2026-11-25T16:00:00Z");
        assertThat(machine.nextTickInstant(s)).isEqualTo(DEADLINE);
    }

    @Test
    void raisesDeadlineMissedOnceAtDeadline() {
        SettlementState s = apply(null, standardBooking());

        machine.advance(s, DEADLINE.minusNanos(1), out);
        assertThat(out.alerts).extracting(Alert::getType).containsExactly(AT_RISK);

        machine.advance(s, DEADLINE, out);
        machine.advance(s, t("17:00:00"), out);

        assertAlerts(
                tuple("FX-2:AT_RISK", AT_RISK, WARNING, AT_RISK_TIME),
                tuple("FX-2:DEADLINE_MISSED", DEADLINE_MISSED, CRITICAL, DEADLINE));
        assertThat(out.alerts.get(1).getDetail()).isEqualTo("2 of 2 legs unconfirmed at deadline");
        assertThat(s.getStatus()).isEqualTo(OPEN);
        assertThat(out.results).isEmpty();
        assertThat(machine.nextTickInstant(s)).isEqualTo(EXPIRY);
    }

    @Test
    void expiresAtDeadlinePlusExpiry() {
        SettlementState s = apply(null, standardBooking(), confirmUsd("c-1", t("09:05:00")));

        machine.advance(s, EXPIRY.minusNanos(1), out);
        assertThat(out.results).isEmpty();

        machine.advance(s, EXPIRY, out);

        assertThat(out.results)
                .containsExactly(standardResult("FX-2:EXPIRED", EXPIRED, EXPIRY, true, 2));
        assertAlerts(
                tuple("FX-2:AT_RISK", AT_RISK, WARNING, AT_RISK_TIME),
                tuple("FX-2:DEADLINE_MISSED", DEADLINE_MISSED, CRITICAL, DEADLINE));
        assertThat(out.alerts.get(1).getDetail()).isEqualTo("1 of 2 legs unconfirmed at deadline");
        assertThat(s.getStatus()).isEqualTo(EXPIRED);
        assertThat(s.getEndedAt()).isEqualTo(EXPIRY);
    }

    @Test
    void noAtRiskAfterSettling() {
        SettlementState s =
                apply(
                        null,
                        standardBooking(),
                        confirmUsd("c-1", t("09:05:10")),
                        confirmEur("c-2", t("09:07:42")));

        machine.advance(s, EXPIRY, out);

        assertThat(out.alerts).isEmpty();
        assertThat(out.results).hasSize(1);
        assertThat(machine.nextTickInstant(s)).isEqualTo(t("09:07:42").plus(Duration.ofDays(7)));
    }

    @Test
    void ticksBeforeBookingFireWhenBookingIsApplied() {
        Instant booked = t("17:00:00");

        SettlementState s = apply(null, booking("b-1", booked, DEADLINE));

        assertAlerts(
                tuple("FX-2:AT_RISK", AT_RISK, WARNING, booked),
                tuple("FX-2:DEADLINE_MISSED", DEADLINE_MISSED, CRITICAL, booked));
        assertThat(out.alerts.get(1).getDetail()).isEqualTo("2 of 2 legs unconfirmed at deadline");
        assertThat(out.results).isEmpty();
        assertThat(s.getStatus()).isEqualTo(OPEN);
        assertThat(machine.nextTickInstant(s)).isEqualTo(EXPIRY);
    }

    @Test
    void ticksBeforeBookingFireAfterTheWaitingEventsStampedBeforeThem() {
        // c-1 (15:00) precedes the at-risk and deadline instants, so the deadline sees one of two
        // legs confirmed; both alerts are stamped at the booking.
        Instant booked = t("17:00:00");
        SettlementState s = apply(null, confirmUsd("c-1", t("15:00:00")));

        apply(s, booking("b-1", booked, DEADLINE));

        assertAlerts(
                tuple("FX-2:ORPHAN_EVENT:c-1", ORPHAN_EVENT, WARNING, t("16:00:00")),
                tuple("FX-2:AT_RISK", AT_RISK, WARNING, booked),
                tuple("FX-2:DEADLINE_MISSED", DEADLINE_MISSED, CRITICAL, booked));
        assertThat(out.alerts.get(2).getDetail()).isEqualTo("1 of 2 legs unconfirmed at deadline");
        assertThat(s.legsConfirmed()).isEqualTo(1);
        assertThat(s.getEventsApplied()).isEqualTo(2);
    }

    @Test
    void bookingPastExpiryExpiresAtBooking() {
        Instant booked = EXPIRY.plus(Duration.ofHours(1));

        SettlementState s = apply(null, booking("b-1", booked, DEADLINE));

        assertAlerts(
                tuple("FX-2:AT_RISK", AT_RISK, WARNING, booked),
                tuple("FX-2:DEADLINE_MISSED", DEADLINE_MISSED, CRITICAL, booked));
        assertThat(out.results)
                .containsExactly(
                        result(
                                "FX-2:EXPIRED",
                                EXPIRED,
                                booked,
                                EXPIRY,
                                DEADLINE,
                                true,
                                2,
                                1,
                                PARTIES,
                                CURRENCIES));
        assertThat(s.getStatus()).isEqualTo(EXPIRED);
    }

    // ---------------------------------------------------------------------------------------
    // Retention.

    @Test
    void settledStateIsRemovedAfterRetention() {
        SettlementState s =
                apply(
                        null,
                        standardBooking(),
                        confirmUsd("c-1", t("09:05:10")),
                        confirmEur("c-2", t("09:07:42")));
        Instant removal = t("09:07:42").plus(Duration.ofDays(7));
        assertThat(machine.nextTickInstant(s)).isEqualTo(removal);

        machine.advance(s, removal.minusNanos(1), out);
        assertThat(s.isEmpty()).isFalse();
        assertThat(s.getStatus()).isEqualTo(SETTLED);

        machine.advance(s, removal, out);

        assertThat(s.isEmpty()).isTrue();
        assertThat(machine.nextTickInstant(s)).isNull();
        assertThat(SettlementMachine.openBookEntry(s)).isNull();
        assertThat(out.results).hasSize(1);
        assertThat(out.alerts).isEmpty();
    }

    @Test
    void expiredStateIsRemovedAfterRetention() {
        SettlementState s = apply(null, standardBooking());

        machine.advance(s, RETENTION_AFTER_EXPIRY.minusNanos(1), out);
        assertThat(s.getStatus()).isEqualTo(EXPIRED);
        assertThat(machine.nextTickInstant(s)).isEqualTo(RETENTION_AFTER_EXPIRY);

        machine.advance(s, RETENTION_AFTER_EXPIRY, out);

        assertThat(s.isEmpty()).isTrue();
        assertThat(machine.nextTickInstant(s)).isNull();
    }

    @Test
    void awaitingStateIsRemovedAtLastWaitingTimePlusOrphanTimeoutPlusRetention() {
        SettlementState s =
                apply(null, confirmUsd("c-1", t("08:00:00")), confirmEur("c-2", t("08:30:00")));
        Instant removal = t("09:30:00").plus(Duration.ofDays(7));

        machine.advance(s, removal.minusNanos(1), out);
        assertThat(s.isEmpty()).isFalse();
        assertThat(s.getStatus()).isEqualTo(AWAITING_BOOKING);
        assertThat(machine.nextTickInstant(s)).isEqualTo(removal);

        machine.advance(s, removal, out);

        assertThat(s.isEmpty()).isTrue();
        assertThat(machine.nextTickInstant(s)).isNull();
        assertThat(SettlementMachine.openBookEntry(s)).isNull();
        assertThat(out.alerts)
                .extracting(Alert::getAlertId)
                .containsExactly("FX-2:ORPHAN_EVENT:c-1", "FX-2:ORPHAN_EVENT:c-2");
        assertThat(out.results).isEmpty();
    }

    @Test
    void nothingIsDueForNoStateOrAnEmptyOne() {
        assertThat(machine.nextTickInstant(null)).isNull();
        assertThat(machine.nextTickInstant(new SettlementState(ID))).isNull();
        assertThat(machine.advance(null, EXPIRY, out)).isNull();
        assertThat(out.alerts).isEmpty();
    }

    // ---------------------------------------------------------------------------------------
    // Counting.

    @Test
    void eventsAppliedCountsAlertOnlyEventsWhileOpenButNothingAfterTheEnd() {
        SettlementState s =
                apply(
                        null,
                        standardBooking(),
                        SettlementEvent.confirmed(
                                "c-gbp", ID, t("09:01:00"), "GBP", "GBP", amount("1.00")),
                        SettlementEvent.confirmed(
                                "c-bad", ID, t("09:02:00"), "USD", "USD", amount("1.00")),
                        booking("b-2", t("09:03:00"), DEADLINE),
                        confirmUsd("c-1", t("09:04:00")),
                        confirmUsd("c-1-again", t("09:05:00")),
                        confirmEur("c-2", t("09:06:00")));

        assertThat(out.results)
                .containsExactly(standardResult("FX-2:SETTLED", SETTLED, t("09:06:00"), false, 7));

        apply(
                s,
                booking("b-3", t("10:00:00"), DEADLINE),
                confirmEur("c-3", t("10:01:00")),
                cancel("x-1", t("10:02:00")));

        assertThat(s.getEventsApplied()).isEqualTo(7);
        assertThat(out.alerts)
                .extracting(Alert::getAlertId)
                .containsExactly(
                        "FX-2:UNKNOWN_LEG:c-gbp",
                        "FX-2:AMOUNT_MISMATCH:c-bad",
                        "FX-2:DUPLICATE_BOOKING:b-2",
                        "FX-2:DOUBLE_PAYMENT:c-1-again",
                        "FX-2:DUPLICATE_BOOKING:b-3",
                        "FX-2:DOUBLE_PAYMENT:c-3",
                        "FX-2:CANCEL_REJECTED:x-1");
    }

    // ---------------------------------------------------------------------------------------
    // Open book.

    @Test
    void openBookEntryOfOpenSettlement() {
        SettlementState s = apply(null, standardBooking(), confirmUsd("c-1", t("09:05:10")));

        OpenBookEntry expected = new OpenBookEntry();
        expected.setSettlementId(ID);
        expected.setStatus(OPEN);
        expected.setBookedAt(BOOKED);
        expected.setDeadline(DEADLINE);
        expected.setLegs(2);
        expected.setLegsConfirmed(1);
        expected.setEventsApplied(2);
        expected.setEventsWaiting(0);
        expected.setParties(PARTIES);
        expected.setCurrencies(CURRENCIES);
        assertThat(SettlementMachine.openBookEntry(s)).isEqualTo(expected);
    }

    @Test
    void openBookEntryOfSettlementAwaitingBooking() {
        SettlementState s =
                apply(null, confirmUsd("c-1", t("08:50:00")), cancel("x-1", t("08:55:00")));

        OpenBookEntry expected = new OpenBookEntry();
        expected.setSettlementId(ID);
        expected.setStatus(AWAITING_BOOKING);
        expected.setEventsWaiting(2);
        OpenBookEntry actual = SettlementMachine.openBookEntry(s);
        assertThat(actual).isEqualTo(expected);
        assertThat(actual.getBookedAt()).isNull();
        assertThat(actual.getDeadline()).isNull();
        assertThat(actual.getLegs()).isNull();
        assertThat(actual.getParties()).isNull();
        assertThat(actual.getCurrencies()).isNull();
        assertThat(actual.getEventsApplied()).isZero();
    }

    @Test
    void noOpenBookEntryOnceEnded() {
        SettlementState s = apply(null, standardBooking(), cancel("x-1", t("10:00:00")));

        assertThat(SettlementMachine.openBookEntry(s)).isNull();
        assertThat(SettlementMachine.openBookEntry(null)).isNull();
    }

    // ---------------------------------------------------------------------------------------
    // Helpers.

    private SettlementState apply(SettlementState s, SettlementEvent... events) {
        for (SettlementEvent e : events) {
            s = machine.apply(s, e, out);
        }
        return s;
    }

    private void assertAlerts(Tuple... expected) {
        assertThat(out.alerts)
                .extracting(Alert::getAlertId, Alert::getType, Alert::getSeverity, Alert::getAt)
                .containsExactly(expected);
        assertThat(out.alerts).extracting(Alert::getSettlementId).allMatch(ID::equals);
    }

    static Instant t(String hhmmss) {
        return Instant.parse("2026-11-25T" + hhmmss + "Z");
    }

    static BigDecimal amount(String s) {
        return new BigDecimal(s);
    }

    static Leg leg(String legId, String payer, String payee, String currency, String amount) {
        return new Leg(legId, payer, payee, currency, amount(amount));
    }

    private static SettlementEvent booking(String eventId, Instant eventTime, Instant deadline) {
        return SettlementEvent.booked(
                eventId,
                ID,
                eventTime,
                deadline,
                List.of(
                        leg("USD", "BANK_A", "BANK_B", "USD", "1000000.00"),
                        leg("EUR", "BANK_B", "BANK_A", "EUR", "921450.00")));
    }

    private static SettlementEvent standardBooking() {
        return booking("b-1", BOOKED, DEADLINE);
    }

    private static SettlementEvent confirmUsd(String eventId, Instant at) {
        return SettlementEvent.confirmed(eventId, ID, at, "USD", "USD", amount("1000000.00"));
    }

    private static SettlementEvent confirmEur(String eventId, Instant at) {
        return SettlementEvent.confirmed(eventId, ID, at, "EUR", "EUR", amount("921450.00"));
    }

    private static SettlementEvent cancel(String eventId, Instant at) {
        return SettlementEvent.cancelled(eventId, ID, at, "client request");
    }

    /** The expected result of the usual FX-2 booking. */
    private static SettlementResult standardResult(
            String resultId,
            SettlementStatus status,
            Instant endedAt,
            boolean breached,
            int eventsApplied) {
        return result(
                resultId,
                status,
                BOOKED,
                endedAt,
                DEADLINE,
                breached,
                2,
                eventsApplied,
                PARTIES,
                CURRENCIES);
    }

    /** Every field spelled out, so that {@code equals} checks each of them. */
    static SettlementResult result(
            String resultId,
            SettlementStatus status,
            Instant bookedAt,
            Instant endedAt,
            Instant deadline,
            boolean breached,
            int legs,
            int eventsApplied,
            List<String> parties,
            List<String> currencies) {
        SettlementResult r = new SettlementResult();
        r.setResultId(resultId);
        r.setSettlementId(resultId.substring(0, resultId.lastIndexOf(':')));
        r.setStatus(status);
        r.setBookedAt(bookedAt);
        r.setEndedAt(endedAt);
        r.setDeadline(deadline);
        r.setBreached(breached);
        r.setLegs(legs);
        r.setEventsApplied(eventsApplied);
        r.setParties(parties);
        r.setCurrencies(currencies);
        return r;
    }
}
