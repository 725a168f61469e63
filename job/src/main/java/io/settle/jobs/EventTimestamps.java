package io.settle.jobs;

import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;

import java.time.Duration;

/**
 * Event time for watermarks: an event's {@code eventTime}, but never further ahead of the wall
 * clock than {@code maxFutureSkew}, so one source with a wrong clock cannot push the watermark past
 * every other event. Dead letters do not move the watermark.
 */
final class EventTimestamps implements SerializableTimestampAssigner<Decoded> {
    private static final long serialVersionUID = 1L;
    private final long maxFutureSkewMillis;

    EventTimestamps(Duration maxFutureSkew) {
        this.maxFutureSkewMillis = maxFutureSkew.toMillis();
    }

    @Override
    public long extractTimestamp(Decoded d, long recordTimestamp) {
        if (d.getEvent() == null) {
            return Long.MIN_VALUE;
        }
        long t = d.getEvent().getEventTime().toEpochMilli();
        return Math.min(t, System.currentTimeMillis() + maxFutureSkewMillis);
    }
}
