package io.settle.tools.local;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import io.settle.testkit.FlinkCluster;

import java.nio.file.Path;

/**
 * A local Flink cluster in this JVM with the production settings, the web UI on {@code uiPort} and
 * the Prometheus reporter on {@code metricsPort}: what {@code ./settle local} and {@code ./settle
 * replay} run the job on. It lives as long as this JVM.
 */
final class LocalCluster {
    private LocalCluster() {}

    static StreamExecutionEnvironment environment(int uiPort, int metricsPort, int slots, Path work)
            throws Exception {
        return FlinkCluster.builder(work)
                .slots(slots)
                .restPort(uiPort)
                .prometheus(metricsPort)
                .start()
                .env();
    }
}
