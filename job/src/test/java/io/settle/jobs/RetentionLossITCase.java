package io.settle.jobs;

import org.apache.flink.api.common.JobID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectClusterRESTAddress;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;

import io.settle.operators.codec.EventCodec;
import io.settle.operators.model.Leg;
import io.settle.operators.model.SettlementEvent;
import io.settle.testkit.Await;
import io.settle.testkit.BrokerExtension;
import io.settle.testkit.Flink;
import io.settle.testkit.Kafka;
import io.settle.testkit.TopicReader;
import io.settle.testkit.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Records deleted from the events topic (retention while the job was down) before the job read
 * them: the restored job reads on from the earliest retained offset, as Kafka's consumer does, but
 * not in silence: it counts them in {@code offsetsLost}, which alerts.
 */
class RetentionLossITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster();

    @RegisterExtension static final BrokerExtension BROKER = new BrokerExtension();

    private static final EventCodec CODEC = new EventCodec();

    @Test
    void recordsDeletedWhileTheJobWasDownAreCountedAsLost(
            @InjectMiniCluster MiniCluster cluster,
            @InjectClusterRESTAddress URI rest,
            @TempDir Path checkpoints)
            throws Exception {
        Topics topics = Topics.named("lost").create(BROKER.kafka(), 1);
        SettleOptions.Parsed options = Its.liveOptions(BROKER.kafka(), topics, "settle-lost");
        Instant now = Instant.now();
        try (KafkaProducer<byte[], byte[]> producer = Kafka.producer(BROKER.bootstrap());
                TopicReader results = new TopicReader(BROKER.kafka(), topics.results())) {
            // The first job settles S-1 and checkpoints, then goes away.
            JobClient first =
                    Its.start(cluster, options, checkpoints, null, "settle lost ITCase: before");
            settle(producer, topics, "S-1", now);
            results.awaitCount(1, Duration.ofSeconds(30));
            long done = Flink.completedCheckpoints(cluster, first.getJobID());
            Await.until(
                    Duration.ofSeconds(30),
                    () -> "a checkpoint after S-1 settled",
                    () -> Flink.completedCheckpoints(cluster, first.getJobID()) >= done + 2);
            Flink.cancelAndAwait(cluster, first.getJobID());
            Path checkpoint =
                    Flink.latestCheckpoint(checkpoints.resolve(first.getJobID().toString()));

            // While it is down, ten records arrive and retention deletes them.
            long end = 0;
            for (int i = 0; i < 10; i++) {
                end = send(producer, topics, "G-" + i, now.plusSeconds(1), "b-G-" + i).offset() + 1;
            }
            TopicPartition tp = new TopicPartition(topics.events(), 0);
            try (Admin admin = Kafka.admin(BROKER.bootstrap())) {
                admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(end)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
            settle(producer, topics, "S-2", now.plusSeconds(2));

            // Restored, it settles S-2 and says that ten records were lost.
            JobClient second =
                    Its.start(
                            cluster,
                            options,
                            checkpoints,
                            checkpoint.toString(),
                            "settle lost ITCase: after");
            JobID job = second.getJobID();
            try {
                results.awaitCount(2, Duration.ofSeconds(30));
                assertThat(results.pollFor(Duration.ofSeconds(1)))
                        .as("S-1 once (before), S-2 once (after): exactly once across the restore")
                        .hasSize(2)
                        .anySatisfy(r -> assertThat(r).contains("\"settlementId\":\"S-2\""));
                Await.until(
                        Duration.ofSeconds(30),
                        () -> "offsetsLost to report 10",
                        () -> Flink.operatorMetric(rest, job, OffsetWatch.METRIC) == 10);
            } finally {
                Flink.cancelAndAwait(cluster, job);
            }
        }
    }

    private static void settle(
            KafkaProducer<byte[], byte[]> producer, Topics topics, String id, Instant t)
            throws Exception {
        send(producer, topics, id, t, "b-" + id);
        SettlementEvent confirm =
                SettlementEvent.confirmed(
                        "c-" + id, id, t.plusMillis(1), "USD", "USD", new BigDecimal("10.00"));
        producer.send(record(topics, confirm)).get(30, TimeUnit.SECONDS);
    }

    private static RecordMetadata send(
            KafkaProducer<byte[], byte[]> producer,
            Topics topics,
            String id,
            Instant t,
            String eventId)
            throws Exception {
        Leg leg = new Leg("USD", "BANK_A", "BANK_B", "USD", new BigDecimal("10.00"));
        SettlementEvent booking =
                SettlementEvent.booked(eventId, id, t, t.plus(Duration.ofDays(1)), List.of(leg));
        return producer.send(record(topics, booking)).get(30, TimeUnit.SECONDS);
    }

    private static ProducerRecord<byte[], byte[]> record(Topics topics, SettlementEvent e) {
        return new ProducerRecord<>(
                topics.events(),
                0,
                e.getSettlementId().getBytes(StandardCharsets.UTF_8),
                CODEC.encode(e).getBytes(StandardCharsets.UTF_8));
    }
}
