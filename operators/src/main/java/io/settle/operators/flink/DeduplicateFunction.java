package io.settle.operators.flink;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import io.settle.operators.codec.EventCodec;
import io.settle.operators.core.ClockMode;
import io.settle.operators.core.Deduplication;
import io.settle.operators.core.SettlementConfig;
import io.settle.operators.model.SettlementEvent;

import java.time.Instant;
import java.util.Arrays;

/**
 * Drops exact duplicates by ({@code settlementId}, {@code eventId}) and dead-letters conflicting
 * copies (contract §2, "Duplicates"). Keyed by {@code settlementId}.
 *
 * <p>State: the content fingerprint of every accepted event id, and the time it may be forgotten.
 * Live, a processing-time cleanup timer fires at {@link Deduplication#rememberUntil} (of the
 * latest-lived event) plus the allowed out-of-orderness, the wall-clock time at which the
 * settlement's own state is gone too. In replay, one event-time timer per key at the end of input
 * clears it.
 */
public class DeduplicateFunction
        extends KeyedProcessFunction<String, SettlementEvent, SettlementEvent> {
    private static final long serialVersionUID = 1L;

    public static final String STATE_SEEN = "dedup-seen";
    public static final String STATE_CLEANUP_AT = "dedup-cleanup-at";

    private final SettlementConfig config;

    private transient MapState<String, byte[]> seen;
    private transient ValueState<Long> cleanupAt;
    private transient Deduplication dedup;
    private transient RecentKeys endOfInputTimers;
    // Live: cleanupAt read through a cache of recently seen keys (saves reading it back).
    private transient CachedLongState cleanup;
    private transient Counter eventsIn;
    private transient Counter duplicatesDropped;
    private transient Counter conflictingDuplicates;

    public DeduplicateFunction(SettlementConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext openContext) {
        seen =
                getRuntimeContext()
                        .getMapState(
                                new MapStateDescriptor<>(
                                        STATE_SEEN,
                                        Types.STRING,
                                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        cleanupAt =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>(STATE_CLEANUP_AT, Types.LONG));
        dedup = new Deduplication(new EventCodec(), config);
        endOfInputTimers = new RecentKeys(16);
        cleanup = new CachedLongState(cleanupAt);
        var metrics = getRuntimeContext().getMetricGroup();
        eventsIn = metrics.counter("eventsDeduplicated");
        duplicatesDropped = metrics.counter("duplicatesDropped");
        conflictingDuplicates = metrics.counter("conflictingDuplicates");
    }

    @Override
    public void processElement(SettlementEvent e, Context ctx, Collector<SettlementEvent> out)
            throws Exception {
        eventsIn.inc();
        byte[] fingerprint = dedup.fingerprint(e);
        byte[] accepted = seen.get(e.getEventId());
        if (accepted == null) {
            seen.put(e.getEventId(), fingerprint);
            scheduleCleanup(dedup.rememberUntil(e), ctx);
            out.collect(e);
        } else if (Arrays.equals(accepted, fingerprint)) {
            duplicatesDropped.inc();
        } else {
            conflictingDuplicates.inc();
            ctx.output(SettleOutputs.DEAD_LETTERS, dedup.conflictingCopy(e));
            ctx.output(SettleOutputs.ALERTS, Deduplication.conflictAlert(e));
        }
    }

    private void scheduleCleanup(Instant rememberUntil, Context ctx) throws Exception {
        if (config.clockMode() == ClockMode.REPLAY) {
            // One end-of-input timer per key (registering it again is a no-op, only slower).
            if (!endOfInputTimers.seenElseRemember(ctx.getCurrentKey())) {
                ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
            }
            return;
        }
        long at = FlinkTime.liveTickTime(rememberUntil, config.maxOutOfOrderness());
        String key = ctx.getCurrentKey();
        Long current = cleanup.value(key);
        if (current == null || at > current) {
            if (current != null) {
                ctx.timerService().deleteProcessingTimeTimer(current);
            }
            cleanup.update(key, at);
            ctx.timerService().registerProcessingTimeTimer(at);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SettlementEvent> out)
            throws Exception {
        if (config.clockMode() == ClockMode.REPLAY) {
            seen.clear(); // the end of input
            cleanupAt.clear();
            return;
        }
        Long current = cleanup.value(ctx.getCurrentKey());
        if (current != null && current == timestamp) {
            seen.clear();
            cleanup.update(ctx.getCurrentKey(), null);
        }
    }
}
