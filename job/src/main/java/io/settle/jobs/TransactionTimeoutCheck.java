package io.settle.jobs;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.util.TimeUtils;

import io.settle.cli.BadOptionException;

import java.time.Duration;

/**
 * The exactly-once sinks' Kafka transactions must outlive every way a checkpoint can keep one open:
 * a transaction opens after one checkpoint and commits when the next completes, each checkpoint may
 * take up to {@code execution.checkpointing.timeout}, {@code
 * execution.checkpointing.tolerable-failed-checkpoints} of them may fail in a row before the job
 * restarts, and a restart waits out its backoff and restores state before the committer commits
 * what the last checkpoint holds. A broker that times a transaction out aborts it, and the
 * committer then drops it (results lost, one ERROR line): so the job refuses to start unless {@code
 * --kafka.transaction-timeout} is longer than
 *
 * <pre>
 * (checkpoint interval + checkpoint timeout) x (tolerable failed checkpoints + 1)
 *     + restart backoff (its maximum) + {@link #RESTORE} to restore state
 * </pre>
 */
final class TransactionTimeoutCheck {
    private TransactionTimeoutCheck() {}

    /** What the check allows a restarted job to restore its state and commit. */
    static final Duration RESTORE = Duration.ofMinutes(2);

    /** The longest a transaction may stay open, from the cluster's settings and the job's. */
    static Duration longestOpen(ReadableConfig cluster, Duration checkpointInterval) {
        Duration checkpointTimeout = cluster.get(CheckpointingOptions.CHECKPOINTING_TIMEOUT);
        return checkpointInterval
                .plus(checkpointTimeout)
                .multipliedBy(tolerableFailures(cluster) + 1L)
                .plus(restartBackoff(cluster))
                .plus(RESTORE);
    }

    private static int tolerableFailures(ReadableConfig cluster) {
        return cluster.getOptional(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER).orElse(0);
    }

    /** The longest a restart waits before it restores: its strategy's (maximum) delay. */
    static Duration restartBackoff(ReadableConfig cluster) {
        String type = cluster.getOptional(RestartStrategyOptions.RESTART_STRATEGY).orElse("");
        switch (type) {
            case "fixed-delay":
            case "fixeddelay":
                return cluster.get(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY);
            case "failure-rate":
            case "failurerate":
                return cluster.get(RestartStrategyOptions.RESTART_STRATEGY_FAILURE_RATE_DELAY);
            default:
                // exponential-delay, Flink's default with checkpointing on
                return cluster.get(
                        RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF);
        }
    }

    private static String fmt(Duration d) {
        return TimeUtils.formatWithHighestUnit(d);
    }

    /** Fails fast, naming the options, when the transaction timeout is not long enough. */
    static void check(ReadableConfig cluster, SettleOptions.Parsed options) {
        Duration timeout = options.get(SettleOptions.TRANSACTION_TIMEOUT);
        Duration interval = options.get(SettleOptions.CHECKPOINT_INTERVAL);
        Duration needed = longestOpen(cluster, interval);
        if (timeout.compareTo(needed) <= 0) {
            throw BadOptionException.of(
                    SettleOptions.TRANSACTION_TIMEOUT.key(),
                    "("
                            + fmt(timeout)
                            + ") must be longer than a transaction may stay open: ("
                            + "'--checkpoint.interval' "
                            + fmt(interval)
                            + " + execution.checkpointing.timeout "
                            + fmt(cluster.get(CheckpointingOptions.CHECKPOINTING_TIMEOUT))
                            + ") x (execution.checkpointing.tolerable-failed-checkpoints "
                            + tolerableFailures(cluster)
                            + " + 1) + the restart backoff "
                            + fmt(restartBackoff(cluster))
                            + " + "
                            + fmt(RESTORE)
                            + " to restore = "
                            + fmt(needed)
                            + ". A transaction the broker times out is aborted and its results are"
                            + " lost: raise '--kafka.transaction-timeout' (and the brokers'"
                            + " transaction.max.timeout.ms) or lower the cluster's settings.");
        }
    }
}
