package io.settle.tools.bench;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * An in-process metrics reporter: the bench's Flink cluster runs in this JVM, so the bench reads
 * the jobs' own counters and gauges directly (what the REST API and Prometheus show, without the
 * polling). Metrics are kept after their task ends, so a finished source's last count stays
 * readable; {@link #reset()} forgets them between parts.
 */
public final class BenchMetrics implements MetricReporter {

    /** The configuration keys that install this reporter in a cluster. */
    public static final String REPORTER = "bench";

    public static final String FACTORY_KEY = "metrics.reporter." + REPORTER + ".factory.class";

    private static final String OPERATOR = "<operator_name>";
    private static final String TASK = "<task_name>";

    /** One metric as a reporter sees it: its name, the variables of its group, the metric. */
    public record Registered(String name, Map<String, String> scope, Metric metric) {
        public String operator() {
            return scope.getOrDefault(OPERATOR, "");
        }

        public boolean isJobLevel() {
            return scope.containsKey("<job_name>") && !scope.containsKey(TASK);
        }
    }

    private static final List<Registered> METRICS = new CopyOnWriteArrayList<>();

    /**
     * How many metrics have been seen, and a few of their names: for a failing lookup's message.
     */
    public static String summary() {
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (Registered r : METRICS) {
            if (r.name().startsWith("numRecords")) {
                names.add(r.operator() + "/" + r.name());
            }
        }
        return METRICS.size()
                + " metrics; job restarts: "
                + jobGauge("numRestarts")
                + "; records counters: "
                + names;
    }

    /** Forgets every metric seen so far (a new part starts on a new cluster). */
    public static void reset() {
        METRICS.clear();
    }

    /** The sum of the counters named {@code name} whose group matches. */
    public static long sum(String name, Predicate<Registered> where) {
        long sum = 0;
        for (Registered r : METRICS) {
            if (r.name().equals(name) && where.test(r)) {
                if (r.metric() instanceof Counter) {
                    sum += ((Counter) r.metric()).getCount();
                } else if (r.metric() instanceof Gauge) {
                    Object v = ((Gauge<?>) r.metric()).getValue();
                    if (v instanceof Number) {
                        sum += ((Number) v).longValue();
                    }
                }
            }
        }
        return sum;
    }

    /** Records out of every source operator: how far a job has read its input. */
    public static long sourceRecordsOut() {
        return sum("numRecordsOut", r -> r.operator().startsWith("Source"));
    }

    /** A job-level gauge of the JobManager (checkpoint statistics), or -1 if none yet. */
    public static long jobGauge(String name) {
        long value = -1;
        for (Registered r : METRICS) {
            if (r.name().equals(name) && r.isJobLevel() && r.metric() instanceof Gauge) {
                Object v = ((Gauge<?>) r.metric()).getValue();
                if (v instanceof Number) {
                    value = Math.max(value, ((Number) v).longValue());
                }
            }
        }
        return value;
    }

    /** The latest value of the job-level gauge {@code name} of the newest job that has it. */
    public static long latestJobGauge(String name) {
        for (int i = METRICS.size() - 1; i >= 0; i--) {
            Registered r = METRICS.get(i);
            if (r.name().equals(name) && r.isJobLevel() && r.metric() instanceof Gauge) {
                Object v = ((Gauge<?>) r.metric()).getValue();
                return v instanceof Number ? ((Number) v).longValue() : -1;
            }
        }
        return -1;
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
        METRICS.add(new Registered(metricName, Map.copyOf(group.getAllVariables()), metric));
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
        // Kept: a finished task's last count is what the bench reads at the end.
    }

    /** What the cluster configuration names ({@link #FACTORY_KEY}). */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new BenchMetrics();
        }
    }
}
