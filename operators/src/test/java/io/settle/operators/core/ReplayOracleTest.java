package io.settle.operators.core;

import io.settle.operators.codec.DecodeResult;
import io.settle.operators.codec.EventCodec;
import io.settle.operators.codec.OutputCodec;
import io.settle.operators.core.ReplayOracle.Outcome;
import io.settle.operators.model.Alert;
import io.settle.operators.model.DeadLetter;
import io.settle.operators.model.Leg;
import io.settle.operators.model.OpenBookEntry;
import io.settle.operators.model.Origin;
import io.settle.operators.model.ReasonCode;
import io.settle.operators.model.SettlementEvent;
import io.settle.operators.model.SettlementResult;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

import static io.settle.operators.model.AlertType.AT_RISK;
import static io.settle.operators.model.AlertType.CONFLICTING_DUPLICATE;
import static io.settle.operators.model.AlertType.ORPHAN_EVENT;
import static io.settle.operators.model.SettlementStatus.AWAITING_BOOKING;
import static io.settle.operators.model.SettlementStatus.OPEN;
import static io.settle.operators.model.SettlementStatus.SETTLED;
import static io.settle.operators.model.Severity.CRITICAL;
import static io.settle.operators.model.Severity.WARNING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The replay oracle over small bounded inputs: the contract's examples (§1, §3) as golden cases,
 * the replay clock and its open book, duplicates, and order independence.
 */
class ReplayOracleTest {

    /** Contract §1, the example input, verbatim. */
    private static final List<String> CONTRACT_EXAMPLE_LINES =
            List.of(
                    "{\"eventId\":\"b-1\",\"type\":\"OBLIGATION_BOOKED\",\"settlementId\":\"FX-1\",\"eventTime\":\"2026-11-25T09:00:00Z\",\"deadline\":\"2026-11-25T16:00:00Z\",\"legs\":[{\"legId\":\"USD\",\"payer\":\"BANK_A\",\"payee\":\"BANK_B\",\"currency\":\"USD\",\"amount\":\"1000000.00\"},{\"legId\":\"EUR\",\"payer\":\"BANK_B\",\"payee\":\"BANK_A\",\"currency\":\"EUR\",\"amount\":\"921450.00\"}]}",
                    "{\"eventId\":\"c-1\",\"type\":\"LEG_CONFIRMED\",\"settlementId\":\"FX-1\",\"eventTime\":\"2026-11-25T09:05:10Z\",\"legId\":\"USD\",\"currency\":\"USD\",\"amount\":\"1000000.00\"}",
                    "{\"eventId\":\"c-2\",\"type\":\"LEG_CONFIRMED\",\"settlementId\":\"FX-1\",\"eventTime\":\"2026-11-25T09:07:42Z\",\"legId\":\"EUR\",\"currency\":\"EUR\",\"amount\":\"921450.00\"}");

    /** Contract §3, the example result, verbatim. */
    private static final String CONTRACT_EXAMPLE_RESULT =
            "{\"resultId\":\"FX-1:SETTLED\",\"settlementId\":\"FX-1\",\"status\":\"SETTLED\",\"bookedAt\":\"2026-11-25T09:00:00Z\",\"endedAt\":\"2026-11-25T09:07:42Z\",\"deadline\":\"2026-11-25T16:00:00Z\",\"breached\":false,\"legs\":2,\"eventsApplied\":3,\"parties\":[\"BANK_A\",\"BANK_B\"],\"currencies\":[\"EUR\",\"USD\"]}";

    private static final List<String> FX_PARTIES = List.of("BANK_A", "BANK_B");
    private static final List<String> FX_CURRENCIES = List.of("EUR", "USD");

    // ---------------------------------------------------------------------------------------
    // Golden cases.

    @Test
    void settlesTheContractExampleExactlyAsTheContractSays() {
        List<SettlementEvent> events = fx1();

        Outcome outcome = replay(events, ReplayOracle.greatestEventTime(events));

        assertThat(outcome.results())
                .containsExactly(
                        SettlementMachineTest.result(
                                "FX-1:SETTLED",
                                SETTLED,
                                t("09:00:00"),
                                t("09:07:42"),
                                t("16:00:00"),
                                false,
                                2,
                                3,
                                FX_PARTIES,
                                FX_CURRENCIES));
        assertThat(outcome.alerts()).isEmpty();
        assertThat(outcome.openBook()).isEmpty();
        assertThat(outcome.deadLetters()).isEmpty();
        assertThat(outcome.duplicatesDropped()).isZero();
        assertThat(outcome.leftOutAfterUntil()).isZero();
    }

