package io.settle.deploy;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every flinkConfiguration key of the base and the rendered overlays is a Flink 2.2 key (by
 * reflection over Flink's option classes), or an operator or S3 key from a documented allow-list,
 * and every value parses as its option's type.
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
}
