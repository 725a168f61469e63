package io.settle.deploy;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every flinkConfiguration key of the base and the rendered overlays is a Flink 2.2 key (by
 * reflection over Flink's option classes), or an operator or S3 key from a documented allow-list,
 * and every value parses as its option's type. The deployment runs the cluster flink-conf/
 * describes: every setting of flink-conf/config.yaml that is not about the machine is in every
 * deployment with an equal value.
 */
class FlinkConfigurationTest {

    private static final FlinkConfigKeys KEYS = FlinkConfigKeys.scan();

    @Test
    void everyKeyIsAFlink22KeyOrAllowedAndEveryValueParses() {
        List<String> problems = new ArrayList<>();
        Deployments.all()
                .forEach(
                        (name, d) ->
                                Deployments.conf(d)
                                        .forEach(
                                                (k, v) ->
                                                        KEYS.deploymentProblem(k, v)
                                                                .ifPresent(
                                                                        p ->
                                                                                problems.add(
                                                                                        name + ": "
                                                                                                + p))));
        assertThat(problems).isEmpty();
        assertThat(Deployments.conf(Deployments.base())).hasSizeGreaterThan(20);
    }

    @Test
    void theReflectionSeesFlinkCoreRocksDbAndReporterKeys() {
        assertThat(KEYS.size()).isGreaterThan(800);
        for (String key :
                List.of(
                        "execution.checkpointing.dir",
                        "execution.checkpointing.savepoint-dir",
                        "execution.checkpointing.incremental",
                        "state.backend.type",
                        "high-availability.type",
                        "state.backend.rocksdb.localdir",
                        "restart-strategy.exponential-delay.reset-backoff-threshold",
                        "metrics.reporter.prom.factory.class")) {
            assertThat(KEYS.isFlinkKey(key)).as(key).isTrue();
        }
    }

    @Test
    void flink1KeysAreRefusedWithTheirFlink2Names() {
        assertThat(KEYS.deploymentProblem("state.savepoints.dir", "s3://b/savepoints"))
                .hasValueSatisfying(
                        p -> assertThat(p).contains("execution.checkpointing.savepoint-dir"));
        assertThat(KEYS.deploymentProblem("state.checkpoints.dir", "s3://b/checkpoints"))
                .hasValueSatisfying(p -> assertThat(p).contains("execution.checkpointing.dir"));
        assertThat(KEYS.deploymentProblem("metrics.reporter.prom.class", "x")).isPresent();
        assertThat(KEYS.deploymentProblem("execution.checkpointing.intervall", "10 s")).isPresent();
    }

    @Test
    void valuesOfTheWrongTypeAreRefused() {
        assertThat(KEYS.deploymentProblem("execution.checkpointing.interval", "ten seconds"))
                .isPresent();
        assertThat(KEYS.deploymentProblem("execution.checkpointing.incremental", "yes please"))
                .isPresent();
        assertThat(KEYS.deploymentProblem("taskmanager.numberOfTaskSlots", "two")).isPresent();
        assertThat(KEYS.deploymentProblem("execution.checkpointing.interval", "10 s")).isEmpty();
    }

    @Test
    void autoscalerKeysAndTypesComeFromTheOperatorsReference() {
        assertThat(FlinkConfigKeys.AUTOSCALER_KEYS)
                .as("the 41 options of the operator 1.15.0 autoscaler reference")
                .hasSize(41)
                .containsKeys("job.autoscaler.enabled", "job.autoscaler.utilization.target");
        assertThat(KEYS.deploymentProblem("job.autoscaler.metrics.window", "5 min")).isEmpty();
        assertThat(KEYS.deploymentProblem("job.autoscaler.metrics.windows", "5 min")).isPresent();
        assertThat(KEYS.deploymentProblem("job.autoscaler.utilization.target", "most")).isPresent();
        assertThat(KEYS.deploymentProblem("job.autoscaler.vertex.max-parallelism", "32")).isEmpty();
        assertThat(KEYS.problem("job.autoscaler.enabled", "true"))
                .as("a deployment's key, not the cluster's")
                .isPresent();
        // The job's maximum parallelism caps what the autoscaler may choose.
        int max =
                Integer.parseInt(
                        Deployments.conf(Deployments.base())
                                .get("job.autoscaler.vertex.max-parallelism"));
        assertThat(max).isLessThanOrEqualTo(128);
    }

    @Test
    void operatorKeysComeOnlyFromTheDocumentedAllowList() {
        assertThat(
                        KEYS.deploymentProblem(
                                "kubernetes.operator.periodic.savepoint.intervall", "1 h"))
                .hasValueSatisfying(p -> assertThat(p).contains("allow-list"));
        assertThat(
                        KEYS.deploymentProblem(
                                "kubernetes.operator.savepoint.history.max.count", "lots"))
                .isPresent();
        assertThat(
                        KEYS.deploymentProblem(
                                "kubernetes.operator.periodic.savepoint.interval", "0 0 * * * ?"))
                .as("a Quartz cron expression")
                .isEmpty();
        for (Map.Entry<String, FlinkConfigKeys.Allowed> e :
                FlinkConfigKeys.OPERATOR_KEYS.entrySet()) {
            assertThat(e.getKey()).startsWith("kubernetes.operator.");
            assertThat(e.getValue().doc()).as(e.getKey()).isNotBlank();
        }
    }

    /**
     * Keys of flink-conf/config.yaml that describe the machine rather than how the cluster behaves:
     * where processes listen, folders, memory sizes, slots and default parallelism. A
     * FlinkDeployment has its own (the operator's services, the pods' resources, S3 buckets).
     */
    static final Set<String> MACHINE_SPECIFIC =
            Set.of(
                    "jobmanager.rpc.address",
                    "jobmanager.rpc.port",
                    "jobmanager.bind-host",
                    "taskmanager.bind-host",
                    "taskmanager.host",
                    "rest.address",
                    "rest.bind-address",
                    "rest.port",
                    "metrics.reporter.prom.port",
                    "jobmanager.memory.process.size",
                    "taskmanager.memory.process.size",
                    "taskmanager.numberOfTaskSlots",
                    "parallelism.default",
                    "execution.checkpointing.dir",
                    "execution.checkpointing.savepoint-dir");

    /** The cluster settings both must name, so that dropping one from both files fails too. */
    static final List<String> CLUSTER_SETTINGS =
            List.of(
                    "state.backend.type",
                    "execution.checkpointing.incremental",
                    "execution.checkpointing.num-retained",
                    "execution.checkpointing.externalized-checkpoint-retention",
                    "execution.checkpointing.unaligned.enabled",
                    "execution.checkpointing.aligned-checkpoint-timeout",
                    "taskmanager.network.memory.buffer-debloat.enabled",
                    "taskmanager.network.memory.buffer-debloat.target",
                    "restart-strategy.type",
                    "restart-strategy.exponential-delay.initial-backoff",
                    "restart-strategy.exponential-delay.max-backoff",
                    "restart-strategy.exponential-delay.backoff-multiplier",
                    "restart-strategy.exponential-delay.reset-backoff-threshold",
                    "restart-strategy.exponential-delay.jitter-factor",
                    "restart-strategy.exponential-delay.attempts-before-reset-backoff",
                    "execution.checkpointing.timeout",
                    "execution.checkpointing.tolerable-failed-checkpoints");

    static Map<String, String> flinkConf() throws Exception {
        return FlinkConfigKeys.flatten(
                Files.readString(Repo.ROOT.resolve("flink-conf/config.yaml")));
    }

    @Test
    void theDeploymentCarriesTheClusterSettingsOfFlinkConf() throws Exception {
        Map<String, String> flinkConf = flinkConf();
        assertThat(flinkConf).containsKeys(CLUSTER_SETTINGS.toArray(new String[0]));
        assertThat(flinkConf)
                .as("the machine-specific keys listed are in flink-conf")
                .containsKeys(MACHINE_SPECIFIC.toArray(new String[0]));
        List<String> differences = new ArrayList<>();
        Deployments.all()
                .forEach(
                        (name, d) -> {
                            Map<String, String> conf = Deployments.conf(d);
                            flinkConf.forEach(
                                    (key, value) -> {
                                        if (MACHINE_SPECIFIC.contains(key)) {
                                            return;
                                        }
                                        if (!conf.containsKey(key)) {
                                            differences.add(name + ": no " + key);
                                        } else if (!KEYS.value(key, conf.get(key))
                                                .equals(KEYS.value(key, value))) {
                                            differences.add(
                                                    name
                                                            + ": "
                                                            + key
                                                            + " is '"
                                                            + conf.get(key)
                                                            + "', flink-conf has '"
                                                            + value
                                                            + "'");
                                        }
                                    });
                        });
        assertThat(differences).isEmpty();
    }

    @Test
    void valuesAreComparedAsFlinkReadsThem() {
        assertThat(KEYS.value("execution.checkpointing.timeout", "5min"))
                .isEqualTo(KEYS.value("execution.checkpointing.timeout", "5 min"));
        assertThat(KEYS.value("restart-strategy.exponential-delay.backoff-multiplier", "2"))
                .isEqualTo(
                        KEYS.value("restart-strategy.exponential-delay.backoff-multiplier", "2.0"));
        assertThat(KEYS.value("execution.checkpointing.timeout", "5 min"))
                .isNotEqualTo(KEYS.value("execution.checkpointing.timeout", "10 min"));
    }

    @Test
    void genericTypesAreTheJobsToSet() throws Exception {
        // The job turns Kryo off itself (JobSettingsTest): a cluster setting could only disagree.
        assertThat(flinkConf()).doesNotContainKey("pipeline.generic-types");
        Deployments.all()
                .forEach(
                        (name, d) ->
                                assertThat(Deployments.conf(d))
                                        .as(name)
                                        .doesNotContainKey("pipeline.generic-types"));
    }
}
