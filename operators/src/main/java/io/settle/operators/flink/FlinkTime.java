package io.settle.operators.flink;

import java.time.Duration;
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

    /** The wall-clock time at which a tick at {@code instant} fires in live mode. */
    static long liveTickTime(Instant instant, Duration allowance) {
        return ceilMillis(instant) + allowance.toMillis();
    }
}