    @Test
    void contractExampleInputGivesTheContractExampleResultLine() {
        EventCodec codec = new EventCodec();
        List<SettlementEvent> events = new ArrayList<>();
        for (int i = 0; i < CONTRACT_EXAMPLE_LINES.size(); i++) {
            DecodeResult decoded =
                    codec.decode(CONTRACT_EXAMPLE_LINES.get(i), Origin.file("day.jsonl", i + 1));
            assertThat(decoded.isValid()).as("line %d: %s", i + 1, decoded).isTrue();
            events.add(decoded.event());
        }

        Outcome outcome = replay(events, ReplayOracle.greatestEventTime(events));

        assertThat(outcome.results())
                .extracting(r -> new OutputCodec().result(r))
                .containsExactly(CONTRACT_EXAMPLE_RESULT);
        assertThat(outcome.alerts()).isEmpty();
        assertThat(outcome.openBook()).isEmpty();
    }

    @Test
    void writesTheContractOpenBookExampleForASettlementStillOpenAtUntil() {
        Outcome outcome = replay(fx3(), t("11:00:00"));

        OpenBookEntry expected = new OpenBookEntry();
        expected.setSettlementId("FX-3");
        expected.setStatus(OPEN);
        expected.setBookedAt(t("10:00:00"));
        expected.setDeadline(t("12:00:00"));
        expected.setLegs(2);
        expected.setLegsConfirmed(1);
        expected.setEventsApplied(2);
        expected.setParties(List.of("BANK_A", "BANK_C"));
        expected.setCurrencies(List.of("GBP", "USD"));
        assertThat(outcome.openBook()).containsExactly(expected);
        assertThat(outcome.results()).isEmpty();
        assertThat(outcome.alerts()).isEmpty();
    }

    // ---------------------------------------------------------------------------------------
    // The replay clock.

    @Test
    void ticksAtUntilFireAndLaterOnesDoNot() {
        // FX-3's at-risk instant is 11:45 (deadline 12:00 by the default window), its deadline
        // 12:00.
        Outcome outcome = replay(fx3(), t("11:45:00"));

        assertThat(outcome.alerts())
                .extracting(Alert::getAlertId, Alert::getType, Alert::getSeverity, Alert::getAt)
                .containsExactly(tuple("FX-3:AT_RISK", AT_RISK, WARNING, t("11:45:00")));
        assertThat(outcome.openBook())
                .extracting(OpenBookEntry::getSettlementId, OpenBookEntry::getStatus)
                .containsExactly(tuple("FX-3", OPEN));
        assertThat(outcome.results()).isEmpty();
    }

    @Test
    void leavesOutEventsStampedAfterUntil() {
        List<SettlementEvent> events = new ArrayList<>(fx1());
        // A copy of the left-out c-2 is left out as well, not counted as a duplicate.
        events.add(
                confirmed("c-2", "FX-1", "09:07:42", "EUR", "921450.00")
                        .withOrigin(Origin.file("day.jsonl", 4)));

        Outcome outcome = replay(events, t("09:06:00"));

        assertThat(outcome.leftOutAfterUntil()).isEqualTo(2);
        assertThat(outcome.duplicatesDropped()).isZero();
        assertThat(outcome.results()).isEmpty();
        assertThat(outcome.alerts()).isEmpty();
        OpenBookEntry expected = new OpenBookEntry();
        expected.setSettlementId("FX-1");
        expected.setStatus(OPEN);
        expected.setBookedAt(t("09:00:00"));
        expected.setDeadline(t("16:00:00"));
        expected.setLegs(2);
        expected.setLegsConfirmed(1);
        expected.setEventsApplied(2);
        expected.setParties(FX_PARTIES);
        expected.setCurrencies(FX_CURRENCIES);
        assertThat(outcome.openBook()).containsExactly(expected);
    }

