package io.settle.jobs;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.executiongraph.AccessExecutionGraph;
import org.apache.flink.runtime.executiongraph.AccessExecutionVertex;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.function.SupplierWithException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.settle.jobs.local.EmbeddedKafka;
import io.settle.operators.codec.EventCodec;
import io.settle.operators.core.ReplayOracle;
import io.settle.operators.core.SettlementConfig;
import io.settle.operators.model.SettlementEvent;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What the integration tests share: the MiniCluster's shape, the job's environment and options, a
 * producer and a {@code read_committed} reader on a real broker, and bounded waits that fail
 * loudly.
 */
final class Its {
    private Its() {}

    static final int SLOTS = 4;
    static final int PARALLELISM = 2;

    static final ObjectMapper JSON = new ObjectMapper();

    /** One TaskManager with four slots; job metrics fresh enough to poll through REST. */
    /** The pure core's outcome over {@code events}, its clock ending at their greatest time. */
    static ReplayOracle.Outcome oracle(List<SettlementEvent> events) {
        Instant until = ReplayOracle.greatestEventTime(events);
        return new ReplayOracle(SettlementConfig.builder().replay(until).build()).run(events);
    }

    /**
     * Waits for {@code wanted.size()} committed results, keeps reading for {@code settle} so a late
     * duplicate would show, then asserts each wanted result arrived exactly once and nothing else.
     */
    static void assertResultsExactlyOnce(
            TopicReader results, List<String> wanted, Duration await, Duration settle)
            throws Exception {
        results.awaitCount(wanted.size(), await);
        List<String> actual = results.pollFor(settle);
        org.assertj.core.api.Assertions.assertThat(duplicates(actual, "resultId"))
                .as("results written twice")
                .isEmpty();
        org.assertj.core.api.Assertions.assertThat(sorted(actual)).isEqualTo(wanted);
    }

    /** A real KRaft broker in process, one per test class. */
    static final class Broker
            implements org.junit.jupiter.api.extension.BeforeAllCallback,
                    org.junit.jupiter.api.extension.AfterAllCallback {
        private EmbeddedKafka kafka;

        @Override
        public void beforeAll(org.junit.jupiter.api.extension.ExtensionContext context)
                throws Exception {
            kafka = EmbeddedKafka.start();
        }

        @Override
        public void afterAll(org.junit.jupiter.api.extension.ExtensionContext context)
                throws Exception {
            if (kafka != null) {
                kafka.close();
            }
        }

        EmbeddedKafka kafka() {
            return kafka;
        }
    }

