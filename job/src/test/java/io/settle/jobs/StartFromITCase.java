package io.settle.jobs;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;

import io.settle.operators.codec.EventCodec;
import io.settle.operators.model.Leg;
import io.settle.operators.model.SettlementEvent;
import io.settle.testkit.Await;
import io.settle.testkit.BrokerExtension;
import io.settle.testkit.Flink;
import io.settle.testkit.Kafka;
import io.settle.testkit.TopicReader;
import io.settle.testkit.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A live start without state: refused without {@code --start-from} (the job fails at once, never
 * restarting, naming the option), and with {@code --start-from latest} it reads only what comes
 * after it.
 */
class StartFromITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster();

    @RegisterExtension static final BrokerExtension BROKER = new BrokerExtension();

    @Test
    void aStartWithoutStateOrStartFromIsRefusedAtOnceWithoutRestarts(
            @InjectMiniCluster MiniCluster cluster, @TempDir Path checkpoints) throws Exception {
        Topics topics = Topics.named("refused").create(BROKER.kafka(), 2);
        List<String> args = Its.liveArgs(BROKER.kafka(), topics, "settle-refused");
        int at = args.indexOf("--start-from");
        args.subList(at, at + 2).clear();
        SettleOptions.Parsed options =
                SettleOptions.parse(args.toArray(String[]::new), java.util.Map.of());
        options.validate(); // a valid command line: only the missing state makes it refuse
        StreamExecutionEnvironment env = Flink.env(checkpoints, null);
        SettlementJob.prepare(env, options);
        JobClient job = env.executeAsync("settle refused ITCase");
        JobID jobId = job.getJobID();

        Await.until(
                Duration.ofSeconds(30),
                () -> "the job to fail",
                () -> job.getJobStatus().get() == JobStatus.FAILED);
        AccessExecutionGraph graph = cluster.getArchivedExecutionGraph(jobId).get();
        assertThat(graph.getStatusTimestamp(JobStatus.RESTARTING))
                .as("the job never restarted onto the same refusal")
                .isZero();
        Throwable failure =
                graph.getFailureInfo().getException().deserializeError(getClass().getClassLoader());
        assertThat(ExceptionUtils.stringifyException(failure))
                .contains("--start-from")
                .contains("no checkpoint or savepoint to restore");
    }

    @Test
    void startFromLatestSettlesOnlyWhatArrivesAfterTheStart(
            @InjectMiniCluster MiniCluster cluster, @TempDir Path checkpoints) throws Exception {
        Topics topics = Topics.named("latest").create(BROKER.kafka(), 2);
        List<String> args = Its.liveArgs(BROKER.kafka(), topics, "settle-latest");
        args.set(args.indexOf("--start-from") + 1, "latest");
        SettleOptions.Parsed options =
                SettleOptions.parse(args.toArray(String[]::new), java.util.Map.of());
        EventCodec codec = new EventCodec();
        Instant now = Instant.now();
        try (KafkaProducer<byte[], byte[]> producer = Kafka.producer(BROKER.bootstrap())) {
            for (SettlementEvent e : settled("BEFORE-1", now)) {
                send(producer, topics.events(), codec, e);
            }
            producer.flush();
            StreamExecutionEnvironment env = Flink.env(checkpoints, null);
            SettlementJob.prepare(env, options);
            JobClient job = env.executeAsync("settle latest ITCase");
            try (TopicReader results = new TopicReader(BROKER.kafka(), topics.results())) {
                Flink.awaitAllTasksRunning(cluster, job.getJobID());
                Await.until(
                        Duration.ofSeconds(30),
                        () -> "a first checkpoint (the source has its offsets)",
                        () -> Flink.completedCheckpoints(cluster, job.getJobID()) >= 1);
                for (SettlementEvent e : settled("AFTER-1", now.plusSeconds(1))) {
                    send(producer, topics.events(), codec, e);
                }
                producer.flush();
                results.awaitCount(1, Duration.ofSeconds(30));
                assertThat(results.pollFor(Duration.ofSeconds(3)))
                        .singleElement()
                        .satisfies(r -> assertThat(r).contains("\"settlementId\":\"AFTER-1\""));
            } finally {
                job.cancel().get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static List<SettlementEvent> settled(String id, Instant t) {
        Leg leg = new Leg("USD", "BANK_A", "BANK_B", "USD", new BigDecimal("10.00"));
        return List.of(
                SettlementEvent.booked("b-" + id, id, t, t.plus(Duration.ofDays(1)), List.of(leg)),
                SettlementEvent.confirmed(
                        "c-" + id, id, t.plusMillis(1), "USD", "USD", new BigDecimal("10.00")));
    }

    private static void send(
            KafkaProducer<byte[], byte[]> producer,
            String topic,
            EventCodec codec,
            SettlementEvent e)
            throws Exception {
        producer.send(
                        new ProducerRecord<>(
                                topic,
                                e.getSettlementId().getBytes(StandardCharsets.UTF_8),
                                codec.encode(e).getBytes(StandardCharsets.UTF_8)))
                .get(30, TimeUnit.SECONDS);
    }
}
