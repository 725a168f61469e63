package io.settle.jobs;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

import java.time.Instant;

/**
 * The replay clock's default end (contract §2, "Replay clock"): the greatest {@code eventTime}
 * among the valid events of the input, found by a small bounded job over the same files before the
 * replay itself runs.
 */
public final class ReplayClock {
    private ReplayClock() {}

    /** The greatest valid event time of the input; null when it holds no valid event. */
    public static Instant greatestEventTime(String input, int parallelism) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        if (parallelism > 0) {
            env.setParallelism(parallelism);
        }
        Instant max = null;
        try (CloseableIterator<Instant> it =
                env.fromSource(
                                FileIo.source(input),
                                WatermarkStrategy.noWatermarks(),
                                "Files: " + input)
                        .filter(d -> d.getEvent() != null)
                        .map(d -> d.getEvent().getEventTime())
                        .returns(Types.INSTANT)
                        .keyBy(t -> 0, Types.INT)
                        .reduce((a, b) -> a.isAfter(b) ? a : b)
                        .executeAndCollect("Settle replay: find the clock's end")) {
            while (it.hasNext()) {
                Instant t = it.next();
                if (max == null || t.isAfter(max)) {
                    max = t;
                }
            }
        }
        return max;
    }
}
