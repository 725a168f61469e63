package io.settle.jobs;

import org.apache.flink.api.common.JobID;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;

import io.settle.operators.codec.EventCodec;
import io.settle.operators.model.Leg;
import io.settle.operators.model.SettlementEvent;
import io.settle.testkit.BrokerExtension;
import io.settle.testkit.Flink;
import io.settle.testkit.Kafka;
import io.settle.testkit.LiveBook;
import io.settle.testkit.TopicReader;
import io.settle.testkit.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionListing;
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
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A short checkpoint interval does not mint transactional ids: over hundreds of checkpoints, each
 * with records in every exactly-once sink (results, alerts, dead letters), the broker knows only a
 * handful of transactional ids per sink subtask. With one id per checkpoint (Flink's INCREMENTING
 * naming) it would know hundreds, each kept by the transaction coordinator for a week
 * (transactional.id.expiration.ms).
 */
class TransactionalIdsITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster();
    @RegisterExtension static final BrokerExtension BROKER = new BrokerExtension();

    private static final int CHECKPOINTS = 200;
    private static final String PREFIX = "settle-txids";
    private static final List<String> SINKS = List.of("results", "alerts", "dead-letters");

    /** Transactions a sink subtask may have open at once: one being written, one committing. */
    private static final int IDS_PER_SUBTASK = 4;

    @Test
    void hundredsOfCheckpointsUseAFewTransactionalIdsPerSinkSubtask(
            @InjectMiniCluster MiniCluster cluster, @TempDir Path checkpoints) throws Exception {
        Topics topics = Topics.named("txids").create(BROKER.kafka(), 2);
        List<String> args = Its.liveArgs(BROKER.kafka(), topics, PREFIX);
        args.set(args.indexOf("--checkpoint.interval") + 1, "100ms");
        args.addAll(List.of("--alerts.delivery", "EXACTLY_ONCE"));
        SettleOptions.Parsed options = SettleOptions.parse(args.toArray(new String[0]), Map.of());
        options.validate();
        JobClient job =
                Its.start(cluster, options, checkpoints, null, "settle transactional-ids ITCase");
        JobID jobId = job.getJobID();

        // Records for every sink until the job has completed CHECKPOINTS checkpoints: settlements
        // that end (results), bookings already past their deadline (alerts), garbage (dead
        // letters), a few a second each.
        EventCodec codec = new EventCodec();
        LiveBook book = new LiveBook(7L, 20_000, "TX");
        List<SettlementEvent> events = book.half(1, Instant.now());
        long sent = 0;
        try (KafkaProducer<byte[], byte[]> producer = Kafka.producer(BROKER.bootstrap());
                TopicReader results = new TopicReader(BROKER.kafka(), topics.results());
                TopicReader alerts = new TopicReader(BROKER.kafka(), topics.alerts());
                TopicReader deadLetters = new TopicReader(BROKER.kafka(), topics.deadLetters())) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(50);
            while (Flink.completedCheckpoints(cluster, jobId) < CHECKPOINTS) {
                assertThat(System.nanoTime())
                        .as("%d checkpoints within 50 s", CHECKPOINTS)
                        .isLessThan(deadline);
                for (int i = 0; i < 20 && sent < events.size(); i++) {
                    SettlementEvent e = events.get((int) sent++);
                    producer.send(record(topics.events(), e.getSettlementId(), codec.encode(e)));
                }
                producer.send(record(topics.events(), "late-" + sent, lateBooking(codec, sent)));
                producer.send(record(topics.events(), "junk", "{\"not\": \"an event\"" + sent));
                producer.flush();
                Thread.sleep(20);
            }
            long completed = Flink.completedCheckpoints(cluster, jobId);

            results.awaitCount(1, Duration.ofSeconds(10));
            alerts.awaitCount(1, Duration.ofSeconds(10));
            deadLetters.awaitCount(1, Duration.ofSeconds(10));

            Map<String, Set<String>> idsBySink = transactionalIds();
            for (String sink : SINKS) {
                Set<String> ids = idsBySink.getOrDefault(sink, Set.of());
                assertThat(ids)
                        .as(
                                "transactional ids of the %s sink after %d checkpoints: %s",
                                sink, completed, ids)
                        .isNotEmpty()
                        .hasSizeLessThanOrEqualTo(IDS_PER_SUBTASK * Its.PARALLELISM);
            }
        } finally {
            Flink.cancelAndAwait(cluster, jobId); // no checkpoint file written after the test
        }
    }

    /** A booking whose deadline passed long ago: an alert as soon as the watermark passes it. */
    private static String lateBooking(EventCodec codec, long n) {
        Instant t = Instant.now();
        return codec.encode(
                SettlementEvent.booked(
                        "late-" + n,
                        "late-" + n,
                        t,
                        t.plusMillis(1),
                        List.of(new Leg("L0", "BANK_A", "BANK_B", "USD", new BigDecimal("1.00")))));
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String key, String value) {
        return new ProducerRecord<>(
                topic,
                key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8));
    }

    /** The broker's transactional ids of this job, by sink (the part after the job's prefix). */
    private static Map<String, Set<String>> transactionalIds() throws Exception {
        try (Admin admin = Kafka.admin(BROKER.bootstrap())) {
            return admin.listTransactions().all().get(30, TimeUnit.SECONDS).stream()
                    .map(TransactionListing::transactionalId)
                    .filter(id -> id.startsWith(PREFIX + "-"))
                    .collect(
                            Collectors.groupingBy(
                                    TransactionalIdsITCase::sinkOf,
                                    Collectors.toCollection(TreeSet::new)));
        }
    }

    private static String sinkOf(String transactionalId) {
        String rest = transactionalId.substring(PREFIX.length() + 1);
        return SINKS.stream().filter(rest::startsWith).findFirst().orElse(rest);
    }
}
