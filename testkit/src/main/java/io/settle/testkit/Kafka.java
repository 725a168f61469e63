package io.settle.testkit;

import io.settle.operators.codec.EventCodec;
import io.settle.operators.model.SettlementEvent;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Kafka chores of the tests, the bench and the drill, on any broker (in process or not): topics, a
 * producer, readers, reading a topic whole.
 */
public final class Kafka {
    private Kafka() {}

    /** Dead letters may carry a 1 MiB record as base64: topics take 2 MiB and a little. */
    public static final int MAX_MESSAGE_BYTES = 2 * 1024 * 1024 + 128 * 1024;

    public static Admin admin(String bootstrap) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        return Admin.create(p);
    }

    /** Waits until the broker answers; false at the deadline. */
    public static boolean awaitBroker(String bootstrap, Duration timeout)
            throws InterruptedException {
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

    /**
     * Creates topics with {@code partitions} partitions each (existing ones are kept), large
     * records allowed, and waits until every partition has a leader, so a client that asks for the
     * partitions next does not get none.
     */
    public static void createTopics(String bootstrap, int partitions, String... topics)
            throws Exception {
        createTopics(bootstrap, partitions, Map.of(), topics);
    }

    /** As above, with more topic configs. */
    public static void createTopics(
            String bootstrap, int partitions, Map<String, String> configs, String... topics)
            throws Exception {
        Map<String, String> all = new java.util.HashMap<>(configs);
        all.put("max.message.bytes", Integer.toString(MAX_MESSAGE_BYTES));
        try (Admin admin = admin(bootstrap)) {
            for (String t : topics) {
                NewTopic topic = new NewTopic(t, partitions, (short) 1).configs(all);
                try {
                    admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            awaitLeaders(admin, List.of(topics));
        }
    }

    private static void awaitLeaders(Admin admin, List<String> topics) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                boolean ready =
                        admin.describeTopics(topics).allTopicNames().get().values().stream()
                                .allMatch(
                                        d ->
                                                !d.partitions().isEmpty()
                                                        && d.partitions().stream()
                                                                .allMatch(p -> p.leader() != null));
                if (ready) {
                    return;
                }
            } catch (ExecutionException e) {
                // not known yet: ask again
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topics " + topics + " have no leaders after 30 s");
            }
            Thread.sleep(50);
        }
    }

    /** An idempotent producer of bytes, all acknowledgements awaited. */
    public static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(producerProperties(bootstrap));
    }

    /**
     * A transactional producer of bytes (an upstream system that writes in transactions), its
     * transactions initialised: {@code beginTransaction}, send, then commit or abort.
     */
    public static KafkaProducer<byte[], byte[]> transactionalProducer(
            String bootstrap, String transactionalId) {
        Properties p = producerProperties(bootstrap);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p);
        producer.initTransactions();
        return producer;
    }

    private static Properties producerProperties(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(3 * 1024 * 1024));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    /** A consumer of bytes that reads from the beginning and commits nothing. */
    public static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, boolean readCommitted) {
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

    /** Assigns every partition of {@code topic} and seeks to its beginning. */
    static List<TopicPartition> assignAll(KafkaConsumer<?, ?> consumer, String topic) {
        List<TopicPartition> partitions = new ArrayList<>();
        consumer.partitionsFor(topic)
                .forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return partitions;
    }

    /**
     * Sends the events as canonical JSON, keyed by settlementId, each to a random partition (the
     * job must not rely on the key), {@code perSecond} records a second at most (0: no limit), and
     * waits until every send is acknowledged.
     */
    public static void send(
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
            f.get();
        }
    }

    /** Every record of {@code topic} (uncommitted ones too), up to its end offsets now. */
    public static List<OracleCheck.EventRecord> readAll(
            String bootstrap, String topic, Duration timeout) {
        List<OracleCheck.EventRecord> records = new ArrayList<>();
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
                            new OracleCheck.EventRecord(
                                    r.topic(),
                                    r.partition(),
                                    r.offset(),
                                    r.value() == null ? new byte[0] : r.value(),
                                    r.timestamp()));
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
}
