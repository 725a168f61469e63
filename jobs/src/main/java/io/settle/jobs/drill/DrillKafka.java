package io.settle.jobs.drill;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** The drill's Kafka chores: topics, reading the events topic whole, reading outputs committed. */
final class DrillKafka {
    private DrillKafka() {}

    /** Dead letters may carry a 1 MiB record as base64: topics take 2 MiB and a little. */
    static final int MAX_MESSAGE_BYTES = 2 * 1024 * 1024 + 128 * 1024;

    /** The four topics of a drill: {@code prefix.events}, {@code .results}, ... */
    record Topics(String events, String results, String alerts, String deadLetters) {
        static Topics named(String prefix) {
            return new Topics(
                    prefix + ".events",
                    prefix + ".results",
                    prefix + ".alerts",
                    prefix + ".dead-letters");
        }
    }

    static Admin admin(String bootstrap) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        return Admin.create(p);
    }

    /** Waits until the broker answers; false at the deadline. */
    static boolean awaitBroker(String bootstrap, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = admin(bootstrap)) {
            while (System.nanoTime() < deadline) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return true;
                    }
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    // not up yet
                }
                Thread.sleep(500);
            }
        }
        return false;
    }

    /** Creates the drill's topics (existing ones are kept). */
    static void createTopics(String bootstrap, Topics topics, int eventPartitions)
            throws Exception {
        Map<String, String> configs =
                Map.of("max.message.bytes", Integer.toString(MAX_MESSAGE_BYTES));
        List<NewTopic> all =
                List.of(
                        new NewTopic(topics.events(), eventPartitions, (short) 1).configs(configs),
                        new NewTopic(topics.results(), 2, (short) 1).configs(configs),
                        new NewTopic(topics.alerts(), 2, (short) 1).configs(configs),
                        new NewTopic(topics.deadLetters(), 2, (short) 1).configs(configs));
        try (Admin admin = admin(bootstrap)) {
            for (NewTopic t : all) {
                try {
                    admin.createTopics(List.of(t)).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, boolean readCommitted) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                readCommitted ? "read_committed" : "read_uncommitted");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(4 << 20));
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return new KafkaConsumer<>(p);
    }

    private static List<TopicPartition> assignAll(KafkaConsumer<?, ?> consumer, String topic) {
        List<TopicPartition> partitions = new ArrayList<>();
        consumer.partitionsFor(topic)
                .forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return partitions;
    }

    /** Every record of {@code topic}, up to its end offsets now. */
    static List<DrillCheck.EventRecord> readAll(String bootstrap, String topic, Duration timeout) {
        List<DrillCheck.EventRecord> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap, false)) {
            List<TopicPartition> partitions = assignAll(consumer, topic);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!caughtUp(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "timed out after "
                                    + timeout
                                    + " reading topic "
                                    + topic
                                    + " to its end offsets "
                                    + end);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    records.add(
                            new DrillCheck.EventRecord(
                                    r.topic(),
                                    r.partition(),
                                    r.offset(),
                                    r.value() == null ? new byte[0] : r.value()));
                }
            }
        }
        return records;
    }

    private static boolean caughtUp(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** A read_committed reader of one output topic from its beginning, accumulating values. */
    static final class CommittedReader implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final List<String> values = new ArrayList<>();

        CommittedReader(String bootstrap, String topic) {
            consumer = consumer(bootstrap, true);
            assignAll(consumer, topic);
        }

        /** Polls once; returns how many records came. */
        int poll(Duration timeout) {
            int n = 0;
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
                values.add(new String(r.value(), StandardCharsets.UTF_8));
                n++;
            }
            return n;
        }

        List<String> values() {
            return values;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