    @Test
    void writesAwaitingBookingEntryForEventsWhoseBookingNeverCame() {
        List<SettlementEvent> events =
                List.of(
                        confirmed("c-1", "FX-4", "08:00:00", "USD", "10.00"),
                        SettlementEvent.cancelled("x-1", "FX-4", t("08:10:00"), null));

        Outcome outcome = replay(events, t("09:05:00"));

        assertThat(outcome.alerts())
                .extracting(Alert::getAlertId, Alert::getType, Alert::getSeverity, Alert::getAt)
                .containsExactly(
                        tuple("FX-4:ORPHAN_EVENT:c-1", ORPHAN_EVENT, WARNING, t("09:00:00")));
        OpenBookEntry expected = new OpenBookEntry();
        expected.setSettlementId("FX-4");
        expected.setStatus(AWAITING_BOOKING);
        expected.setEventsWaiting(2);
        assertThat(outcome.openBook()).containsExactly(expected);
        assertThat(outcome.results()).isEmpty();
    }

    @Test
    void greatestEventTimeIsTheDefaultEndOfTheReplayClock() {
        assertThat(ReplayOracle.greatestEventTime(fx1())).isEqualTo(t("09:07:42"));
        assertThat(ReplayOracle.greatestEventTime(List.of())).isNull();
    }

    // ---------------------------------------------------------------------------------------
    // Duplicates.

    @Test
    void dropsAndCountsExactDuplicates() {
        List<SettlementEvent> events = new ArrayList<>(fx1());
        events.addAll(fx1());
        events.add(fx1().get(1));

        Outcome outcome = replay(events, t("09:07:42"));

        assertThat(outcome.duplicatesDropped()).isEqualTo(4);
        assertThat(outcome).isEqualTo(withDuplicatesDropped(replay(fx1(), t("09:07:42")), 4));
        assertThat(outcome.results())
                .extracting(SettlementResult::getEventsApplied)
                .containsExactly(3);
        assertThat(outcome.deadLetters()).isEmpty();
    }

    @Test
    void dropsExactDuplicatesWrittenDifferently() {
        // The same content: other field order, whitespace, offset and amount scale (numerically
        // equal). Decoded, as the job sees them.
        String copy =
                "{ \"type\":\"LEG_CONFIRMED\", \"amount\":\"1000000.0\", \"eventId\":\"c-1\","
                        + " \"settlementId\":\"FX-1\", \"eventTime\":\"2026-11-25T10:05:10+01:00\","
                        + " \"currency\":\"USD\", \"legId\":\"USD\", \"note\":\"ignored\" }";
        EventCodec codec = new EventCodec();
        List<SettlementEvent> events = new ArrayList<>();
        for (String line : CONTRACT_EXAMPLE_LINES) {
            events.add(codec.decode(line, null).event());
        }
        DecodeResult decodedCopy = codec.decode(copy, Origin.file("day.jsonl", 4));
        assertThat(decodedCopy.isValid()).as("%s", decodedCopy).isTrue();
        events.add(decodedCopy.event());

        Outcome outcome = replay(events, t("09:07:42"));

        assertThat(outcome.duplicatesDropped()).isEqualTo(1);
        assertThat(outcome.deadLetters()).isEmpty();
        assertThat(outcome.alerts()).isEmpty();
        assertThat(outcome.results())
                .extracting(SettlementResult::getEventsApplied)
                .containsExactly(3);
    }

    @Test
    void conflictingDuplicateIsDeadLetteredAndTheFirstAcceptedStands() {
        List<SettlementEvent> events = new ArrayList<>(fx1());
        events.add(
                confirmed("c-1", "FX-1", "09:06:00", "USD", "999.00")
                        .withOrigin(Origin.file("day.jsonl", 4)));

        Outcome outcome = replay(events, t("09:07:42"));

        DeadLetter expected = new DeadLetter();
        expected.setReason(ReasonCode.CONFLICTING_DUPLICATE);
        expected.setMessage(
                "event 'c-1' of settlement 'FX-1' was already accepted with different content;"
                        + " the first accepted version stands");
        String raw =
                "{\"eventId\":\"c-1\",\"type\":\"LEG_CONFIRMED\",\"settlementId\":\"FX-1\","
                        + "\"eventTime\":\"2026-11-25T09:06:00Z\",\"legId\":\"USD\","
                        + "\"currency\":\"USD\",\"amount\":\"999.00\"}";
        expected.setRaw(raw);
        expected.setRawBytes(raw.getBytes(StandardCharsets.UTF_8).length);
        expected.setRawSha256(
                io.settle.operators.codec.EventCodec.sha256(
                        raw.getBytes(StandardCharsets.UTF_8), expected.getRawBytes()));
        expected.setSettlementId("FX-1");
        expected.setEventId("c-1");
        expected.setOrigin(Origin.file("day.jsonl", 4));
        assertThat(outcome.deadLetters()).containsExactly(expected);
        assertThat(outcome.alerts())
                .extracting(
                        Alert::getAlertId,
                        Alert::getType,
                        Alert::getSeverity,
                        Alert::getSettlementId,
                        Alert::getAt)
                .containsExactly(
                        tuple(
                                "FX-1:CONFLICTING_DUPLICATE:c-1",
                                CONFLICTING_DUPLICATE,
                                CRITICAL,
                                "FX-1",
                                t("09:06:00")));
        // The dead letter is not applied: FX-1 settles as if it never came.
        assertThat(outcome.results())
                .containsExactly(
                        SettlementMachineTest.result(
                                "FX-1:SETTLED",
                                SETTLED,
                                t("09:00:00"),
                                t("09:07:42"),
                                t("16:00:00"),
                                false,
                                2,
                                3,
                                FX_PARTIES,
                                FX_CURRENCIES));
        assertThat(outcome.duplicatesDropped()).isZero();
    }

