package io.settle.tools.drill;

import io.settle.generator.GeneratedRecord;
import io.settle.generator.GeneratorOptions;
import io.settle.generator.TrafficGenerator;
import io.settle.operators.codec.EventCodec;
import io.settle.operators.codec.OutputCodec;
import io.settle.operators.core.ReplayOracle;
import io.settle.operators.core.SettlementConfig;
import io.settle.operators.model.Leg;
import io.settle.operators.model.SettlementEvent;
import io.settle.testkit.JsonLines;
import io.settle.testkit.OracleCheck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The drill's judge on generated traffic (the drill's own generator, a simulated clock): what it
 * expects agrees with what the generator says it sent, a job that wrote exactly that passes, and
 * each kind of loss or duplicate fails, while re-sent alerts (at least once) do not.
 */
class OracleCheckTest {
    private static final String TOPIC = "drill.events";
    private static final int PARTITIONS = 4;

    private static List<GeneratedRecord> generated;
    private static OracleCheck.Expected expected;

    @BeforeAll
    static void generate() {
        TrafficGenerator generator = new TrafficGenerator(GeneratorOptions.defaults(7).withLate(0));
        Instant clock = Instant.parse("2026-11-25T09:00:00Z");
        generated = new ArrayList<>();
        List<OracleCheck.EventRecord> records = new ArrayList<>();
        long[] offsets = new long[PARTITIONS];
        for (int i = 0; i < 6000; i++) {
            clock = clock.plus(Duration.ofMillis(20));
            GeneratedRecord r = generator.next(clock);
            generated.add(r);
            int partition = Math.floorMod(r.key().hashCode(), PARTITIONS);
            records.add(
                    new OracleCheck.EventRecord(TOPIC, partition, offsets[partition]++, r.value()));
        }
        SettlementConfig live =
                SettlementConfig.builder().atRiskLead(Duration.ofMinutes(1)).build();
        expected = OracleCheck.expected(records, live);
    }

    private static long count(java.util.function.Predicate<GeneratedRecord> p) {
        return generated.stream().filter(p).count();
    }

    /** The job that wrote exactly what the oracle says, nothing more. */
    private static OracleCheck.Actual perfect() {
        return new OracleCheck.Actual(
                new ArrayList<>(expected.results().values()),
                new ArrayList<>(expected.alerts().values()),
                new ArrayList<>(expected.deadLetters().values()),
                new ArrayList<>(expected.openBook()));
    }

    @Test
    void expectsWhatTheGeneratorSent() {
        assertThat(expected.records()).isEqualTo(generated.size());
        assertThat(expected.deadLetters()).hasSize((int) count(r -> r.kind().isMalformed()));
        assertThat(expected.validEvents()).isEqualTo(count(r -> !r.kind().isMalformed()));
        assertThat(expected.duplicatesDropped()).isEqualTo(count(r -> r.kind().isDuplicate()));
        assertThat(expected.results()).isNotEmpty();
        assertThat(expected.alerts()).isNotEmpty();
        assertThat(expected.openBook()).isNotEmpty();
        // 120 s of traffic, deadlines 19 min or more ahead, lead 1 min: no SLA tick in the window.
        assertThat(expected.alerts().values())
                .noneMatch(a -> a.contains("\"AT_RISK\"") || a.contains("\"DEADLINE_MISSED\""));
        assertThat(expected.until())
                .isBetween(
                        Instant.parse("2026-11-25T09:01:50Z"),
                        Instant.parse("2026-11-25T09:02:00Z"));
    }

    @Test
    void aJobThatWroteExactlyThatPasses() {
        OracleCheck.Report report = OracleCheck.compare(expected, perfect());
        assertThat(report.ok()).as(String.join("\n", report.lines())).isTrue();
        assertThat(report.lines()).last().isEqualTo("PASS");
        assertThat(OracleCheck.complete(expected, perfect())).isTrue();
    }

