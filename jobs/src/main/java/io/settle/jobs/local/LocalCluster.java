package io.settle.jobs.local;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A local Flink cluster in this JVM with the web UI and the Prometheus reporter: what {@code
 * ./settle local} and {@code ./settle replay} run the job on.
 */
final class LocalCluster {
    private LocalCluster() {}

    static StreamExecutionEnvironment environment(
            int uiPort, int metricsPort, int slots, Path checkpoints) {
        Configuration conf = new Configuration();
        conf.set(RestOptions.PORT, uiPort);
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
        conf.setString(
                "metrics.reporter.prom.factory.class",
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        conf.setString("metrics.reporter.prom.port", Integer.toString(metricsPort));
        conf.set(MetricOptions.REPORTERS_LIST, "prom");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        conf.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
                Duration.ofSeconds(1));
        conf.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
                Duration.ofSeconds(30));
        return StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
    }
}
