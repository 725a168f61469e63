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
    private static final String FETCH_GROUP = "consumer-fetch-manager-metrics";

    /** What one consumer has fetched of one partition, and the source has emitted of it. */
    static final class Partition {
        volatile long lastFetched = -1;
        volatile long lastEmitted = -1;
        volatile KafkaMetric lag;

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
     * Every partition this JVM's consumers of {@code group} read has caught up, and there is at
     * least one: then so has any one of them, whichever it is.
     */
    public static boolean allCaughtUp(String group) {
        String prefix = group + "|";
        boolean any = false;
        for (Map.Entry<String, Partition> e : PARTITIONS.entrySet()) {
            if (e.getKey().startsWith(prefix) && e.getValue().lag != null) {
                if (!e.getValue().caughtUp()) {
                    return false;
                }
                any = true;
            }
        }
        return any;
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

    /** Hands the consumer's per-partition {@code records-lag} metrics over. */
    public static final class Reporter implements MetricsReporter {
        private Object group;

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
            if (isLag(metric) && tags.containsKey("topic") && tags.containsKey("partition")) {
                partition(group, tags.get("topic"), Integer.parseInt(tags.get("partition"))).lag =
                        metric;
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
