package io.settle.operators.flink;

import java.time.Instant;

/** Instants to Flink's millisecond timestamps, rounding the safe way for each use. */
final class FlinkTime {
    private FlinkTime() {}

    /** The millisecond an instant falls in. */
    static long floorMillis(Instant t) {
        return t.toEpochMilli();
    }

    /** The first millisecond at or after an instant: a timer set there sees the instant passed. */
    static long ceilMillis(Instant t) {
        long ms = t.toEpochMilli();
        return t.getNano() % 1_000_000 == 0 ? ms : ms + 1;
    }

    /**
     * The last instant a watermark of {@code watermark} ms has passed: no event with a timestamp at
     * or below it (an instant before the next millisecond) can still come, so everything up to here
     * applies and every tick up to here fires.
     */
    static Instant watermarkInstant(long watermark) {
        return Instant.ofEpochMilli(watermark).plusNanos(999_999);
    }
}