    @Test
    void conflictingDuplicateArrivingFirstIsTheVersionThatStands() {
        List<SettlementEvent> events = new ArrayList<>();
        events.add(confirmed("c-1", "FX-1", "09:06:00", "USD", "999.00"));
        events.addAll(fx1());

        Outcome outcome = replay(events, t("09:07:42"));

        assertThat(outcome.deadLetters())
                .extracting(DeadLetter::getReason, DeadLetter::getEventId)
                .containsExactly(tuple(ReasonCode.CONFLICTING_DUPLICATE, "c-1"));
        assertThat(outcome.alerts())
                .extracting(Alert::getAlertId, Alert::getAt)
                .containsExactly(
                        tuple("FX-1:CONFLICTING_DUPLICATE:c-1", t("09:05:10")),
                        tuple("FX-1:AMOUNT_MISMATCH:c-1", t("09:06:00")));
        assertThat(outcome.results()).isEmpty();
        assertThat(outcome.openBook())
                .extracting(OpenBookEntry::getLegsConfirmed, OpenBookEntry::getEventsApplied)
                .containsExactly(tuple(1, 3));
    }

    // ---------------------------------------------------------------------------------------
    // Order independence.

    @Test
    void sameEventsInAnyOrderGiveIdenticalOutcomes() {
        List<SettlementEvent> day = aDay();
        Instant until = ReplayOracle.greatestEventTime(day);
        Outcome inOrder = replay(day, until);

        assertThat(inOrder.results())
                .extracting(SettlementResult::getResultId, SettlementResult::isBreached)
                .containsExactly(
                        tuple("FX-1:SETTLED", false),
                        tuple("FX-2:SETTLED", true),
                        tuple("FX-3:CANCELLED", false),
                        tuple("FX-4:SETTLED", false));
        assertThat(inOrder.alerts())
                .extracting(Alert::getAlertId)
                .containsExactly(
                        "FX-2:AT_RISK",
                        "FX-2:DEADLINE_MISSED",
                        "FX-3:PAYMENT_AFTER_CANCEL:c-1",
                        "FX-4:ORPHAN_EVENT:c-1",
                        "FX-5:DUPLICATE_BOOKING:b-2",
                        "FX-5:UNKNOWN_LEG:c-9",
                        "FX-6:ORPHAN_EVENT:c-1");
        assertThat(inOrder.openBook())
                .extracting(OpenBookEntry::getSettlementId, OpenBookEntry::getStatus)
                .containsExactly(tuple("FX-5", OPEN), tuple("FX-6", AWAITING_BOOKING));

        List<List<SettlementEvent>> permutations = new ArrayList<>();
        List<SettlementEvent> reversed = new ArrayList<>(day);
        Collections.reverse(reversed);
        permutations.add(reversed);
        List<SettlementEvent> byEventId = new ArrayList<>(day);
        byEventId.sort(
                Comparator.comparing(SettlementEvent::getEventId)
                        .thenComparing(
                                SettlementEvent::getSettlementId, Comparator.reverseOrder()));
        permutations.add(byEventId);
        List<SettlementEvent> rotated = new ArrayList<>(day);
        Collections.rotate(rotated, 7);
        permutations.add(rotated);
        List<SettlementEvent> evenThenOdd = new ArrayList<>();
        for (int start = 0; start < 2; start++) {
            for (int i = start; i < day.size(); i += 2) {
                evenThenOdd.add(day.get(i));
            }
        }
        permutations.add(evenThenOdd);

        for (List<SettlementEvent> permutation : permutations) {
            assertThat(permutation).containsExactlyInAnyOrderElementsOf(day);
            assertThat(replay(permutation, until)).as("%s", permutation).isEqualTo(inOrder);
        }

        List<SettlementEvent> duplicated = new ArrayList<>(reversed);
        duplicated.addAll(evenThenOdd);
        assertThat(replay(duplicated, until)).isEqualTo(withDuplicatesDropped(inOrder, day.size()));
    }

