package io.settle.report;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import io.settle.generator.GenerateCommand;
import io.settle.generator.GeneratorOptions;
import io.settle.jobs.Decoded;
import io.settle.jobs.EventLinesFormat;
import io.settle.jobs.SettleOptions;
import io.settle.jobs.SettlementJob;
import io.settle.operators.core.ReplayOracle;
import io.settle.operators.core.SettlementConfig;
import io.settle.operators.model.AlertType;
import io.settle.operators.model.DeadLetter;
import io.settle.operators.model.SettlementEvent;
import io.settle.operators.model.SettlementResult;
import io.settle.operators.model.SettlementStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A generated business day, end to end: the generator writes it, the job replays it on a
 * MiniCluster ({@code SettlementJob.prepare}, as {@code ./settle replay} runs it), the report reads
 * the replay's output; its headline figures equal what the {@link ReplayOracle} computes over the
 * same input, and the page renders in a browser (a screenshot is left in target/).
 */
class ReportEndToEndITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    static final LocalDate DAY = LocalDate.parse("2026-11-25");

    @Test
    void aGeneratedDaysReportAgreesWithTheOracle(@TempDir Path dir) throws Exception {
        Path input = dir.resolve("day.jsonl");
        Path output = dir.resolve("out");
        GenerateCommand.write(input, 30_000, GeneratorOptions.defaults(7L), DAY);

        Configuration conf = new Configuration();
        conf.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                dir.resolve("checkpoints").toUri().toString());
        StreamExecutionEnvironment replay =
                StreamExecutionEnvironment.getExecutionEnvironment(conf);
        SettleOptions.Parsed options =
                SettleOptions.parse(
                        new String[] {
                            "--mode",
                            "replay",
                            "--input",
                            input.toString(),
                            "--output",
                            output.toString(),
                            "--parallelism",
                            "2"
                        },
                        Map.of());
        SettlementJob.execute(replay, options);

        Path reportDir = dir.resolve("report");
        JsonNode json =
                ReportITCase.report(
                        reportDir, "--replay", output.toString(), "--explained-reasons", "none");

        // The oracle over the same input: valid events as the job decodes them, in file order.
        List<SettlementEvent> events = new ArrayList<>();
        Map<String, Long> deadLetters = new TreeMap<>();
        try (InputStream in = Files.newInputStream(input);
                EventLinesFormat.LineReader lines =
                        new EventLinesFormat.LineReader(in, input.toString())) {
            Decoded d;
            while ((d = lines.read()) != null) {
                if (d.getEvent() != null) {
                    events.add(d.getEvent());
                } else {
                    deadLetters.merge(d.getDeadLetter().getReason().name(), 1L, Long::sum);
                }
            }
        }
        ReplayOracle.Outcome oracle =
                new ReplayOracle(
                                SettlementConfig.builder()
                                        .replay(ReplayOracle.greatestEventTime(events))
                                        .build())
                        .run(events);
        for (DeadLetter d : oracle.deadLetters()) {
            deadLetters.merge(d.getReason().name(), 1L, Long::sum);
        }

        List<SettlementResult> results = oracle.results();
        long settledOnTime = count(results, r -> settled(r) && !r.isBreached());
        long missed =
                oracle.alerts().stream()
                        .filter(a -> a.getType() == AlertType.DEADLINE_MISSED)
                        .count();
        assertThat(settledOnTime).as("a day with something to report").isGreaterThan(1000);
        assertThat(missed).isPositive();

        JsonNode totals = json.get("totals");
        assertThat(totals.get("results").asLong()).isEqualTo(results.size());
        assertThat(totals.get("settled").asLong())
                .isEqualTo(count(results, ReportEndToEndITCase::settled));
        assertThat(totals.get("settledOnTime").asLong()).isEqualTo(settledOnTime);
        assertThat(totals.get("cancelled").asLong())
                .isEqualTo(count(results, r -> r.getStatus() == SettlementStatus.CANCELLED));
        assertThat(totals.get("expired").asLong())
                .isEqualTo(count(results, r -> r.getStatus() == SettlementStatus.EXPIRED));
        assertThat(totals.get("breached").asLong())
                .isEqualTo(count(results, SettlementResult::isBreached));
        assertThat(totals.get("alerts").asLong()).isEqualTo(oracle.alerts().size());
        assertThat(totals.get("deadlineMissed").asLong()).isEqualTo(missed);
        assertThat(totals.get("duplicateRecords").asLong()).isZero();
        assertThat(totals.get("unreadableRecords").asLong()).isZero();
        long openBooked =
                oracle.openBook().stream()
                        .filter(o -> o.getStatus() == SettlementStatus.OPEN)
                        .count();
        assertThat(totals.get("booked").asLong()).isEqualTo(results.size() + openBooked);
        assertThat(totals.get("openAtEnd").asLong()).isEqualTo(oracle.openBook().size());
        assertThat(json.at("/openAtEnd/byState/AWAITING_BOOKING").asLong())
                .isEqualTo(oracle.openBook().size() - openBooked);

        for (AlertType type : AlertType.values()) {
            long n = oracle.alerts().stream().filter(a -> a.getType() == type).count();
            assertThat(alertCount(json, type.name())).as("alerts of type %s", type).isEqualTo(n);
        }

        // On time: settled before the deadline, of those settled on time or missing it.
        JsonNode share = json.at("/slas/0");
        BigDecimal actual =
                BigDecimal.valueOf(settledOnTime * 100)
                        .divide(BigDecimal.valueOf(settledOnTime + missed), 3, RoundingMode.FLOOR);
        assertThat(share.get("actual").decimalValue()).isEqualByComparingTo(actual);
        assertThat(share.get("verdict").asText())
                .isEqualTo(actual.compareTo(new BigDecimal("99.5")) >= 0 ? "MET" : "MISSED");

        // Latency: nearest-rank percentiles of booked to settled.
        List<Long> latencies =
                results.stream()
                        .filter(ReportEndToEndITCase::settled)
                        .map(r -> Duration.between(r.getBookedAt(), r.getEndedAt()).toMillis())
                        .sorted()
                        .toList();
        assertThat(json.at("/latency/count").asLong()).isEqualTo(latencies.size());
        assertThat(json.at("/latency/p50Ms").asLong())
                .isEqualTo(ReportFixture.percentile(latencies, 50));
        assertThat(json.at("/latency/p99Ms").asLong())
                .isEqualTo(ReportFixture.percentile(latencies, 99));
        assertThat(json.at("/latency/maxMs").asLong())
                .isEqualTo(latencies.get(latencies.size() - 1));
        assertThat(json.at("/slas/1/verdict").asText())
                .isEqualTo(ReportFixture.percentile(latencies, 99) <= 7_200_000 ? "MET" : "MISSED");

        // Dead letters: the malformed lines and the conflicting copies, none explained.
        long deadTotal = deadLetters.values().stream().mapToLong(Long::longValue).sum();
        assertThat(deadTotal).isPositive();
        assertThat(json.at("/deadLetters/total").asLong()).isEqualTo(deadTotal);
        for (JsonNode r : json.at("/deadLetters/byReason")) {
            assertThat(r.get("count").asLong())
                    .as("dead letters %s", r.get("reason").asText())
                    .isEqualTo(deadLetters.getOrDefault(r.get("reason").asText(), 0L));
        }
        assertThat(json.at("/slas/2/actual").asLong()).isEqualTo(deadTotal);

        // The day has its shape: the hours of 07:00 to 17:00, the open busier than midday.
        JsonNode hours = json.get("hours");
        assertThat(hours.get(0).get("hour").asText()).isEqualTo("2026-11-25T07:00:00Z");
        assertThat(hours.get(hours.size() - 1).get("hour").asText())
                .isEqualTo("2026-11-25T17:00:00Z");
        assertThat(hours.get(0).get("booked").asLong())
                .isGreaterThan(2 * hours.get(5).get("booked").asLong());
        long bookedByHour = 0;
        for (JsonNode h : hours) {
            bookedByHour += h.get("booked").asLong();
        }
        assertThat(bookedByHour).isEqualTo(totals.get("booked").asLong());

        // Per party: every settlement that ended counts for each of its parties.
        Map<String, Long> byParty = new TreeMap<>();
        for (SettlementResult r : results) {
            r.getParties().forEach(p -> byParty.merge(p, 1L, Long::sum));
        }
        Map<String, Long> reported = new TreeMap<>();
        json.at("/alerts/byParty")
                .forEach(
                        p -> {
                            if (p.get("settlements").asLong() > 0) {
                                reported.put(p.get("name").asText(), p.get("settlements").asLong());
                            }
                        });
        assertThat(reported).isEqualTo(byParty);

        ReportITCase.checkInBrowser(reportDir.resolve(ReportJob.REPORT_HTML), dir, "generated-day");
    }

    private static boolean settled(SettlementResult r) {
        return r.getStatus() == SettlementStatus.SETTLED;
    }

    private static long count(
            List<SettlementResult> results, java.util.function.Predicate<SettlementResult> p) {
        return results.stream().filter(p).count();
    }

    private static long alertCount(JsonNode json, String type) {
        for (JsonNode t : json.at("/alerts/byType")) {
            if (t.get("type").asText().equals(type)) {
                return t.get("count").asLong();
            }
        }
        throw new AssertionError("no alert type " + type + " in the report");
    }
}
