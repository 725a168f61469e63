package io.settle.tools.local;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

/** Counts what the job committed to its output topics (read_committed), for the progress line. */
final class OutputCounts extends Thread implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String results;
    private final String alerts;
    private final AtomicLong settled = new AtomicLong();
    private final AtomicLong cancelled = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();
    private final AtomicLong alertCount = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    private volatile boolean running = true;

    OutputCounts(String bootstrap, String results, String alerts, String deadLetters) {
        super("settle-output-counts");
        setDaemon(true);
        this.results = results;
        this.alerts = alerts;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "settle-local-progress");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        consumer = new KafkaConsumer<>(p);
        consumer.subscribe(List.of(results, alerts, deadLetters));
    }

    @Override
    public void run() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.topic().equals(results)) {
                        String v = new String(r.value(), StandardCharsets.UTF_8);
                        if (v.contains("\"status\":\"SETTLED\"")) {
                            settled.incrementAndGet();
                        } else if (v.contains("\"status\":\"CANCELLED\"")) {
                            cancelled.incrementAndGet();
                        } else {
                            expired.incrementAndGet();
                        }
                    } else if (r.topic().equals(alerts)) {
                        alertCount.incrementAndGet();
                    } else {
                        deadLetters.incrementAndGet();
                    }
                }
            }
        } catch (org.apache.kafka.common.errors.WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    String results() {
        return String.format(
                Locale.ROOT,
                "settled %,d cancelled %,d expired %,d",
                settled.get(),
                cancelled.get(),
                expired.get());
    }

    long alerts() {
        return alertCount.get();
    }

    long deadLetters() {
        return deadLetters.get();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
    }
}
