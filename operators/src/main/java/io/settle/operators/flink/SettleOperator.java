package io.settle.operators.flink;

import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

import io.settle.operators.codec.EventCodec;
import io.settle.operators.core.ClockMode;
import io.settle.operators.core.Deduplication;
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
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Deduplication and settlement in one keyed operator, keyed by {@code settlementId}, with one state
 * value per settlement ({@link SettlementRecord}) and one event-time timer per settlement. Glue
 * only: what an event means is {@link Deduplication}'s and {@link SettlementMachine}'s.
 *
 * <p><b>One clock: the watermark.</b> A new event is accepted (or dropped as an exact copy, or
 * dead-lettered as a conflicting one) on arrival, then waits in the settlement's record until the
 * watermark passes its event time; when the watermark rises, every waiting event it passed applies
 * in apply order, and every tick (at-risk, deadline, expiry, orphan timeout, retention) it passed
 * fires between them at its instant. Which settlements have events waiting is an in-memory {@link
 * PendingIndex} (no timer per event), kept in operator state at each checkpoint. The settlement's
 * one timer stands at its next tick (or, once its state is gone, at the moment its event ids may be
 * forgotten). An event the watermark has already passed is late: it raises {@code LATE_EVENT} and
 * applies at once, after everything the watermark passed.
 *
 * <p>The watermark itself follows event time while records flow, and the wall clock (minus the
 * allowance) only while the source has caught up (the job's watermark strategy): so ticks fire on
 * time on a quiet stream, and never ahead of a backlog that holds earlier events.
 *
 * <p><b>Replay.</b> Every event waits until the input ends (one timer per settlement at the end of
 * time), then all apply in total apply order and the clock runs to {@code until}; a settlement
 * still open goes to {@link SettleOutputs#OPEN_BOOK}, and the key's state is cleared.
 */
public class SettleOperator extends AbstractStreamOperator<SettlementResult>
        implements OneInputStreamOperator<SettlementEvent, SettlementResult>,
                Triggerable<String, VoidNamespace> {
    private static final long serialVersionUID = 1L;

    /** The keyed state: one {@link SettlementRecord} per settlement. */
    public static final String STATE_SETTLEMENT = "settlement-record";

    /** The operator state: the pending index's entries (union list state, by key group). */
    public static final String STATE_PENDING_INDEX = "pending-index";

    /**
     * The operator state: settlements open in each subtask, for the {@code openSettlements} gauge.
     */
    public static final String STATE_OPEN_COUNT = "open-settlements";

    public static final String TIMERS = "settle-timers";

    /**
     * Records of settlements with events waiting that this subtask holds on the heap at most; past
     * it, a record with waiting events is written to state at once like any other.
     */
    static final int MAX_HELD = 100_000;

    /**
     * Records of settlements at their maximum of events ({@link SettlementConfig#maxEvents()}) kept
     * on the heap, most recently used first: a flood on one settlement is dead-lettered without
     * reading its (large) record from state for every event.
     */
    static final int MAX_AT_LIMIT = 64;

    /** The keyed state's descriptor: shared with the savepoint tools (inspect, migrate). */
    public static ValueStateDescriptor<SettlementRecord> recordDescriptor() {
        return new ValueStateDescriptor<>(STATE_SETTLEMENT, SettlementRecordSerializer.INSTANCE);
    }

    /**
     * The pending index, as checkpointed: (settlement id, event time of its earliest waiting
     * event), union state (each subtask keeps the entries of its own key groups on restore).
     */
    public static ListStateDescriptor<Tuple2<String, Long>> indexDescriptor() {
        return new ListStateDescriptor<>(
                STATE_PENDING_INDEX, Types.TUPLE(Types.STRING, Types.LONG));
    }

    public static ListStateDescriptor<Long> openCountDescriptor() {
        return new ListStateDescriptor<>(STATE_OPEN_COUNT, Types.LONG);
    }

    private final SettlementConfig config;
    private final int maxHeld;

    private transient SettlementMachine machine;
    private transient Deduplication dedup;
    private transient ValueState<SettlementRecord> records;
    private transient InternalTimerService<VoidNamespace> timers;
    private transient PendingIndex index;
    private transient ListState<Tuple2<String, Long>> indexState;
    private transient ListState<Long> openCountState;
    private transient SettleMetrics.OpenSettlements openSettlements;
    private transient SettleMetrics metrics;
    private transient Counter eventsIn;
    private transient Counter duplicatesDropped;
    private transient Counter conflictingDuplicates;
    private transient Counter lateEvents;
    private transient Counter eventsOverLimit;
    private transient Map<String, SettlementRecord> atLimit;
    private transient Counter leftOutAfterUntil;
    private transient Emitter emit;
    private transient Map<String, SettlementRecord> held;
    private transient Set<String> unsaved;
    private transient Instant until;
    private transient boolean lazyFingerprints;

    public SettleOperator(SettlementConfig config) {
        this(config, MAX_HELD);
    }

    /** With at most {@code maxHeld} records held on the heap (tests: the write-through path). */
    SettleOperator(SettlementConfig config, int maxHeld) {
        this.config = config;
        this.maxHeld = maxHeld;
    }

    private boolean replay() {
        return config.clockMode() == ClockMode.REPLAY;
    }

    /**
     * Where the replay clock stops: the option's instant, or the greatest valid event time the
     * reading subtasks reported ({@link ReplayClockEnd}), asked once, at the first decision.
     */
    private Instant until() throws java.io.IOException {
        if (until == null) {
            until =
                    config.untilFromInput()
                            ? ReplayClockEnd.read(getRuntimeContext())
                            : config.replayUntil();
        }
        return until;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        index = new PendingIndex();
        indexState = context.getOperatorStateStore().getUnionListState(indexDescriptor());
        openCountState = context.getOperatorStateStore().getListState(openCountDescriptor());
        openSettlements = new SettleMetrics.OpenSettlements();
        long open = 0;
        for (Long n : openCountState.get()) {
            open += n;
        }
        openSettlements.set(open);
        if (context.isRestored()) {
            // Every subtask reads every entry (union state): it keeps those of its own keys.
            var task = getRuntimeContext().getTaskInfo();
            for (Tuple2<String, Long> e : indexState.get()) {
                int owner =
                        KeyGroupRangeAssignment.assignKeyToParallelOperator(
                                e.f0,
                                task.getMaxNumberOfParallelSubtasks(),
                                task.getNumberOfParallelSubtasks());
                if (owner == task.getIndexOfThisSubtask()) {
                    index.add(e.f0, e.f1);
                }
            }
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        machine = new SettlementMachine(config);
        dedup = new Deduplication(new EventCodec(), config);
        records = getKeyedStateStore().getState(recordDescriptor());
        timers = getInternalTimerService(TIMERS, VoidNamespaceSerializer.INSTANCE, this);
        var group = getMetricGroup();
        eventsIn = group.counter("eventsDeduplicated");
        duplicatesDropped = group.counter("duplicatesDropped");
        conflictingDuplicates = group.counter("conflictingDuplicates");
        lateEvents = group.counter("lateEvents");
        eventsOverLimit = group.counter("eventsOverLimit");
        atLimit =
                new java.util.LinkedHashMap<>(16, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, SettlementRecord> e) {
                        return size() > MAX_AT_LIMIT;
                    }
                };
        leftOutAfterUntil = group.counter("eventsAfterUntil");
        metrics = new SettleMetrics(group, openSettlements);
        emit = new Emitter();
        held = new HashMap<>();
        unsaved = new HashSet<>();
        lazyFingerprints =
                replay()
                        && getKeyedStateBackend()
                                instanceof
                                org.apache.flink.streaming.api.operators.sorted.state
                                        .BatchExecutionKeyedStateBackend;
        group.gauge("heldRecords", () -> held.size());
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        // The held records that changed since the last checkpoint go to keyed state first: the
        // operator snapshots before its state backends do, so the checkpoint holds every
        // settlement as it is now.
        for (String key : unsaved) {
            setCurrentKey(key);
            records.update(held.get(key));
        }
        unsaved.clear();
        List<Tuple2<String, Long>> entries = new ArrayList<>(index.size());
        for (Map.Entry<String, Long> e : index.entries().entrySet()) {
            entries.add(Tuple2.of(e.getKey(), e.getValue()));
        }
        indexState.update(entries);
        openCountState.update(List.of(openSettlements.get()));
    }

    // ---------------------------------------------------------------------------------------
    // Events.

    @Override
    public void processElement(StreamRecord<SettlementEvent> element) throws Exception {
        SettlementEvent e = element.getValue();
        eventsIn.inc();
        if (replay() && e.getEventTime().isAfter(until())) {
            leftOutAfterUntil.inc();
            return;
        }
        String key = (String) getCurrentKey();
        SettlementRecord held = this.held.get(key);
        SettlementRecord rec = held != null ? held : atLimit.get(key);
        if (rec == null) {
            rec = read(key);
        }
        // On the batch runtime's heap state (a replay) nothing is serialized and every accepted
        // event waits in the record until its key ends: a fingerprint is needed only when a
        // second copy of an id arrives, so it is taken then, of both copies.
        byte[] fingerprint = lazyFingerprints ? null : dedup.fingerprint(e);
        int seen = rec.seenIndex(e.getEventId());
        if (seen >= 0) {
            if (fingerprint == null) {
                fingerprint = dedup.fingerprint(e);
            }
            if (rec.fingerprint(seen) == null) {
                rec.setFingerprint(seen, dedup.fingerprint(acceptedEvent(rec, e.getEventId())));
            }
            if (Arrays.equals(rec.fingerprint(seen), fingerprint)) {
                duplicatesDropped.inc();
            } else {
                conflictingDuplicates.inc();
                output.collect(
                        SettleOutputs.DEAD_LETTERS,
                        new StreamRecord<>(dedup.conflictingCopy(e), millis(e.getEventTime())));
                emit.alert(Deduplication.conflictAlert(e));
            }
            return;
        }
        if (rec.acceptedCount() >= config.maxEvents()) {
            // A flood on one settlement: bounded, dead-lettered, the record unchanged (and kept
            // on the heap until the clock next changes it, so the rest costs no state read).
            eventsOverLimit.inc();
            output.collect(
                    SettleOutputs.DEAD_LETTERS,
                    new StreamRecord<>(dedup.overLimit(e), millis(e.getEventTime())));
            if (held == null && !replay()) {
                atLimit.put(key, rec);
            }
            return;
        }
        rec.accept(e.getEventId(), fingerprint, dedup.rememberUntil(e));
        if (replay()) {
            rec.pending().add(e);
            save(rec);
            return;
        }
        // Late: passed by the watermark, or by the settlement's own clock, which a restore keeps
        // while the watermark starts again from nothing.
        long watermark = Math.max(timers.currentWatermark(), rec.clock());
        if (FlinkTime.floorMillis(e.getEventTime()) <= watermark) {
            lateEvents.inc();
            emit.alert(SettlementMachine.lateEvent(e, Instant.ofEpochMilli(watermark)));
            rec.setMachine(apply(rec.machine(), e));
            // The ticks the late event brings that the clock has passed (a late booking's
            // AT_RISK) fire now, before any later event, not at the next watermark.
            rec.setMachine(advance(rec.machine(), FlinkTime.watermarkInstant(watermark)));
            rec.advanceClock(watermark);
        } else {
            rec.pending().add(e);
            index.add(key, FlinkTime.floorMillis(e.getEventTime()));
        }
        keep(key, rec);
    }

    /** The accepted event of {@code eventId}, waiting in the record (replay: all of them wait). */
    private static SettlementEvent acceptedEvent(SettlementRecord rec, String eventId) {
        for (SettlementEvent p : rec.pending()) {
            if (p.getEventId().equals(eventId)) {
                return p;
            }
        }
        throw new IllegalStateException("accepted event " + eventId + " is not in its record");
    }

    // ---------------------------------------------------------------------------------------
    // The clock.

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        long watermark = mark.getTimestamp();
        if (!replay() && !index.isEmpty()) {
            for (String key : index.pollDue(watermark)) {
                setCurrentKey(key);
                atLimit.remove(key);
                SettlementRecord rec = held.get(key);
                if (rec == null) {
                    rec = read(key);
                }
                runClock(rec, watermark);
                if (!rec.pending().isEmpty()) {
                    index.add(key, rec.earliestPendingMillis()); // its later events wait on
                }
                keep(key, rec);
            }
        }
        super.processWatermark(mark); // fires the timers it passed, then forwards the watermark
    }

    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        atLimit.remove(timer.getKey()); // the clock changes it: read it afresh next time
        SettlementRecord rec = held.get(timer.getKey());
        if (rec == null) {
            rec = records.value();
            if (rec == null) {
                return;
            }
            bind(rec, timer.getKey());
        }
        rec.setTimer(SettlementRecord.NO_TIMER); // fired: gone from the timer service
        if (replay()) {
            replayToEnd(rec);
            return;
        }
        runClock(rec, timers.currentWatermark());
        if (!rec.pending().isEmpty()) {
            index.add(timer.getKey(), rec.earliestPendingMillis()); // restored without its index
        }
        keep(timer.getKey(), rec);
    }

    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {
        // no processing-time timers: every decision follows the watermark
    }

    /**
     * Everything the watermark passed, for one settlement: its waiting events in apply order with
     * the ticks between them, then the ticks up to the watermark; its ids forgotten once their time
     * is over and nothing else is left.
     */
    private void runClock(SettlementRecord rec, long watermark) {
        List<SettlementEvent> pending = rec.pending();
        if (!pending.isEmpty()) {
            List<SettlementEvent> due = new ArrayList<>(pending.size());
            List<SettlementEvent> later = new ArrayList<>(0);
            for (SettlementEvent e : pending) {
                (FlinkTime.floorMillis(e.getEventTime()) <= watermark ? due : later).add(e);
            }
            if (!due.isEmpty()) {
                due.sort(SettlementEvent.APPLY_ORDER);
                SettlementState state = rec.machine();
                for (SettlementEvent e : due) {
                    state = apply(state, e);
                }
                rec.setMachine(state);
                pending.clear();
                pending.addAll(later);
            }
        }
        rec.setMachine(advance(rec.machine(), FlinkTime.watermarkInstant(watermark)));
        rec.advanceClock(watermark);
        if (rec.machine() == null && pending.isEmpty() && rec.forgetAt() <= watermark) {
            rec.forgetIds();
        }
    }

    private void replayToEnd(SettlementRecord rec) throws Exception {
        List<SettlementEvent> events = new ArrayList<>(rec.pending());
        events.sort(SettlementEvent.APPLY_ORDER);
        SettlementState state = rec.machine();
        for (SettlementEvent e : events) {
            state = apply(state, e);
        }
        state = advance(state, until());
        OpenBookEntry open = SettlementMachine.openBookEntry(state);
        if (open != null) {
            output.collect(SettleOutputs.OPEN_BOOK, new StreamRecord<>(open));
        }
        if (isOpen(state)) {
            openSettlements.add(-1); // the job ends here: nothing stays open in this subtask
        }
        records.clear();
    }

    // ---------------------------------------------------------------------------------------
    // The record: read, bound to its key, saved with its one timer.

    private SettlementRecord read(String key) throws Exception {
        SettlementRecord rec = records.value();
        if (rec == null) {
            return new SettlementRecord();
        }
        bind(rec, key);
        return rec;
    }

    /** The key is not stored in the record: give it back to the machine and the events. */
    private static void bind(SettlementRecord rec, String key) {
        if (rec.machine() != null) {
            rec.machine().setSettlementId(key);
            for (SettlementEvent w : rec.machine().getWaiting()) {
                w.setSettlementId(key);
            }
        }
        for (SettlementEvent e : rec.pending()) {
            e.setSettlementId(key);
        }
    }

    /**
     * Live, a record with events waiting stays on the heap (up to {@link #MAX_HELD}) until they
     * apply: the watermark that applies them then finds it there, and it is written to state once,
     * when they have applied (or at a checkpoint before that), not once per event. Any other record
     * is saved at once. Either way its timer moves to where it is now wanted.
     */
    private void keep(String key, SettlementRecord rec) throws Exception {
        if (replay()
                || rec.pending().isEmpty()
                || (held.size() >= maxHeld && !held.containsKey(key))) {
            save(rec);
            if (!held.isEmpty()) {
                held.remove(key);
                unsaved.remove(key);
            }
            return;
        }
        retime(rec);
        held.put(key, rec);
        unsaved.add(key);
    }

    /** Stores the record and moves its timer to where it is now wanted; clears an empty one. */
    private void save(SettlementRecord rec) throws Exception {
        retime(rec);
        if (rec.isEmpty()) {
            records.clear();
        } else {
            records.update(rec);
        }
    }

    /** Moves the record's one timer to where it is now wanted. */
    private void retime(SettlementRecord rec) {
        long wanted = wantedTimer(rec);
        long registered = rec.timer();
        if (wanted != registered) {
            if (registered != SettlementRecord.NO_TIMER) {
                timers.deleteEventTimeTimer(VoidNamespace.INSTANCE, registered);
            }
            if (wanted != SettlementRecord.NO_TIMER) {
                timers.registerEventTimeTimer(VoidNamespace.INSTANCE, wanted);
            }
            rec.setTimer(wanted);
        }
    }

    /** Live: {@link #liveTimer}. Replay: the end of time, once per settlement. */
    private long wantedTimer(SettlementRecord rec) {
        if (rec.isEmpty()) {
            return SettlementRecord.NO_TIMER;
        }
        return replay() ? Long.MAX_VALUE : liveTimer(machine, rec);
    }

    /**
     * The one timer a live settlement keeps: the machine's next tick; with no machine state yet,
     * none (its first events wait in the pending index); with no tick left, the moment its ids may
     * be forgotten. Events waiting for the watermark never have a timer of their own: the pending
     * index applies them, so whoever writes a record with waiting events (a migration) writes its
     * index entry too ({@link #indexDescriptor}).
     */
    public static long liveTimer(SettlementMachine machine, SettlementRecord rec) {
        if (rec.isEmpty()) {
            return SettlementRecord.NO_TIMER;
        }
        Instant next = machine.nextTickInstant(rec.machine());
        if (next != null) {
            return FlinkTime.floorMillis(next);
        }
        if (!rec.pending().isEmpty()) {
            return SettlementRecord.NO_TIMER;
        }
        return rec.forgetAt();
    }

    // ---------------------------------------------------------------------------------------
    // The machine, counted.

    private SettlementState apply(SettlementState state, SettlementEvent e) {
        boolean wasBooked = state != null && state.isBooked();
        boolean wasOpen = isOpen(state);
        SettlementState after = machine.apply(state, e, emit);
        count(wasBooked, wasOpen, after);
        metrics.applied(e.getEventTime(), timers.currentProcessingTime());
        return after;
    }

    private SettlementState advance(SettlementState state, Instant now) {
        if (state == null) {
            return null;
        }
        boolean wasBooked = state.isBooked();
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

    private static long millis(Instant t) {
        return t == null ? Long.MIN_VALUE : FlinkTime.floorMillis(t);
    }

    /** The machine's outputs, stamped with their business instants. */
    private final class Emitter implements Outputs {
        @Override
        public void result(SettlementResult result) {
            metrics.result(result);
            output.collect(new StreamRecord<>(result, millis(result.getEndedAt())));
        }

        @Override
        public void alert(Alert alert) {
            metrics.alert(alert);
            output.collect(SettleOutputs.ALERTS, new StreamRecord<>(alert, millis(alert.getAt())));
        }
    }
}