    @Test
    void aLostResultFails() {
        OracleCheck.Actual actual = perfect();
        String lost = actual.results().remove(0);
        OracleCheck.Report report = OracleCheck.compare(expected, actual);
        assertThat(report.ok()).isFalse();
        assertThat(report.results().missing())
                .containsExactly(JsonLines.parse(lost).path("resultId").asText());
        assertThat(report.lines()).last().isEqualTo("FAIL");
        assertThat(OracleCheck.complete(expected, actual)).isFalse();
    }

    @Test
    void aResultWrittenTwiceFails() {
        OracleCheck.Actual actual = perfect();
        actual.results().add(actual.results().get(3));
        OracleCheck.Report report = OracleCheck.compare(expected, actual);
        assertThat(report.ok()).isFalse();
        assertThat(report.results().duplicated()).hasSize(1);
    }

    @Test
    void aResultWithOtherContentFails() {
        OracleCheck.Actual actual = perfect();
        String r = actual.results().get(0);
        actual.results().set(0, r.replaceFirst("\"eventsApplied\":\\d+", "\"eventsApplied\":99"));
        OracleCheck.Report report = OracleCheck.compare(expected, actual);
        assertThat(report.ok()).isFalse();
        assertThat(report.results().differing()).hasSize(1);
    }

    @Test
    void aResentAlertPassesButALostOneFails() {
        OracleCheck.Actual resent = perfect();
        resent.alerts().add(resent.alerts().get(0));
        OracleCheck.Report ok = OracleCheck.compare(expected, resent);
        assertThat(ok.ok()).isTrue();
        assertThat(ok.alerts().resent()).isEqualTo(1);

        OracleCheck.Actual lost = perfect();
        lost.alerts().remove(0);
        OracleCheck.Report report = OracleCheck.compare(expected, lost);
        assertThat(report.ok()).isFalse();
        assertThat(report.alerts().missing()).hasSize(1);
    }

    @Test
    void aDeadLetterTwiceOrLostFails() {
        OracleCheck.Actual twice = perfect();
        twice.deadLetters().add(twice.deadLetters().get(0));
        assertThat(OracleCheck.compare(expected, twice).deadLetters().duplicated()).hasSize(1);

        OracleCheck.Actual lost = perfect();
        lost.deadLetters().remove(0);
        assertThat(OracleCheck.compare(expected, lost).deadLetters().missing()).hasSize(1);
        assertThat(OracleCheck.compare(expected, lost).ok()).isFalse();
    }

    @Test
    void anUnexpectedAlertFailsUnlessStampedAfterTheClocksEnd() {
        String settlement = expected.results().keySet().iterator().next().split(":")[0];
        String beforeEnd =
                "{\"alertId\":\""
                        + settlement
                        + ":AT_RISK\",\"type\":\"AT_RISK\",\"severity\":\"WARNING\",\"settlementId\":\""
                        + settlement
                        + "\",\"at\":\"2026-11-25T09:01:00Z\",\"detail\":\"x\"}";
        OracleCheck.Actual actual = perfect();
        actual.alerts().add(beforeEnd);
        OracleCheck.Report report = OracleCheck.compare(expected, actual);
        assertThat(report.alerts().unexpected()).hasSize(1);
        assertThat(report.ok()).isFalse();

        OracleCheck.Actual later = perfect();
        later.alerts().add(beforeEnd.replace("2026-11-25T09:01:00Z", "2026-11-25T09:30:00Z"));
        OracleCheck.Report after = OracleCheck.compare(expected, later);
        assertThat(after.alerts().beyondClock()).hasSize(1);
        assertThat(after.ok()).isTrue();
    }

    @Test
    void aSettlementMissingFromTheOpenBookFails() {
        OracleCheck.Actual actual = perfect();
        actual.openBook().remove(actual.openBook().size() - 1);
        OracleCheck.Report report = OracleCheck.compare(expected, actual);
        assertThat(report.ok()).isFalse();
        assertThat(report.openBook().missing()).hasSize(1);
    }