    static MiniClusterExtension miniCluster() {
        Configuration conf = new Configuration();
        conf.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, Duration.ofMillis(200));
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setNumberTaskManagers(1)
                        .setNumberSlotsPerTaskManager(SLOTS)
                        .setConfiguration(conf)
                        .build());
    }

    /**
     * The job's environment: checkpoints under {@code checkpoints} (a folder in target/), a
     * fixed-delay restart strategy, restored from {@code restoreFrom} when it is not null.
     */
    static StreamExecutionEnvironment env(Path checkpoints, String restoreFrom) {
        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 10);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
        if (restoreFrom != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom);
        }
        return StreamExecutionEnvironment.getExecutionEnvironment(conf);
    }

    /** The four topics of one live job. */
    record Topics(String events, String results, String alerts, String deadLetters) {
        static Topics named(String prefix) {
            return new Topics(
                    prefix + ".events",
                    prefix + ".results",
                    prefix + ".alerts",
                    prefix + ".dead-letters");
        }

        /** Creates them: {@code eventPartitions} for the events, two for each output. */
        Topics create(EmbeddedKafka kafka, int eventPartitions) throws Exception {
            kafka.createTopics(eventPartitions, events);
            kafka.createTopics(2, results, alerts, deadLetters);
            return this;
        }
    }

    /** The command line of a live job on {@code topics}, checkpointing every second. */
    static SettleOptions.Parsed liveOptions(
            EmbeddedKafka kafka, Topics topics, String name, String... more) {
        List<String> args = liveArgs(kafka, topics, name);
        args.addAll(List.of(more));
        return SettleOptions.parse(args.toArray(new String[0]), Map.of());
    }

    /** The arguments {@link #liveOptions} parses. */
    static List<String> liveArgs(EmbeddedKafka kafka, Topics topics, String name) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--kafka.bootstrap-servers",
                                kafka.bootstrapServers(),
                                "--topic.events",
                                topics.events(),
                                "--topic.results",
                                topics.results(),
                                "--topic.alerts",
                                topics.alerts(),
                                "--topic.dead-letters",
                                topics.deadLetters(),
                                "--kafka.group-id",
                                name,
                                "--kafka.transactional-id-prefix",
                                name,
                                "--checkpoint.interval",
                                "1s",
                                "--parallelism",
                                Integer.toString(PARALLELISM)));
        return args;
    }

    // ---------------------------------------------------------------------------------------
    // Waiting, boundedly.

    /** Waits for {@code condition}; fails naming {@code what} (and its state) at the deadline. */
    static void await(
            Duration timeout, Supplier<String> what, SupplierWithException<Boolean, Exception> cond)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!cond.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "Timed out after " + timeout + " waiting for " + what.get());
            }
            Thread.sleep(100);
        }
    }

    static boolean allTasksRunning(MiniCluster cluster, JobID job) throws Exception {
        AccessExecutionGraph graph = cluster.getExecutionGraph(job).get();
        if (graph.getState() != JobStatus.RUNNING) {
            return false;
        }
        for (AccessExecutionVertex v : graph.getAllExecutionVertices()) {
            if (v.getExecutionState() != ExecutionState.RUNNING) {
                return false;
            }
        }
        return true;
    }

    static void awaitAllTasksRunning(MiniCluster cluster, JobID job) throws Exception {
        await(
                Duration.ofSeconds(30),
                () -> "every task of job " + job + " to run",
                () -> allTasksRunning(cluster, job));
    }

    static long completedCheckpoints(MiniCluster cluster, JobID job) throws Exception {
        return cluster.getExecutionGraph(job)
                .get()
                .getCheckpointStatsSnapshot()
                .getCounts()
                .getNumberOfCompletedCheckpoints();
    }

    /** The job's {@code numRestarts} metric through the REST API; -1 while it is not reported. */
    static long numRestarts(URI rest, JobID job) throws IOException, InterruptedException {
        HttpResponse<String> response =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                rest.resolve(
                                                        "/jobs/"
                                                                + job
                                                                + "/metrics?get=numRestarts"))
                                        .GET()
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError(
                    "REST " + response.uri() + " answered " + response.statusCode());
        }
        for (JsonNode metric : JSON.readTree(response.body())) {
            if ("numRestarts".equals(metric.path("id").asText())) {
                return Long.parseLong(metric.path("value").asText());
            }
        }
        return -1;
    }

    // ---------------------------------------------------------------------------------------
    // Kafka.

    static KafkaProducer<byte[], byte[]> producer(EmbeddedKafka kafka) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(3 * 1024 * 1024));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    /**
     * Sends the events as canonical JSON, keyed by settlementId, each to a random partition (the
     * job must not rely on the key), {@code perSecond} records a second at most (0: no limit).
     */
    static void send(
            KafkaProducer<byte[], byte[]> producer,
            String topic,
            int partitions,
            List<SettlementEvent> events,
            Random random,
            int perSecond)
            throws Exception {
        EventCodec codec = new EventCodec();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < events.size(); i++) {
            SettlementEvent e = events.get(i);
            sent.add(
                    producer.send(
                            new ProducerRecord<>(
                                    topic,
                                    random.nextInt(partitions),
                                    e.getSettlementId().getBytes(StandardCharsets.UTF_8),
                                    codec.encode(e).getBytes(StandardCharsets.UTF_8))));
            if (perSecond > 0) {
                long due = start + (long) ((i + 1) * 1e9 / perSecond);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
        }
        producer.flush();
        for (Future<RecordMetadata> f : sent) {
            f.get(); // every send acknowledged
        }
    }

    /** A {@code read_committed} reader of one topic from its beginning, accumulating records. */
    static final class TopicReader implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final String topic;
        private final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();

        TopicReader(EmbeddedKafka kafka, String topic) {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(4 << 20));
            p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            this.consumer = new KafkaConsumer<>(p);
            this.topic = topic;
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic)
                    .forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        private void pollOnce() {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }

        /** Polls until {@code done} holds for the records read so far; fails at the deadline. */
        List<ConsumerRecord<byte[], byte[]>> awaitUntil(
                Duration timeout, String what, Predicate<List<ConsumerRecord<byte[], byte[]>>> done)
                throws Exception {
            await(
                    timeout,
                    () ->
                            what
                                    + " on topic "
                                    + topic
                                    + " (read_committed); read "
                                    + records.size()
                                    + " records: "
                                    + abbreviate(values()),
                    () -> {
                        pollOnce();
                        return done.test(records);
                    });
            return records;
        }

        /** Polls until there are at least {@code count} records. */
        List<String> awaitCount(int count, Duration timeout) throws Exception {
            awaitUntil(timeout, count + " records", r -> r.size() >= count);
            return values();
        }

        /** Keeps polling for {@code period}: anything that arrives late (a duplicate) is seen. */
        List<String> pollFor(Duration period) {
            long end = System.nanoTime() + period.toNanos();
            while (System.nanoTime() < end) {
                pollOnce();
            }
            return values();
        }

        List<ConsumerRecord<byte[], byte[]>> records() {
            return records;
        }

        List<String> values() {
            List<String> values = new ArrayList<>(records.size());
            records.forEach(r -> values.add(new String(r.value(), StandardCharsets.UTF_8)));
            return values;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }

    // ---------------------------------------------------------------------------------------
    // JSON lines.

    static List<String> sorted(List<String> lines) {
        List<String> copy = new ArrayList<>(lines);
        Collections.sort(copy);
        return copy;
    }

    static <T> List<String> jsonLines(List<T> items, Function<T, String> json) {
        List<String> lines = new ArrayList<>(items.size());
        items.forEach(i -> lines.add(json.apply(i)));
        return sorted(lines);
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    /** The values of {@code field} that occur more than once in the JSON lines, sorted. */
    static List<String> duplicates(List<String> lines, String field) {
        Map<String, Integer> counts = new HashMap<>();
        for (String line : lines) {
            counts.merge(parse(line).path(field).asText(), 1, Integer::sum);
        }
        List<String> dups = new ArrayList<>();
        counts.forEach(
                (value, n) -> {
                    if (n > 1) {
                        dups.add(value + " x" + n);
                    }
                });
        return sorted(dups);
    }

    private static String abbreviate(List<String> values) {
        String s = values.size() <= 5 ? values.toString() : values.subList(0, 5) + " ...";
        return s.length() > 2000 ? s.substring(0, 2000) + " ..." : s;
    }
}
