package io.settle.jobs;

import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.runtime.execution.SuppressRestartsException;

import io.settle.cli.BadOptionException;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Map;

/**
 * Where a live job that restores no state starts reading the events topic ({@code --start-from}).
 * The Kafka source asks only on such a start: a job restored from a checkpoint or savepoint reads
 * on from the offsets in it. Without the option a start from nothing is refused: the job fails at
 * once, without restarting, with a message that names the option. A deployment deleted and applied
 * again, or a JobManager whose HA metadata is lost, would otherwise start from the group's
 * committed offsets and forget every open booking (or replay the topic's history live) in silence.
 */
final class StartFrom {
    private StartFrom() {}

    static final String USAGE = "earliest, latest, timestamp:<ISO-8601 instant> or group-offsets";

    /** The initializer of {@code value} (the option's text), or the refusal when it is null. */
    static OffsetsInitializer initializer(String value) {
        if (value == null) {
            return new Refuse();
        }
        switch (value) {
            case "earliest":
                return OffsetsInitializer.earliest();
            case "latest":
                return OffsetsInitializer.latest();
            case "group-offsets":
                return OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
            default:
                if (value.startsWith("timestamp:")) {
                    String instant = value.substring("timestamp:".length());
                    try {
                        return OffsetsInitializer.timestamp(Instant.parse(instant).toEpochMilli());
                    } catch (DateTimeParseException e) {
                        throw BadOptionException.of(
                                SettleOptions.START_FROM.key(),
                                "has an instant that is not ISO-8601 (like 2026-11-25T09:00:00Z): '"
                                        + instant
                                        + "'");
                    }
                }
                throw BadOptionException.of(
                        SettleOptions.START_FROM.key(),
                        "must be one of " + USAGE + ", got '" + value + "'");
        }
    }

    /** The message of a start refused for want of state and of {@code --start-from}. */
    static final String REFUSED =
            "Settle has no checkpoint or savepoint to restore and no '--start-from': it refuses to"
                    + " start from nothing (it would forget every open settlement, or read the"
                    + " topic's history as if live). Restore the job from its latest checkpoint or"
                    + " savepoint (docs/operations.md, 'Restore'); or, to start a new book, pass"
                    + " --start-from "
                    + USAGE
                    + ".";

    /**
     * Asked for offsets only on a start without state: refuses it. Failing with {@link
     * SuppressRestartsException} ends the job at once instead of restarting it onto the same
     * refusal. Out-of-range offsets of a restored job still reset to the earliest retained one.
     */
    static final class Refuse implements OffsetsInitializer {
        private static final long serialVersionUID = 1L;

        @Override
        public Map<TopicPartition, Long> getPartitionOffsets(
                Collection<TopicPartition> partitions,
                PartitionOffsetsRetriever partitionOffsetsRetriever) {
            throw new SuppressRestartsException(new IllegalStateException(REFUSED));
        }

        @Override
        public OffsetResetStrategy getAutoOffsetResetStrategy() {
            return OffsetResetStrategy.EARLIEST;
        }
    }
}
