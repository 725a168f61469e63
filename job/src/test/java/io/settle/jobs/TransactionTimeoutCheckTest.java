package io.settle.jobs;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;

import io.settle.testkit.Flink;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The start-up check that the Kafka transactions outlive what the cluster lets a checkpoint take.
 */
class TransactionTimeoutCheckTest {
    private static SettleOptions.Parsed live(String... extra) {
        String[] args = new String[extra.length + 2];
        args[0] = "--kafka.bootstrap-servers";
        args[1] = "localhost:9092";
        System.arraycopy(extra, 0, args, 2, extra.length);
        return SettleOptions.parse(args, Map.of());
    }

    @Test
    void theDefaultsFitFlinkConf() {
        Configuration cluster = Flink.conf(); // flink-conf/config.yaml, as the cluster has it
        // (2 s + 5 min) x (1 + 1) + 30 s backoff + 2 min to restore
        assertThat(TransactionTimeoutCheck.longestOpen(cluster, Duration.ofSeconds(2)))
                .isEqualTo(Duration.ofSeconds(2 * 302 + 30 + 120));
        TransactionTimeoutCheck.check(cluster, live());
    }

    @Test
    void aTimeoutShorterThanACheckpointMayKeepATransactionOpenIsRefusedNamingEveryOption() {
        Configuration cluster = Flink.conf();
        assertThatThrownBy(
                        () ->
                                TransactionTimeoutCheck.check(
                                        cluster, live("--kafka.transaction-timeout", "10 min")))
                .hasMessageContaining("kafka.transaction-timeout")
                .hasMessageContaining("execution.checkpointing.timeout")
                .hasMessageContaining("execution.checkpointing.tolerable-failed-checkpoints")
                .hasMessageContaining("transaction.max.timeout.ms");
        cluster.set(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, 5);
        assertThatThrownBy(() -> TransactionTimeoutCheck.check(cluster, live()))
                .hasMessageContaining("kafka.transaction-timeout");
    }
}
