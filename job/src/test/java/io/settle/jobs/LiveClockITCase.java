package io.settle.jobs;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;

import io.settle.operators.codec.OutputCodec;
import io.settle.operators.core.ReplayOracle;
import io.settle.operators.core.SettlementConfig;
import io.settle.operators.model.Leg;
import io.settle.operators.model.SettlementEvent;
import io.settle.testkit.BrokerExtension;
import io.settle.testkit.Flink;
import io.settle.testkit.JsonLines;
import io.settle.testkit.Kafka;
import io.settle.testkit.TopicReader;
import io.settle.testkit.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The live SLA clock runs on the wall clock: a booking with a deadline seconds ahead, then no event
 * at all, and {@code AT_RISK} then {@code DEADLINE_MISSED} still reach the alerts topic, each at
 * its instant plus the allowed out-of-orderness. A settlement settled in time raises neither.
 */
class LiveClockITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster();

    private static final Duration AT_RISK_LEAD = Duration.ofSeconds(3);
    private static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(2);

    @RegisterExtension static final BrokerExtension BROKER = new BrokerExtension();

    @Test
    void atRiskAndDeadlineMissedFireByTheWallClockWhileNothingFlows(
            @InjectMiniCluster MiniCluster cluster, @TempDir Path checkpoints) throws Exception {
        Topics topics = Topics.named("clock").create(BROKER.kafka(), 2);
        SettleOptions.Parsed options =
                Its.liveOptions(
                        BROKER.kafka(),
                        topics,
                        "settle-clock",
                        "--sla.at-risk-lead",
                        AT_RISK_LEAD.toMillis() + "ms",
                        "--watermark.max-out-of-orderness",
                        OUT_OF_ORDERNESS.toMillis() + "ms");
        StreamExecutionEnvironment env = Flink.env(checkpoints, null);
        SettlementJob.prepare(env, options);
        JobClient job = env.executeAsync("settle live clock ITCase");
        Flink.awaitAllTasksRunning(cluster, job.getJobID());

        Instant now = Instant.now();
        Instant deadline = now.plusSeconds(8);
        Leg usd = new Leg("USD", "BANK_A", "BANK_B", "USD", new BigDecimal("250.00"));
        List<SettlementEvent> events =
                List.of(
                        // Left open: it goes at risk, then misses its deadline.
                        SettlementEvent.booked("b-late", "LATE-1", now, deadline, List.of(usd)),
                        // Settled at once: no SLA alert.
                        SettlementEvent.booked("b-ok", "OK-1", now, deadline, List.of(usd)),
                        SettlementEvent.confirmed(
                                "c-ok", "OK-1", now.plusMillis(50), "USD", "USD", usd.getAmount()));
        SettlementConfig config =
                SettlementConfig.builder()
                        .atRiskLead(AT_RISK_LEAD)
                        .maxOutOfOrderness(OUT_OF_ORDERNESS)
                        .replay(deadline)
                        .build();
        ReplayOracle.Outcome expected = new ReplayOracle(config).run(events);
        OutputCodec codec = new OutputCodec();
        List<String> wantedAlerts = JsonLines.of(expected.alerts(), codec::alert);
        assertThat(expected.alerts())
                .extracting(a -> a.getAlertId())
                .containsExactlyInAnyOrder("LATE-1:AT_RISK", "LATE-1:DEADLINE_MISSED");

        try (KafkaProducer<byte[], byte[]> producer = Kafka.producer(BROKER.bootstrap());
                TopicReader alerts = new TopicReader(BROKER.kafka(), topics.alerts());
                TopicReader results = new TopicReader(BROKER.kafka(), topics.results())) {
            Kafka.send(producer, topics.events(), 2, events, new Random(1L), 0);
            // Nothing is sent from here on: only the wall clock moves.

            Map<String, Long> firstSeen = new HashMap<>();
            alerts.awaitUntil(
                    Duration.ofSeconds(40),
                    "AT_RISK and DEADLINE_MISSED of LATE-1",
                    records -> {
                        long at = System.currentTimeMillis();
                        records.forEach(
                                r ->
                                        firstSeen.putIfAbsent(
                                                JsonLines.parse(
                                                                new String(
                                                                        r.value(),
                                                                        StandardCharsets.UTF_8))
                                                        .path("alertId")
                                                        .asText(),
                                                at));
                        return firstSeen.containsKey("LATE-1:DEADLINE_MISSED");
                    });
            assertThat(firstSeen).containsKey("LATE-1:AT_RISK");
            assertThat(firstSeen.get("LATE-1:AT_RISK"))
                    .as("AT_RISK is seen before DEADLINE_MISSED")
                    .isLessThan(firstSeen.get("LATE-1:DEADLINE_MISSED"));
            assertThat(firstSeen.get("LATE-1:DEADLINE_MISSED"))
                    .as("DEADLINE_MISSED fires no earlier than the deadline plus the allowance")
                    .isGreaterThanOrEqualTo(deadline.plus(OUT_OF_ORDERNESS).toEpochMilli());
            assertThat(JsonLines.sorted(alerts.pollFor(Duration.ofSeconds(1))))
                    .isEqualTo(wantedAlerts);

            List<String> wantedResults = JsonLines.of(expected.results(), codec::result);
            assertThat(wantedResults).hasSize(1);
            results.awaitCount(1, Duration.ofSeconds(10));
            assertThat(JsonLines.sorted(results.pollFor(Duration.ofSeconds(1))))
                    .isEqualTo(wantedResults);
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }
}
