package io.settle.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * End-to-end latency, from the moment the generator creates an event to the moment the result it
 * completes is readable with {@code read_committed}.
 *
 * <p>A result carries {@code endedAt}, the event time of the event that ended the settlement. The
 * generator stamps most events with the wall clock as it sends them, so that is their creation
 * time; it stamps reordered (and late) events earlier on purpose. {@link Interceptor}, a producer
 * interceptor in the generator's producer, notes the real creation time of every event stamped more
 * than {@value #SHIFTED_MS} ms before it was sent, under its settlement and event time, and the
 * probe uses that instead. Alerts are measured from their {@code at} instant, corrected the same
 * way when an event raised them.
 *
 * <p>Latencies are recorded into HdrHistograms per named window of creation time (the live steps),
 * and per second of arrival for the plots.
 */
final class LatencyProbe implements AutoCloseable {
    static final long SHIFTED_MS = 20;
    private static final long FORGET_AFTER_MS = 10 * 60_000;

    /** settlementId@eventTimeMillis to the wall-clock millis the event was really created. */
    static final Map<String, Long> CREATED = new ConcurrentHashMap<>();

    /** Notes the creation time of events stamped before they were sent. */
    public static class Interceptor implements ProducerInterceptor<String, byte[]> {
        private static final byte[] FIELD = "\"eventTime\":\"".getBytes(StandardCharsets.US_ASCII);

        @Override
        public ProducerRecord<String, byte[]> onSend(ProducerRecord<String, byte[]> record) {
            long now = System.currentTimeMillis();
            long eventTime = eventTimeMillis(record.value());
            if (eventTime > 0 && now - eventTime > SHIFTED_MS && record.key() != null) {
                noteCreated(record.key() + "@" + eventTime, now);
            }
            return record;
        }

        /** Keeps the real creation time of an event stamped early (in this process). */
        protected void noteCreated(String settlementAtEventTime, long createdMillis) {
            CREATED.putIfAbsent(settlementAtEventTime, createdMillis);
        }

        static long eventTimeMillis(byte[] value) {
            if (value == null) {
                return -1;
            }
            int at = indexOf(value, FIELD);
            if (at < 0) {
                return -1;
            }
            int from = at + FIELD.length;
            int to = from;
            while (to < value.length && value[to] != '"' && to - from < 40) {
                to++;
            }
            try {
                return Instant.parse(new String(value, from, to - from, StandardCharsets.US_ASCII))
                        .toEpochMilli();
            } catch (RuntimeException e) {
                return -1;
            }
        }

        private static int indexOf(byte[] haystack, byte[] needle) {
            outer:
            for (int i = 0; i <= haystack.length - needle.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (haystack[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }

        @Override
        public void onAcknowledgement(RecordMetadata metadata, Exception exception) {}

        @Override
        public void close() {}

        @Override
        public void configure(Map<String, ?> configs) {}
    }

    /** A window of creation time whose latencies are kept together (a live step). */
    private record Window(String name, long fromMillis, long toMillis) {}

    private final ObjectMapper json = new ObjectMapper();
    private final List<Window> windows = new ArrayList<>();
    private final Map<String, Histogram> results = new HashMap<>();
    private final Map<String, Histogram> alerts = new HashMap<>();
    private final TreeMap<Long, Histogram> resultsBySecond = new TreeMap<>();
    private final AtomicLong resultCount = new AtomicLong();
    private final AtomicLong alertCount = new AtomicLong();
    private final Map<TopicPartition, Long> highestResultOffset = new ConcurrentHashMap<>();
    private final Thread resultThread;
    private final Thread alertThread;
    private final long startMillis = System.currentTimeMillis();
    private volatile boolean running = true;
    private volatile Map<TopicPartition, Long> watchFrom;
    private volatile long firstAfterWatch = -1;

    LatencyProbe(String bootstrap, String resultsTopic, String alertsTopic) {
        resultThread = new Thread(() -> consume(bootstrap, resultsTopic, true), "bench-results");
        alertThread = new Thread(() -> consume(bootstrap, alertsTopic, false), "bench-alerts");
        resultThread.setDaemon(true);
        alertThread.setDaemon(true);
        resultThread.start();
        alertThread.start();
    }

    static Properties readCommitted(String bootstrap, String group) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName());
        return p;
    }

    /** Starts a window: latencies of what is created from now until {@link #endWindow}. */
    synchronized void startWindow(String name) {
        windows.add(new Window(name, System.currentTimeMillis(), Long.MAX_VALUE));
        results.put(name, histogram());
        alerts.put(name, histogram());
    }

    synchronized void endWindow(String name) {
        for (int i = 0; i < windows.size(); i++) {
            Window w = windows.get(i);
            if (w.name().equals(name) && w.toMillis() == Long.MAX_VALUE) {
                windows.set(i, new Window(name, w.fromMillis(), System.currentTimeMillis()));
            }
        }
    }

    /** A copy of the result latencies of a window, in ms. */
    synchronized Histogram results(String window) {
        Histogram h = results.get(window);
        return h == null ? histogram() : h.copy();
    }

    synchronized Histogram alerts(String window) {
        Histogram h = alerts.get(window);
        return h == null ? histogram() : h.copy();
    }

    long resultCount() {
        return resultCount.get();
    }

    long alertCount() {
        return alertCount.get();
    }

    /** p50 and p99 of the results that arrived in each second, seconds since the probe started. */
    synchronized List<double[]> percentileBySecond(double percentile) {
        List<double[]> points = new ArrayList<>();
        resultsBySecond.forEach(
                (second, h) ->
                        points.add(
                                new double[] {
                                    (second * 1000 - startMillis) / 1000.0,
                                    h.getValueAtPercentile(percentile)
                                }));
        return points;
    }

    /**
     * From now, waits for the first result committed past the given end offsets (what was readable
     * at a failure): returns the wall-clock millis it was read, or -1 on timeout.
     */
    long awaitResultPast(Map<TopicPartition, Long> endOffsets, Duration timeout)
            throws InterruptedException {
        firstAfterWatch = -1;
        watchFrom = endOffsets;
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (System.currentTimeMillis() < deadline) {
            if (firstAfterWatch > 0) {
                return firstAfterWatch;
            }
            Thread.sleep(5);
        }
        return -1;
    }

    /** The highest result offset read per partition. */
    Map<TopicPartition, Long> resultOffsets() {
        return new HashMap<>(highestResultOffset);
    }

    private void consume(String bootstrap, String topic, boolean isResults) {
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(readCommitted(bootstrap, "bench-probe-" + topic))) {
            consumer.subscribe(List.of(topic));
            long lastPrune = System.currentTimeMillis();
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.currentTimeMillis();
                    if (isResults) {
                        onResult(r, now);
                    } else {
                        onAlert(r, now);
                    }
                }
                long now = System.currentTimeMillis();
                if (!isResults) {
                    drainDeferred(now, false);
                }
                if (isResults && now - lastPrune > 30_000) {
                    CREATED.values().removeIf(created -> created < now - FORGET_AFTER_MS);
                    lastPrune = now;
                }
            }
            drainDeferred(0, true);
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            // closing
        }
    }

    private void onResult(ConsumerRecord<byte[], byte[]> r, long now) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        highestResultOffset.merge(tp, r.offset(), Math::max);
        Map<TopicPartition, Long> watch = watchFrom;
        if (watch != null && firstAfterWatch < 0 && r.offset() >= watch.getOrDefault(tp, 0L)) {
            firstAfterWatch = now;
        }
        long created = creation(r.value(), "endedAt");
        if (created > 0) {
            resultCount.incrementAndGet();
            record(results, created, now - created);
            synchronized (this) {
                resultsBySecond
                        .computeIfAbsent(now / 1000, s -> histogram())
                        .recordValue(clamp(now - created));
            }
        }
    }

    /** An alert read before the creation time of its early-stamped event came from the load. */
    private record Deferred(byte[] value, long arrived) {}

    private final java.util.ArrayDeque<Deferred> deferred = new java.util.ArrayDeque<>();

    /**
     * An alert is written at least once, not at a checkpoint, so it can be read within milliseconds
     * of its event: sooner than the load process reports that event's creation time (a line on its
     * output, flushed every 100 ms). An alert stamped more than a second before it arrived and
     * without a creation time yet is timed half a second later, with its arrival kept.
     */
    private void onAlert(ConsumerRecord<byte[], byte[]> r, long now) {
        long created = creation(r.value(), "at");
        if (created > 0 && now - created > 1_000) {
            deferred.add(new Deferred(r.value(), now));
        } else if (created > 0) {
            alertCount.incrementAndGet();
            record(alerts, created, now - created);
        }
    }

    private void drainDeferred(long now, boolean all) {
        while (!deferred.isEmpty() && (all || deferred.peek().arrived() < now - 500)) {
            Deferred d = deferred.poll();
            long created = creation(d.value(), "at");
            alertCount.incrementAndGet();
            record(alerts, created, d.arrived() - created);
        }
    }

    /** When the event behind an output was created: its time field, corrected if stamped early. */
    private long creation(byte[] value, String timeField) {
        try {
            JsonNode node = json.readTree(value);
            JsonNode time = node.get(timeField);
            JsonNode settlement = node.get("settlementId");
            if (time == null || time.isNull()) {
                return -1;
            }
            long stamped = Instant.parse(time.asText()).toEpochMilli();
            if (settlement != null) {
                Long created = CREATED.get(settlement.asText() + "@" + stamped);
                if (created != null) {
                    return created;
                }
            }
            return stamped;
        } catch (Exception e) {
            return -1;
        }
    }

    private synchronized void record(Map<String, Histogram> byWindow, long created, long latency) {
        for (Window w : windows) {
            if (created >= w.fromMillis() && created < w.toMillis()) {
                byWindow.get(w.name()).recordValue(clamp(latency));
            }
        }
    }

    private static long clamp(long latencyMillis) {
        return Math.max(0, Math.min(latencyMillis, 3_600_000L));
    }

    private static Histogram histogram() {
        return new Histogram(3_600_000L, 3);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        resultThread.join(5_000);
        alertThread.join(5_000);
    }
}
