package io.settle.jobs;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.MetricsReporter;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How far the Kafka consumers of this JVM have read, per consumer group, topic and partition: the
 * offset of the last record each handed to Flink, and the consumer's own {@code records-lag} (the
 * records between its position and the end of the partition, the last stable offset under
 * read_committed, transaction markers counted). The source's watermark generators ask it whether
 * their partition has caught up ({@link #caughtUp}).
 *
 * <p>The consumer fills it through two plug-ins named in its properties ({@link #install}): an
 * interceptor that sees every batch it returns, and a metrics reporter that hands over the lag
 * metrics. Both are instantiated by the Kafka client inside the job's class loader, so the map they
 * share with the generators is one map per job.
 */
public final class KafkaProgress {
    private KafkaProgress() {}

    private static final String LAG = "records-lag";
    private static final String FETCHES = "fetch-total";
    private static final String FETCH_GROUP = "consumer-fetch-manager-metrics";

    /**
     * When one consumer last heard from the broker: its {@code fetch-total} (fetch responses, empty
     * ones too: an idle partition is answered every {@code fetch.max.wait.ms}) and the wall-clock
     * time at which it was last seen to grow. Seen by polling, so up to one poll late.
     */
    static final class Fetches {
        private final KafkaMetric total;
        private double lastTotal = Double.NaN;
        private long lastResponseAt = Long.MIN_VALUE;

        Fetches(KafkaMetric total) {
            this.total = total;
        }

        /** The wall-clock time of the last fetch response seen, as of {@code now}. */
        synchronized long lastResponseAt(long now) {
            Object value = total.metricValue();
            double t = value instanceof Number ? ((Number) value).doubleValue() : Double.NaN;
            if (Double.isNaN(lastTotal)) {
                lastTotal = t; // when the responses so far came is not known: wait for the next
            } else if (t != lastTotal) {
                lastTotal = t;
                lastResponseAt = now;
            }
            return lastResponseAt;
        }
    }

    /** What one consumer has fetched of one partition, and the source has emitted of it. */
    static final class Partition {
        volatile long lastFetched = -1;
        volatile long lastEmitted = -1;
        volatile KafkaMetric lag;
        volatile Fetches fetches;

        boolean caughtUp() {
            KafkaMetric metric = lag;
            if (metric == null) {
                return false;
            }
            Object value = metric.metricValue();
            return value instanceof Number
                    && ((Number) value).doubleValue() == 0.0
                    && lastFetched == lastEmitted;
        }
    }

    private static final Map<String, Partition> PARTITIONS = new ConcurrentHashMap<>();

    private static String key(Object group, String topic, int partition) {
        return group + "|" + topic + "|" + partition;
    }

    private static Partition partition(Object group, String topic, int partition) {
        return PARTITIONS.computeIfAbsent(key(group, topic, partition), k -> new Partition());
    }

    /** The source has emitted every record of the partition up to {@code offset}. */
    public static void emitted(String group, String topic, int partition, long offset) {
        partition(group, topic, partition).lastEmitted = offset;
    }

    /**
     * The partition has no unread record: its consumer's lag is zero, and every record it fetched
     * has been emitted by the source (as {@link #emitted} last said). False when not known yet.
     */
    public static boolean caughtUp(String group, String topic, int partition) {
        Partition p = PARTITIONS.get(key(group, topic, partition));
        return p != null && p.caughtUp();
    }

    /**
     * Up to when the partition is known to have no unread record, as of {@code now} (wall clock,
     * epoch millis): the time its consumer last heard from the broker, if it has caught up ({@link
     * #caughtUp}); {@code Long.MIN_VALUE} if it has not, or nothing is known yet. While the broker
     * does not answer (an outage, a network partition) this stays where it was: records may be
     * waiting that the consumer cannot see.
     */
    public static long caughtUpAsOf(String group, String topic, int partition, long now) {
        Partition p = PARTITIONS.get(key(group, topic, partition));
        if (p == null || !p.caughtUp()) {
            return Long.MIN_VALUE;
        }
        Fetches f = p.fetches;
        return f == null ? Long.MIN_VALUE : Math.min(now, f.lastResponseAt(now));
    }

    /**
     * Up to when every partition this JVM's consumers of {@code group} read is known to have no
     * unread record, as of {@code now}: the earliest of their {@link #caughtUpAsOf}; {@code
     * Long.MIN_VALUE} if one of them has not caught up, or there is none. A split that has not
     * named its partition yet (no record since the job started) takes this: its partition is one of
     * them.
     */
    public static long allCaughtUpAsOf(String group, long now) {
        String prefix = group + "|";
        long asOf = Long.MAX_VALUE;
        for (Map.Entry<String, Partition> e : PARTITIONS.entrySet()) {
            Partition p = e.getValue();
            if (e.getKey().startsWith(prefix) && p.lag != null) {
                Fetches f = p.fetches;
                if (!p.caughtUp() || f == null) {
                    return Long.MIN_VALUE;
                }
                asOf = Math.min(asOf, Math.min(now, f.lastResponseAt(now)));
            }
        }
        return asOf == Long.MAX_VALUE ? Long.MIN_VALUE : asOf;
    }

    /** Adds the interceptor and the reporter to a consumer's properties, keeping any given. */
    public static void install(Properties consumer) {
        append(consumer, ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, Interceptor.class.getName());
        append(consumer, ConsumerConfig.METRIC_REPORTER_CLASSES_CONFIG, Reporter.class.getName());
    }

    private static void append(Properties p, String key, String className) {
        String given = p.getProperty(key);
        p.setProperty(key, given == null || given.isBlank() ? className : given + "," + className);
    }

    /** Records the last offset of each partition in each batch the consumer returns. */
    public static final class Interceptor implements ConsumerInterceptor<Object, Object> {
        private Object group;

        @Override
        public void configure(Map<String, ?> configs) {
            group = configs.get(ConsumerConfig.GROUP_ID_CONFIG);
        }

        @Override
        public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
            for (TopicPartition tp : records.partitions()) {
                List<ConsumerRecord<Object, Object>> list = records.records(tp);
                if (!list.isEmpty()) {
                    partition(group, tp.topic(), tp.partition()).lastFetched =
                            list.get(list.size() - 1).offset();
                }
            }
            return records;
        }

        @Override
        public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {}

        @Override
        public void close() {}
    }

    /**
     * Hands the consumer's per-partition {@code records-lag} metrics over, each with the consumer's
     * {@code fetch-total}.
     */
    public static final class Reporter implements MetricsReporter {
        private Object group;
        private volatile Fetches fetches;

        @Override
        public void configure(Map<String, ?> configs) {
            group = configs.get(ConsumerConfig.GROUP_ID_CONFIG);
        }

        @Override
        public void init(List<KafkaMetric> metrics) {
            metrics.forEach(this::metricChange);
        }

        @Override
        public void metricChange(KafkaMetric metric) {
            Map<String, String> tags = metric.metricName().tags();
            if (FETCHES.equals(metric.metricName().name())
                    && FETCH_GROUP.equals(metric.metricName().group())
                    && !tags.containsKey("topic")) {
                fetches = new Fetches(metric);
            } else if (isLag(metric)
                    && tags.containsKey("topic")
                    && tags.containsKey("partition")) {
                Partition p =
                        partition(
                                group, tags.get("topic"), Integer.parseInt(tags.get("partition")));
                p.fetches = fetches;
                p.lag = metric;
            }
        }

        @Override
        public void metricRemoval(KafkaMetric metric) {
            Map<String, String> tags = metric.metricName().tags();
            if (isLag(metric) && tags.containsKey("topic") && tags.containsKey("partition")) {
                Partition p =
                        PARTITIONS.get(
                                key(
                                        group,
                                        tags.get("topic"),
                                        Integer.parseInt(tags.get("partition"))));
                if (p != null && p.lag == metric) {
                    p.lag = null; // the partition left this consumer: not known to be caught up
                }
            }
        }

        private static boolean isLag(KafkaMetric m) {
            return LAG.equals(m.metricName().name()) && FETCH_GROUP.equals(m.metricName().group());
        }

        @Override
        public void close() {}
    }
}