    // ---------------------------------------------------------------------------------------
    // Late events, as a live run applies them (contract, "Live: late events").

    @Test
    void aLateConfirmationAppliesAfterTheTicksItsWatermarkPassed() {
        // FX-1's EUR leg confirmed at 09:07:42, but it reached the job when the watermark stood at
        // 16:00:05: the 16:00 deadline was missed first (AT_RISK, DEADLINE_MISSED), then it
        // settles at its confirmation's own time, before the deadline: not breached.
        List<SettlementEvent> events = fx1();
        Instant until = t("16:30:00");
        Outcome inTime = replay(events, until);
        Outcome late =
                new ReplayOracle(SettlementConfig.builder().replay(until).build())
                        .run(
                                events,
                                java.util.Map.of(
                                        ReplayOracle.lateKey("FX-1", "c-2"),
                                        t("16:00:05").toEpochMilli()));

        assertThat(late.results()).isEqualTo(inTime.results());
        assertThat(late.results())
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.isBreached()).isFalse();
                            assertThat(r.getEndedAt()).isEqualTo(t("09:07:42"));
                        });
        assertThat(inTime.alerts()).isEmpty();
        assertThat(late.alerts())
                .extracting(Alert::getAlertId)
                .containsExactly("FX-1:AT_RISK", "FX-1:DEADLINE_MISSED", "FX-1:LATE_EVENT:c-2");
    }

    @Test
    void lateEventsApplyAfterTheEventsInTimeTheirWatermarkPassedAndBeforeTheRest() {
        // OneClockITCase (d): confirmed at +10 ms, cancelled at +60 ms; a cancellation stamped
        // +5 ms arrives when the watermark is at +100 ms: rejected, the settlement stays SETTLED.
        Instant t0 = t("09:00:00");
        List<SettlementEvent> events =
                List.of(
                        SettlementEvent.booked(
                                "b-1",
                                "L-1",
                                t0,
                                t("16:00:00"),
                                List.of(leg("USD", "BANK_A", "BANK_B", "USD", "5.00"))),
                        SettlementEvent.confirmed(
                                "c-1",
                                "L-1",
                                t0.plusMillis(10),
                                "USD",
                                "USD",
                                new BigDecimal("5.00")),
                        SettlementEvent.cancelled("x-1", "L-1", t0.plusMillis(60), null),
                        SettlementEvent.cancelled("x-0", "L-1", t0.plusMillis(5), "late"));
        ReplayOracle oracle =
                new ReplayOracle(SettlementConfig.builder().replay(t0.plusSeconds(1)).build());

        Outcome late =
                oracle.run(
                        events,
                        java.util.Map.of(
                                ReplayOracle.lateKey("L-1", "x-0"),
                                t0.plusMillis(100).toEpochMilli()));
        assertThat(late.results()).extracting(SettlementResult::getStatus).containsExactly(SETTLED);
        assertThat(late.alerts())
                .extracting(Alert::getAlertId)
                .containsExactly(
                        "L-1:CANCEL_REJECTED:x-1", "L-1:LATE_EVENT:x-0", "L-1:CANCEL_REJECTED:x-0");

        // In time, the same cancellation comes first and wins.
        assertThat(oracle.run(events).results())
                .extracting(SettlementResult::getStatus)
                .containsExactly(io.settle.operators.model.SettlementStatus.CANCELLED);
        // A watermark that had not passed the confirmation: the late cancellation goes before it.
        Outcome early =
                oracle.run(
                        events,
                        java.util.Map.of(
                                ReplayOracle.lateKey("L-1", "x-0"),
                                t0.plusMillis(9).toEpochMilli()));
        assertThat(early.results())
                .extracting(SettlementResult::getStatus)
                .containsExactly(io.settle.operators.model.SettlementStatus.CANCELLED);
    }

    // ---------------------------------------------------------------------------------------
    // Helpers.

    private static Outcome replay(List<SettlementEvent> events, Instant until) {
        return new ReplayOracle(SettlementConfig.builder().replay(until).build()).run(events);
    }

    private static Outcome withDuplicatesDropped(Outcome o, long duplicates) {
        return new Outcome(
                o.results(),
                o.alerts(),
                o.openBook(),
                o.deadLetters(),
                duplicates,
                o.leftOutAfterUntil());
    }

    private static Instant t(String hhmmss) {
        return SettlementMachineTest.t(hhmmss);
    }

    private static Leg leg(
            String legId, String payer, String payee, String currency, String amount) {
        return SettlementMachineTest.leg(legId, payer, payee, currency, amount);
    }

    private static SettlementEvent confirmed(
            String eventId, String settlementId, String at, String leg, String amount) {
        return SettlementEvent.confirmed(
                eventId, settlementId, t(at), leg, leg, new BigDecimal(amount));
    }

    /** The contract's example, FX-1. */
    private static List<SettlementEvent> fx1() {
        return List.of(
                SettlementEvent.booked(
                        "b-1",
                        "FX-1",
                        t("09:00:00"),
                        t("16:00:00"),
                        List.of(
                                leg("USD", "BANK_A", "BANK_B", "USD", "1000000.00"),
                                leg("EUR", "BANK_B", "BANK_A", "EUR", "921450.00"))),
                confirmed("c-1", "FX-1", "09:05:10", "USD", "1000000.00"),
                confirmed("c-2", "FX-1", "09:07:42", "EUR", "921450.00"));
    }

    /** The contract's open-book example, FX-3: booked 10:00 with the default 2h window. */
    private static List<SettlementEvent> fx3() {
        return List.of(
                SettlementEvent.booked(
                        "b-1",
                        "FX-3",
                        t("10:00:00"),
                        null,
                        List.of(
                                leg("USD", "BANK_A", "BANK_C", "USD", "250000.00"),
                                leg("GBP", "BANK_C", "BANK_A", "GBP", "197500.00"))),
                confirmed("c-1", "FX-3", "10:30:00", "USD", "250000.00"));
    }

    /** Six settlements that between them take most paths, in apply order. */
    private static List<SettlementEvent> aDay() {
        List<Leg> twoLegs =
                List.of(
                        leg("USD", "BANK_A", "BANK_B", "USD", "100.00"),
                        leg("EUR", "BANK_B", "BANK_A", "EUR", "92.00"));
        List<SettlementEvent> day = new ArrayList<>(fx1());
        // FX-2: settles after its 10:00 deadline, at the same instant as its second confirmation.
        day.add(SettlementEvent.booked("b-1", "FX-2", t("09:00:00"), t("10:00:00"), twoLegs));
        day.add(confirmed("c-1", "FX-2", "09:30:00", "USD", "100.00"));
        day.add(confirmed("c-2", "FX-2", "10:30:00", "EUR", "92.00"));
        // FX-3: cancelled, then paid; the cancellation and the booking share an instant.
        day.add(SettlementEvent.booked("b-1", "FX-3", t("10:00:00"), null, twoLegs));
        day.add(SettlementEvent.cancelled("x-1", "FX-3", t("10:00:00"), "client request"));
        day.add(confirmed("c-1", "FX-3", "10:30:00", "USD", "100.00"));
        // FX-4: a confirmation an hour and a half before its booking.
        day.add(confirmed("c-1", "FX-4", "08:00:00", "USD", "100.00"));
        day.add(
                SettlementEvent.booked(
                        "b-1",
                        "FX-4",
                        t("09:30:00"),
                        null,
                        List.of(leg("USD", "BANK_A", "BANK_B", "USD", "100.00"))));
        // FX-5: two bookings at one instant (b-1 wins on eventId), an unknown leg; open at the end.
        day.add(SettlementEvent.booked("b-1", "FX-5", t("11:00:00"), t("13:00:00"), twoLegs));
        day.add(
                SettlementEvent.booked(
                        "b-2",
                        "FX-5",
                        t("11:00:00"),
                        t("12:00:00"),
                        List.of(leg("GBP", "BANK_C", "BANK_D", "GBP", "1.00"))));
        day.add(confirmed("c-9", "FX-5", "11:10:00", "GBP", "1.00"));
        // FX-6: a confirmation whose booking never comes.
        day.add(confirmed("c-1", "FX-6", "10:00:00", "USD", "100.00"));
        day.add(confirmed("c-2", "FX-6", "12:00:00", "EUR", "92.00"));
        return day;
    }
}