    @Test
    void aLateEventAlertPassesOnlyForAnEventItsProducerSentLate() {
        String event =
                "{\"eventId\":\"c-9\",\"type\":\"LEG_CONFIRMED\",\"settlementId\":\"S-9\","
                        + "\"eventTime\":\"2026-11-25T09:00:00Z\",\"legId\":\"L1\","
                        + "\"currency\":\"USD\",\"amount\":\"1.00\"}";
        long stamped = Instant.parse("2026-11-25T09:00:00Z").toEpochMilli();
        String lateAlert =
                "{\"alertId\":\"S-9:LATE_EVENT:c-9\",\"type\":\"LATE_EVENT\","
                        + "\"settlementId\":\"S-9\",\"at\":\"2026-11-25T09:00:00Z\"}";
        SettlementConfig live = SettlementConfig.builder().build(); // a 2 s allowance
        for (long sentAfter : new long[] {2_001, 2_000}) {
            List<OracleCheck.EventRecord> records =
                    List.of(
                            new OracleCheck.EventRecord(
                                    TOPIC,
                                    0,
                                    0,
                                    event.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                                    stamped + sentAfter));
            OracleCheck.Expected e = OracleCheck.expected(records, live);
            OracleCheck.Report report =
                    OracleCheck.compare(
                            e,
                            new OracleCheck.Actual(
                                    new ArrayList<>(e.results().values()),
                                    List.of(lateAlert),
                                    new ArrayList<>(e.deadLetters().values()),
                                    null));
            if (sentAfter > 2_000) {
                assertThat(report.ok()).as("sent %d ms after its eventTime", sentAfter).isTrue();
                assertThat(report.alerts().line()).contains("sent late by their producer 1");
            } else {
                assertThat(report.ok()).as("sent %d ms after its eventTime", sentAfter).isFalse();
                assertThat(report.alerts().unexpected()).hasSize(1);
            }
        }
    }

