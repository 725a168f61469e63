package io.settle.operators.flink;

import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.streaming.api.operators.StreamingRuntimeContext;

import java.io.IOException;
import java.time.Instant;

/**
 * The replay clock's end when no {@code --until} gives it: the greatest valid event time of the
 * input, found while the job reads it (contract: "Replay clock"), with no first pass over the
 * input.
 *
 * <p>Each reading subtask reports the greatest event time it read when its input ends, to a global
 * aggregate kept by the JobManager ({@code updateGlobalAggregate}, a maximum, so a subtask that
 * runs again after a failure reports the same value again). The settle operator asks for the
 * maximum before it decides anything. That is right only because a replay runs on Flink's batch
 * runtime with blocking exchanges (the job sets both): the keyed stage starts after every reading
 * subtask has finished, so every report is in when the first settlement is decided.
 */
public final class ReplayClockEnd {
    private ReplayClockEnd() {}

    /** The global aggregate's name. */
    public static final String AGGREGATE = "settle-replay-clock-end";

    /** Nothing read yet: no valid event. */
    public static final long NONE = Long.MIN_VALUE;

    /** Reports a reading subtask's greatest valid event time (epoch millis, or {@link #NONE}). */
    public static void report(StreamingRuntimeContext context, long greatestMillis)
            throws IOException {
        context.getGlobalAggregateManager()
                .updateGlobalAggregate(AGGREGATE, greatestMillis, new Max());
    }

    /** The greatest event time every reading subtask reported; the epoch when none read one. */
    public static Instant read(StreamingRuntimeContext context) throws IOException {
        long max =
                context.getGlobalAggregateManager()
                        .<Long, Long, Long>updateGlobalAggregate(AGGREGATE, NONE, new Max());
        return max == NONE ? Instant.EPOCH : Instant.ofEpochMilli(max);
    }

    /** The maximum of the reported values. */
    static final class Max implements AggregateFunction<Long, Long, Long> {
        private static final long serialVersionUID = 1L;

        @Override
        public Long createAccumulator() {
            return NONE;
        }

        @Override
        public Long add(Long value, Long accumulator) {
            return Math.max(value, accumulator);
        }

        @Override
        public Long getResult(Long accumulator) {
            return accumulator;
        }

        @Override
        public Long merge(Long a, Long b) {
            return Math.max(a, b);
        }
    }
}
