package io.settle.testkit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A {@code read_committed} reader of one topic from its beginning, accumulating records. */
public final class TopicReader implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();

    public TopicReader(String bootstrap, String topic) {
        this.consumer = Kafka.consumer(bootstrap, true);
        this.topic = topic;
        Kafka.assignAll(consumer, topic);
    }

    public TopicReader(EmbeddedKafka kafka, String topic) {
        this(kafka.bootstrapServers(), topic);
    }

    /** Polls once, for at most {@code timeout}; returns how many records came. */
    public int poll(Duration timeout) {
        int before = records.size();
        consumer.poll(timeout).forEach(records::add);
        return records.size() - before;
    }

    /** Polls until {@code done} holds for the records read so far; fails at the deadline. */
    public List<ConsumerRecord<byte[], byte[]>> awaitUntil(
            Duration timeout, String what, Predicate<List<ConsumerRecord<byte[], byte[]>>> done)
            throws Exception {
        Await.until(
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
                    poll(Duration.ofMillis(200));
                    return done.test(records);
                });
        return records;
    }

    /** Polls until there are at least {@code count} records. */
    public List<String> awaitCount(int count, Duration timeout) throws Exception {
        awaitUntil(timeout, count + " records", r -> r.size() >= count);
        return values();
    }

    /** Keeps polling for {@code period}: anything that arrives late (a duplicate) is seen. */
    public List<String> pollFor(Duration period) {
        long end = System.nanoTime() + period.toNanos();
        while (System.nanoTime() < end) {
            poll(Duration.ofMillis(200));
        }
        return values();
    }

    public List<ConsumerRecord<byte[], byte[]>> records() {
        return records;
    }

    /** The values read so far, as UTF-8 text. */
    public List<String> values() {
        List<String> values = new ArrayList<>(records.size());
        records.forEach(r -> values.add(new String(r.value(), StandardCharsets.UTF_8)));
        return values;
    }

    @Override
    public void close() {
        consumer.close();
    }

    private static String abbreviate(List<String> values) {
        String s = values.size() <= 5 ? values.toString() : values.subList(0, 5) + " ...";
        return s.length() > 2000 ? s.substring(0, 2000) + " ..." : s;
    }
}