    /**
     * What only the running job knows: which events it found late, at which watermark.
     * OneClockITCase (d): L-1 confirmed (+10 ms) and cancelled (+60 ms); a cancellation stamped +5
     * ms reaches the job when its watermark is at +100 ms. The check holds the outputs to the live
     * outcome its LATE_EVENT alert names, or, if a restore re-read it in time, to replay's (that
     * alert then the write of a rolled-back attempt); anything else fails.
     */
    @Test
    void eventsTheJobFoundLateAreHeldToTheirLiveOutcome() {
        Instant t0 = Instant.parse("2026-11-25T09:00:00Z");
        Leg leg = new Leg("USD", "BANK_A", "BANK_B", "USD", new BigDecimal("5.00"));
        List<SettlementEvent> events =
                List.of(
                        SettlementEvent.booked(
                                "b-1", "L-1", t0, t0.plusSeconds(3600), List.of(leg)),
                        SettlementEvent.confirmed(
                                "c-1",
                                "L-1",
                                t0.plusMillis(10),
                                "USD",
                                "USD",
                                new BigDecimal("5.00")),
                        SettlementEvent.cancelled("x-1", "L-1", t0.plusMillis(60), null),
                        SettlementEvent.cancelled("x-0", "L-1", t0.plusMillis(5), "late"));
        List<OracleCheck.EventRecord> records = onePartition(events);
        SettlementConfig live = SettlementConfig.builder().build();
        OracleCheck.Decoded input = OracleCheck.decode(records, live, null);
        ReplayOracle oracle = new ReplayOracle(live.toBuilder().replay(t0.plusMillis(60)).build());
        OutputCodec out = new OutputCodec();
        ReplayOracle.Outcome inTime = oracle.run(events);
        ReplayOracle.Outcome late =
                oracle.run(
                        events,
                        java.util.Map.of(
                                ReplayOracle.lateKey("L-1", "x-0"),
                                t0.plusMillis(100).toEpochMilli()));
        List<String> lateResults = late.results().stream().map(out::result).toList();
        List<String> lateAlerts = late.alerts().stream().map(out::alert).toList();
        List<String> inTimeResults = inTime.results().stream().map(out::result).toList();
        List<String> inTimeAlerts = inTime.alerts().stream().map(out::alert).toList();
        assertThat(lateResults).isNotEqualTo(inTimeResults); // SETTLED, and CANCELLED in time

        // Found late, and committed so.
        OracleCheck.Actual asLate = actual(lateResults, lateAlerts);
        OracleCheck.Report ok =
                OracleCheck.compare(OracleCheck.expected(input, live, asLate, true), asLate);
        assertThat(ok.ok()).as(String.join("\n", ok.lines())).isTrue();
        assertThat(ok.lines())
                .anyMatch(
                        l ->
                                l.contains(
                                        "1 events the job found late, on 1 settlements: 1 matched"));

        // Found late in an attempt that was rolled back, then read in time after the restore.
        List<String> both = new ArrayList<>(inTimeAlerts);
        both.addAll(lateAlerts);
        OracleCheck.Actual rolledBack = actual(inTimeResults, both);
        OracleCheck.Report also =
                OracleCheck.compare(
                        OracleCheck.expected(input, live, rolledBack, true), rolledBack);
        assertThat(also.ok()).as(String.join("\n", also.lines())).isTrue();
        assertThat(also.alerts().rolledBack()).isPositive();

        // The late outcome without the job saying the event was late: a difference.
        OracleCheck.Actual unexplained = actual(lateResults, inTimeAlerts);
        assertThat(
                        OracleCheck.compare(
                                        OracleCheck.expected(input, live, unexplained, true),
                                        unexplained)
                                .ok())
                .isFalse();

        // An alert no live outcome has: a phantom.
        List<String> phantom = new ArrayList<>(lateAlerts);
        phantom.add(
                "{\"alertId\":\"L-1:PAYMENT_AFTER_CANCEL:c-1\",\"type\":\"PAYMENT_AFTER_CANCEL\","
                        + "\"severity\":\"CRITICAL\",\"settlementId\":\"L-1\","
                        + "\"at\":\"2026-11-25T09:00:00.010Z\",\"detail\":\"x\"}");
        OracleCheck.Actual withPhantom = actual(lateResults, phantom);
        OracleCheck.Report bad =
                OracleCheck.compare(
                        OracleCheck.expected(input, live, withPhantom, true), withPhantom);
        assertThat(bad.alerts().unexpected()).hasSize(1);
        assertThat(bad.lines()).anyMatch(l -> l.contains("phantom 1"));
    }

