package io.settle.tools.bench;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.MetricOptions;

import io.settle.testkit.FlinkCluster;

import java.nio.file.Path;

/**
 * The cluster of one part of the bench: the production settings (flink-conf/config.yaml), a slot
 * per unit of parallelism, RocksDB's managed memory set, and the {@link BenchMetrics} reporter.
 */
final class BenchCluster {
    private BenchCluster() {}

    static FlinkCluster start(Path folder, int slots, MemorySize managedMemory) throws Exception {
        BenchMetrics.reset();
        Configuration reporter = new Configuration();
        reporter.setString(BenchMetrics.FACTORY_KEY, BenchMetrics.Factory.class.getName());
        reporter.set(MetricOptions.REPORTERS_LIST, BenchMetrics.REPORTER);
        return FlinkCluster.builder(folder)
                .slots(slots)
                .managedMemory(managedMemory)
                .with(reporter)
                .start();
    }
}
