package io.settle.jobs;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.util.clock.RelativeClock;

import io.settle.operators.model.Origin;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The live job's one clock, for one Kafka partition (the source makes one per split): the watermark
 * follows event time while records flow, {@code allowance} behind the greatest event time seen, and
 * moves with the wall clock only while the partition has caught up, that is while its consumer has
 * read to the end and handed every record on ({@link KafkaProgress}): to the last time the broker
 * answered, minus the allowance. So a quiet stream still raises its deadline alerts on time, a
 * lagging or restarted job reads its backlog before any SLA tick fires, and while the broker does
 * not answer the clock waits for it.
 *
 * <p>A split that has not had a record since the job started does not know its partition's name.
 * Once every partition this JVM's consumers of the group read has caught up, so has it (its
 * partition is one of them), and it follows the wall clock with them, so a job restarted into a
 * quiet topic still raises its deadlines on time. Until then, once the source has been reading for
 * {@code idleness} without a record from it, it is marked idle, so it does not hold the others
 * back; both on the source's activity clock, which stops while the source is backpressured.
 */
final class CaughtUpWatermarks implements WatermarkGenerator<Decoded> {
    private final String group;
    private final long allowance;
    private final long idleness;
    private final RelativeClock activity;
    private final LongSupplier wallClock;

    private long maxTimestamp = Long.MIN_VALUE;
    private String topic;
    private int partition = -1;
    private long lastOffset = -1;
    private long emitted = Long.MIN_VALUE;
    private long quietSince;
    private boolean idle;

    CaughtUpWatermarks(
            String group,
            Duration allowance,
            Duration idleness,
            RelativeClock activity,
            LongSupplier wallClock) {
        this.group = group;
        this.allowance = allowance.toMillis();
        this.idleness = idleness.toMillis();
        this.activity = activity;
        this.wallClock = wallClock;
        this.quietSince = activity.relativeTimeMillis();
    }

    @Override
    public void onEvent(Decoded d, long timestamp, WatermarkOutput output) {
        Origin origin =
                d.getEvent() != null ? d.getEvent().getOrigin() : d.getDeadLetter().getOrigin();
        if (origin != null && origin.getPartition() != null && origin.getOffset() != null) {
            topic = origin.getTopic();
            partition = origin.getPartition();
            lastOffset = origin.getOffset();
        }
        if (timestamp > maxTimestamp) {
            maxTimestamp = timestamp; // dead letters carry Long.MIN_VALUE: they do not move it
        }
        if (idle) {
            idle = false;
            output.markActive();
        }
    }

    /** Activity time before an unnamed partition may be found caught up with the others. */
    static final long FIRST_FETCH_MILLIS = 1_000;

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        long now = wallClock.getAsLong();
        long watermark;
        if (partition < 0) {
            // No record since the job started: its partition is one of those this JVM's
            // consumers read; once they have all caught up, so has it, and it follows the wall
            // clock with them. Until then, after the idleness, it does not hold the others back.
            long reading = activity.relativeTimeMillis() - quietSince;
            long asOf =
                    reading >= FIRST_FETCH_MILLIS
                            ? KafkaProgress.allCaughtUpAsOf(group, now)
                            : Long.MIN_VALUE;
            if (asOf == Long.MIN_VALUE) {
                if (!idle && reading >= idleness) {
                    idle = true;
                    output.markIdle();
                }
                return;
            }
            if (idle) {
                idle = false;
                output.markActive();
            }
            watermark = asOf - allowance - 1;
        } else {
            KafkaProgress.emitted(group, topic, partition, lastOffset);
            watermark =
                    maxTimestamp == Long.MIN_VALUE ? Long.MIN_VALUE : maxTimestamp - allowance - 1;
            long asOf = KafkaProgress.caughtUpAsOf(group, topic, partition, now);
            if (asOf != Long.MIN_VALUE) {
                watermark = Math.max(watermark, asOf - allowance - 1);
            }
        }
        if (watermark > emitted) {
            emitted = watermark;
            output.emitWatermark(new Watermark(watermark));
        }
    }
}