    /**
     * A rolled-back attempt had read a prefix of the input: its DEADLINE_MISSED for a settlement
     * whose confirmation it had not read yet (the committed attempt read it in time and settled
     * before the deadline) is allowed; the expected content must still arrive once.
     */
    @Test
    void alertsOfAnAttemptThatHadReadOnlyAPrefixAreAllowedButTheExpectedOnesStillRequired() {
        Instant t0 = Instant.parse("2026-11-25T09:00:00Z");
        Leg leg = new Leg("USD", "BANK_A", "BANK_B", "USD", new BigDecimal("5.00"));
        List<SettlementEvent> events =
                List.of(
                        SettlementEvent.booked("b-1", "P-1", t0, t0.plusSeconds(90), List.of(leg)),
                        SettlementEvent.confirmed(
                                "c-1",
                                "P-1",
                                t0.plusSeconds(80),
                                "USD",
                                "USD",
                                new BigDecimal("5.00")));
        List<OracleCheck.EventRecord> records = onePartition(events);
        SettlementConfig live =
                SettlementConfig.builder().atRiskLead(Duration.ofSeconds(30)).build();
        OracleCheck.Decoded input = OracleCheck.decode(records, live, null);
        OutputCodec out = new OutputCodec();
        ReplayOracle oracle =
                new ReplayOracle(live.toBuilder().replay(t0.plusSeconds(100)).build());
        List<String> results = oracle.run(events).results().stream().map(out::result).toList();
        List<String> alerts =
                new ArrayList<>(oracle.run(events).alerts().stream().map(out::alert).toList());
        List<String> prefixAlerts =
                oracle.run(events.subList(0, 1)).alerts().stream().map(out::alert).toList();
        assertThat(alerts)
                .extracting(a -> JsonLines.parse(a).path("type").asText())
                .containsExactly("AT_RISK");
        String missed =
                prefixAlerts.stream()
                        .filter(a -> a.contains("DEADLINE_MISSED"))
                        .findFirst()
                        .orElseThrow();
        // The clock runs to the latest output: the rolled-back attempt's DEADLINE_MISSED at +90 s
        // and the committed settlement at +80 s.
        List<String> withRolledBack = new ArrayList<>(alerts);
        withRolledBack.add(missed);
        OracleCheck.Actual a = actual(results, withRolledBack);
        OracleCheck.Report ok = OracleCheck.compare(OracleCheck.expected(input, live, a, true), a);
        assertThat(ok.ok()).as(String.join("\n", ok.lines())).isTrue();
        assertThat(ok.alerts().rolledBack()).isEqualTo(1);

        // Only the prefix's AT_RISK ("1 of 1 unconfirmed" alike here) is fine; but an expected
        // alert
        // whose only copy is another outcome's content is missing.
        OracleCheck.Actual onlyOther = actual(results, List.of(missed));
        OracleCheck.Report lost =
                OracleCheck.compare(OracleCheck.expected(input, live, onlyOther, true), onlyOther);
        assertThat(lost.alerts().missing()).hasSize(1);
        assertThat(lost.ok()).isFalse();
    }

    @Test
    void everyCombinationOfLateWatermarksIsTriedUpToTheCap() {
        java.util.Map<String, java.util.TreeSet<Long>> two = new java.util.TreeMap<>();
        two.put("a", new java.util.TreeSet<>(List.of(1L, 2L)));
        two.put("b", new java.util.TreeSet<>(List.of(3L)));
        List<java.util.Map<String, Long>> c = OracleCheck.candidates("S", two);
        assertThat(c).hasSize(3 * 2).doesNotHaveDuplicates();
        assertThat(c.get(0)).isEmpty();
        assertThat(c.get(c.size() - 1)).hasSize(2).containsValues(1L, 3L);

        java.util.Map<String, java.util.TreeSet<Long>> seven = new java.util.TreeMap<>();
        for (int i = 0; i < 7; i++) {
            seven.put("e" + i, new java.util.TreeSet<>(List.of((long) i, 100L + i)));
        }
        List<java.util.Map<String, Long>> capped = OracleCheck.candidates("S", seven);
        assertThat(capped)
                .hasSizeLessThanOrEqualTo(OracleCheck.MAX_CANDIDATES)
                .doesNotHaveDuplicates();
        assertThat(capped.get(0)).isEmpty();
        assertThat(capped.get(capped.size() - 1)).hasSize(7);
        assertThat(capped).anyMatch(m -> m.size() == 1);
    }

    /** Each event as one record of partition 0, in order. */
    private static List<OracleCheck.EventRecord> onePartition(List<SettlementEvent> events) {
        EventCodec codec = new EventCodec();
        List<OracleCheck.EventRecord> records = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            records.add(
                    new OracleCheck.EventRecord(
                            TOPIC,
                            0,
                            i,
                            codec.encode(events.get(i)).getBytes(StandardCharsets.UTF_8)));
        }
        return records;
    }

    private static OracleCheck.Actual actual(List<String> results, List<String> alerts) {
        return new OracleCheck.Actual(
                new ArrayList<>(results), new ArrayList<>(alerts), new ArrayList<>(), null);
    }
}
