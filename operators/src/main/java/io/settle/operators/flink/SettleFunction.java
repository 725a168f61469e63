package io.settle.operators.flink;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import io.settle.operators.core.ClockMode;
import io.settle.operators.core.Outputs;
import io.settle.operators.core.SettlementConfig;
import io.settle.operators.core.SettlementMachine;
import io.settle.operators.core.SettlementState;
import io.settle.operators.model.Alert;
import io.settle.operators.model.OpenBookEntry;
import io.settle.operators.model.SettlementEvent;
import io.settle.operators.model.SettlementResult;
import io.settle.operators.model.SettlementStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Runs the settlement state machine for one {@code settlementId}: keeps events until the clock lets
 * them apply, applies them in apply order, and drives the SLA clock (contract §2). Glue only: every
 * decision is {@link SettlementMachine}'s.
 *
 * <p><b>Live.</b> An event waits in {@code pending} until the watermark passes its event time
 * (rounded up to 100 ms, so a burst shares a few timers), then applies with every other pending
 * event the watermark passed, in apply order. An event that arrives when the watermark has already
 * passed it applies at once and raises {@code LATE_EVENT}. A tick at instant T fires by a
 * processing-time timer at T + the allowed out-of-orderness, so alerts fire while no event flows;
 * pending events stamped at or before T apply first, so the tick sees them even when the watermark
 * has stalled. For the same reason a pending event also applies by the wall clock once both its
 * instant and its arrival are further back than the allowance: a quiet stream (whose watermark does
 * not move) still settles.
 *
 * <p><b>Replay.</b> Every event waits until the input ends (the final watermark), then all apply in
 * total apply order and the clock runs to {@code until}; a settlement still open then goes to the
 * {@link SettleOutputs#OPEN_BOOK} output, and the key's state is cleared.
 *
 * <p>State: the machine's {@code settlement}, the {@code pending} events, and the one live tick
 * timer registered ({@code tick-timer}). The machine's retention tick removes the settlement, after
 * which the function clears every piece of state for the key.
 */
public class SettleFunction extends KeyedProcessFunction<String, SettlementEvent, SettlementResult>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    public static final String STATE_SETTLEMENT = "settlement";
    public static final String STATE_PENDING = "pending-events";
    public static final String STATE_TICK_TIMER = "tick-timer";
    public static final String STATE_OPEN_COUNT = "open-settlements";

    private static final long END_OF_INPUT = Long.MAX_VALUE;

    private final SettlementConfig config;

    private transient SettlementMachine machine;
    // Replay: keys whose end-of-input timer is known to be registered (saves repeating it).
    private transient RecentKeys endOfInputTimers;
    // Live: tickTimer read through a cache of recently seen keys (saves reading it back).
    private transient CachedLongState tick;
    private transient ValueState<SettlementState> settlement;
    private transient ListState<SettlementEvent> pending;
    private transient ValueState<Long> tickTimer;
    private transient Counter lateEvents;
    private transient SettleMetrics metrics;
    // Built in initializeState (before open): a function is serialized into the job graph.
    private transient SettleMetrics.OpenSettlements openSettlements;
    private transient ListState<Long> openCount;
    private transient Counter leftOutAfterUntil;

    public SettleFunction(SettlementConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext openContext) {
        machine = new SettlementMachine(config);
        endOfInputTimers = new RecentKeys(16);
        settlement =
                getRuntimeContext()
                        .getState(
                                new ValueStateDescriptor<>(
                                        STATE_SETTLEMENT,
                                        TypeInformation.of(SettlementState.class)));
        pending =
                getRuntimeContext()
                        .getListState(
                                new ListStateDescriptor<>(
                                        STATE_PENDING, TypeInformation.of(SettlementEvent.class)));
        tickTimer =
                getRuntimeContext()
                        .getState(new ValueStateDescriptor<>(STATE_TICK_TIMER, Types.LONG));
        tick = new CachedLongState(tickTimer);
        if (openSettlements == null) {
            openSettlements = new SettleMetrics.OpenSettlements();
        }
        var group = getRuntimeContext().getMetricGroup();
        lateEvents = group.counter("lateEvents");
        leftOutAfterUntil = group.counter("eventsAfterUntil");
        metrics = new SettleMetrics(group, openSettlements);
    }

    @Override
    public void processElement(SettlementEvent e, Context ctx, Collector<SettlementResult> out)
            throws Exception {
        if (config.clockMode() == ClockMode.REPLAY) {
            if (e.getEventTime().isAfter(config.replayUntil())) {
                leftOutAfterUntil.inc();
                return;
            }
            pending.add(e);
            if (!endOfInputTimers.seenElseRemember(ctx.getCurrentKey())) {
                ctx.timerService().registerEventTimeTimer(END_OF_INPUT);
            }
            return;
        }
        long watermark = ctx.timerService().currentWatermark();
        if (FlinkTime.floorMillis(e.getEventTime()) <= watermark) {
            lateEvents.inc();
            Emitter emit = new Emitter(out, ctx);
            emit.alert(SettlementMachine.lateEvent(e, Instant.ofEpochMilli(watermark)));
            SettlementState state = apply(settlement.value(), e, emit);
            save(state, !pending.get().iterator().hasNext(), ctx);
            return;
        }
        pending.add(e);
        // Rounded up like the flush timers: events of a burst share a few timers, and each
        // firing applies every pending event the watermark has passed, so nothing changes but
        // the number of firings.
        ctx.timerService().registerEventTimeTimer(roundUp(FlinkTime.floorMillis(e.getEventTime())));
        // Should the watermark stall (a quiet stream), the wall clock applies it: once its own
        // instant, or its arrival, is further back than the allowance.
        long arrival = ctx.timerService().currentProcessingTime();
        long flushAt =
                Math.max(FlinkTime.ceilMillis(e.getEventTime()), arrival)
                        + config.maxOutOfOrderness().toMillis();
        ctx.timerService().registerProcessingTimeTimer(roundUp(flushAt));
    }

    /** Event-time and flush timers round up to this, so a burst of arrivals shares a few timers. */
    private static final long TIMER_GRANULARITY_MS = 100;

    private static long roundUp(long millis) {
        long r = millis % TIMER_GRANULARITY_MS;
        return r == 0 ? millis : millis + (TIMER_GRANULARITY_MS - r);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SettlementResult> out)
            throws Exception {
        Emitter emit = new Emitter(out, ctx);
        if (config.clockMode() == ClockMode.REPLAY) {
            replayToEnd(emit);
            return;
        }
        if (ctx.timeDomain() == TimeDomain.EVENT_TIME) {
            // The watermark passed these events: apply every one it passed, in apply order.
            long watermark = ctx.timerService().currentWatermark();
            Pending split = split(e -> FlinkTime.floorMillis(e.getEventTime()) <= watermark);
            if (split.due.isEmpty()) {
                return; // applied already by an earlier timer
            }
            SettlementState state = applyDue(settlement.value(), split, emit);
            save(state, split.later.isEmpty(), ctx);
            return;
        }
        // A tick or a flush: by the wall clock, everything up to W - allowance has arrived.
        // Events stamped up to that instant apply first (events before ticks), then the ticks.
        Instant now = Instant.ofEpochMilli(timestamp).minus(config.maxOutOfOrderness());
        Pending split = split(e -> !e.getEventTime().isAfter(now));
        Long registered = tick.value(ctx.getCurrentKey());
        boolean isTick = registered != null && registered == timestamp;
        if (!isTick && split.due.isEmpty()) {
            return; // a flush with nothing left to flush: the watermark applied it already
        }
        if (isTick) {
            tick.update(ctx.getCurrentKey(), null);
        }
        SettlementState state = settlement.value();
        if (!split.due.isEmpty()) {
            state = applyDue(state, split, emit);
        }
        state = advance(state, now, emit);
        save(state, split.later.isEmpty(), ctx);
    }

    /** The pending events, split into those {@code due} now and the rest. */
    private record Pending(List<SettlementEvent> due, List<SettlementEvent> later) {}

    private Pending split(Predicate<SettlementEvent> due) throws Exception {
        List<SettlementEvent> now = new ArrayList<>();
        List<SettlementEvent> later = new ArrayList<>();
        for (SettlementEvent e : pending.get()) {
            (due.test(e) ? now : later).add(e);
        }
        return new Pending(now, later);
    }

    /** Applies the due events in apply order and keeps the rest pending. */
    private SettlementState applyDue(SettlementState state, Pending split, Emitter emit)
            throws Exception {
        split.due.sort(SettlementEvent.APPLY_ORDER);
        for (SettlementEvent e : split.due) {
            state = apply(state, e, emit);
        }
        if (split.later.isEmpty()) {
            pending.clear();
        } else {
            pending.update(split.later);
        }
        return state;
    }

    private void replayToEnd(Emitter emit) throws Exception {
        List<SettlementEvent> events = new ArrayList<>();
        for (SettlementEvent e : pending.get()) {
            events.add(e);
        }
        events.sort(SettlementEvent.APPLY_ORDER);
        SettlementState state = settlement.value();
        for (SettlementEvent e : events) {
            state = apply(state, e, emit);
        }
        state = advance(state, config.replayUntil(), emit);
        OpenBookEntry open = SettlementMachine.openBookEntry(state);
        if (open != null) {
            emit.ctx.output(SettleOutputs.OPEN_BOOK, open);
        }
        if (isOpen(state)) {
            openSettlements.add(-1); // the job ends here: nothing stays open in this subtask
        }
        settlement.clear();
        pending.clear();
        tickTimer.clear();
    }

    private SettlementState apply(SettlementState state, SettlementEvent e, Emitter emit) {
        boolean wasBooked = state != null && state.isBooked();
        boolean wasOpen = isOpen(state);
        SettlementState after = machine.apply(state, e, emit);
        count(wasBooked, wasOpen, after);
        metrics.applied(e.getEventTime(), emit.ctx.timerService().currentProcessingTime());
        return after;
    }

    private SettlementState advance(SettlementState state, Instant now, Emitter emit) {
        boolean wasBooked = state != null && state.isBooked();
        boolean wasOpen = isOpen(state);
        SettlementState after = machine.advance(state, now, emit);
        count(wasBooked, wasOpen, after);
        return after;
    }

    private void count(boolean wasBooked, boolean wasOpen, SettlementState after) {
        if (!wasBooked && after != null && after.isBooked()) {
            metrics.opened();
        }
        boolean isOpen = isOpen(after);
        if (isOpen != wasOpen) {
            openSettlements.add(isOpen ? 1 : -1);
        }
    }

    private static boolean isOpen(SettlementState s) {
        return s != null && s.getStatus() == SettlementStatus.OPEN;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        openCount.update(List.of(openSettlements.get()));
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        openCount =
                context.getOperatorStateStore()
                        .getListState(new ListStateDescriptor<>(STATE_OPEN_COUNT, Types.LONG));
        openSettlements = new SettleMetrics.OpenSettlements();
        long total = 0;
        for (Long n : openCount.get()) {
            total += n;
        }
        openSettlements.set(total);
    }

    /** Stores the state and schedules its next tick; clears everything once it is empty. */
    private void save(SettlementState state, boolean nothingPending, Context ctx) throws Exception {
        if ((state == null || state.isEmpty()) && nothingPending) {
            settlement.clear();
            pending.clear();
            Long registered = tick.value(ctx.getCurrentKey());
            if (registered != null) {
                ctx.timerService().deleteProcessingTimeTimer(registered);
                tick.update(ctx.getCurrentKey(), null);
            }
            return;
        }
        if (state == null || state.isEmpty()) {
            settlement.clear();
        } else {
            settlement.update(state);
        }
        Instant next = machine.nextTickInstant(state);
        Long registered = tick.value(ctx.getCurrentKey());
        Long wanted =
                next == null ? null : FlinkTime.liveTickTime(next, config.maxOutOfOrderness());
        if (wanted == null ? registered == null : wanted.equals(registered)) {
            return;
        }
        if (registered != null) {
            ctx.timerService().deleteProcessingTimeTimer(registered);
        }
        tick.update(ctx.getCurrentKey(), wanted);
        if (wanted != null) {
            ctx.timerService().registerProcessingTimeTimer(wanted);
        }
    }

    /** The machine's outputs into Flink's collector and side output. */
    private final class Emitter implements Outputs {
        private final Collector<SettlementResult> out;
        private final Context ctx;

        Emitter(Collector<SettlementResult> out, Context ctx) {
            this.out = out;
            this.ctx = ctx;
        }

        @Override
        public void result(SettlementResult result) {
            metrics.result(result);
            out.collect(result);
        }

        @Override
        public void alert(Alert alert) {
            metrics.alert(alert);
            ctx.output(SettleOutputs.ALERTS, alert);
        }
    }
}
