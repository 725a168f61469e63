package io.settle.jobs;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import io.settle.testkit.Repo;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One home for each setting: the job sets what its guarantees rest on (exactly-once checkpoints at
 * its interval, no generic types, object reuse), and nothing that flink-conf/config.yaml sets for
 * the cluster (state backend, incremental and retained checkpoints, unaligned checkpoints,
 * timeouts).
 */
class JobSettingsTest {
    private static Map<String, String> jobSettings(String... args) {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
        Configuration before = new Configuration((Configuration) env.getConfiguration());
        SettlementJob.configure(env, SettleOptions.parse(args, Map.of()));
        Map<String, String> after = ((Configuration) env.getConfiguration()).toMap();
        before.toMap().forEach(after::remove);
        return after;
    }

    @Test
    void theJobSetsExactlyOnceCheckpointsAtItsIntervalAndNoGenericTypes() {
        Map<String, String> set =
                jobSettings("--kafka.bootstrap-servers", "b:9092", "--checkpoint.interval", "3s");
        assertThat(set)
                .containsEntry("execution.checkpointing.mode", "EXACTLY_ONCE")
                .containsEntry("execution.checkpointing.interval", "3 s")
                .containsEntry("pipeline.generic-types", "false")
                .containsEntry("pipeline.object-reuse", "true");
    }

    @Test
    void theMaximumParallelismIsPinnedByTheJobAndFlinkConfAlike() {
        Map<String, String> set = jobSettings("--kafka.bootstrap-servers", "b:9092");
        assertThat(set).containsEntry("pipeline.max-parallelism", "128");
        assertThat(
                        GlobalConfiguration.loadConfiguration(Repo.flinkConf().toString())
                                .toMap()
                                .get("pipeline.max-parallelism"))
                .isEqualTo(Integer.toString(SettlementJob.MAX_PARALLELISM));
    }

    @Test
    void theJobSetsNoKeyTheClusterConfigurationSets() {
        Set<String> cluster =
                new TreeSet<>(
                        GlobalConfiguration.loadConfiguration(Repo.flinkConf().toString())
                                .toMap()
                                .keySet());
        Set<String> job =
                new TreeSet<>(jobSettings("--kafka.bootstrap-servers", "b:9092").keySet());
        job.retainAll(cluster);
        // Pinned in both on purpose: the job's state depends on it (see the next test).
        job.remove("pipeline.max-parallelism");
        assertThat(job).as("keys set both by the job and in flink-conf/config.yaml").isEmpty();
        assertThat(cluster)
                .contains(
                        "state.backend.type",
                        "execution.checkpointing.incremental",
                        "execution.checkpointing.externalized-checkpoint-retention",
                        "execution.checkpointing.unaligned.enabled");
    }
}
