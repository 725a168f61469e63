package io.settle.deploy;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code flink-conf/config.yaml} holds only keys Flink 2.2 knows by their current names, and says
 * what docs/operations.md and docs/architecture.md promise of the cluster (RocksDB, incremental and
 * retained checkpoints, unaligned checkpoints, the restart strategy, Prometheus; the job sets
 * exactly-once and no Kryo itself, see JobSettingsTest). The check is {@link FlinkConfigKeys}, the
 * same as for the FlinkDeployment's flinkConfiguration (which must carry the same cluster settings,
 * see FlinkConfigurationTest); it is shown to catch a Flink 1 key and a typo.
 */
class FlinkConfTest {
    static final Path CONF_DIR = Path.of("..", "flink-conf");

    private static FlinkConfigKeys keys;

    @BeforeAll
    static void scan() {
        keys = FlinkConfigKeys.scan();
    }

    private static String configYaml() throws Exception {
        return Files.readString(CONF_DIR.resolve("config.yaml"));
    }

    @Test
    void theScanFindsFlinksOptionsClasses() {
        assertThat(keys.scannedClasses())
                .contains(
                        "org.apache.flink.configuration.CheckpointingOptions",
                        "org.apache.flink.configuration.StateBackendOptions",
                        "org.apache.flink.configuration.MetricOptions",
                        "org.apache.flink.state.rocksdb.RocksDBOptions",
                        "org.apache.flink.configuration.RestartStrategyOptions");
        assertThat(keys.size()).isGreaterThan(500);
        assertThat(keys.replacedKeys())
                .containsEntry("state.savepoints.dir", "execution.checkpointing.savepoint-dir");
    }

    @Test
    void configYamlHasOnlyCurrentFlink2Keys() throws Exception {
        assertThat(keys.problems(configYaml())).isEmpty();
    }

    @Test
    void aFlink1KeyFailsNamingItsReplacement() throws Exception {
        String yaml = configYaml() + "\nstate.savepoints.dir: file:///tmp/savepoints\n";
        assertThat(keys.problems(yaml))
                .containsExactly(
                        "'state.savepoints.dir' is a deprecated (Flink 1) key: use"
                                + " 'execution.checkpointing.savepoint-dir'");
    }

    @Test
    void aTypoFails() throws Exception {
        String yaml = configYaml() + "\nstate.backend.tpye: rocksdb\n";
        assertThat(keys.problems(yaml))
                .containsExactly("'state.backend.tpye' is not a Flink 2.2 configuration key");
    }

    @Test
    void nestedKeysAreCheckedAsTheirFlatNames() throws Exception {
        String yaml =
                "execution:\n  checkpointing:\n    interval: 5s\n    intervall: 5s\n"
                        + "metrics:\n  reporter:\n    jmx:\n      port: 8789\n";
        assertThat(keys.problems(yaml))
                .containsExactly(
                        "'execution.checkpointing.intervall' is not a Flink 2.2 configuration key");
        assertThat(FlinkConfigKeys.flatten(yaml))
                .containsEntry("execution.checkpointing.interval", "5s")
                .containsEntry("metrics.reporter.jmx.port", "8789");
    }

    @Test
    void valuesAreCheckedAndOperatorKeysBelongInTheDeployment() throws Exception {
        assertThat(keys.problems(configYaml() + "\nexecution.checkpointing.min-pause: a while\n"))
                .singleElement()
                .asString()
                .startsWith("'execution.checkpointing.min-pause': value 'a while' does not parse");
        assertThat(keys.problems("kubernetes.operator.periodic.savepoint.interval: 1 h\n"))
                .singleElement()
                .asString()
                .contains("belongs in a FlinkDeployment");
    }

    @Test
    void flinkReadsTheSettingsTheArchitecturePromises() {
        Configuration conf = GlobalConfiguration.loadConfiguration(CONF_DIR.toString());
        assertThat(conf.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(conf.getString("execution.checkpointing.incremental", "")).isEqualTo("true");
        assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY))
                .isEqualTo("exponential-delay");
        assertThat(conf.getString("execution.checkpointing.dir", "")).startsWith("file:");
        assertThat(conf.getString("execution.checkpointing.savepoint-dir", "")).startsWith("file:");
        assertThat(conf.getString("execution.checkpointing.unaligned.enabled", ""))
                .isEqualTo("true");
        assertThat(conf.getString("taskmanager.network.memory.buffer-debloat.enabled", ""))
                .isEqualTo("true");
        assertThat(conf.getString("metrics.reporter.prom.factory.class", ""))
                .isEqualTo("org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        assertThat(conf.getString("metrics.reporter.prom.port", "")).isEqualTo("9249-9250");
    }

    @Test
    void theLog4jFilesTheClusterScriptsNameExist() {
        for (String f :
                new String[] {
                    "log4j.properties", "log4j-cli.properties", "log4j-console.properties"
                }) {
            assertThat(CONF_DIR.resolve(f)).isRegularFile();
        }
    }
}
