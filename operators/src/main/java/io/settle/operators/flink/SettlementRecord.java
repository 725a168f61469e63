package io.settle.operators.flink;

import io.settle.operators.core.SettlementState;
import io.settle.operators.model.SettlementEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the settle operator keeps for one settlement, in one state value: the event ids it
 * accepted with their content fingerprints (deduplication) and when it may forget them, the state
 * machine's state, the events that wait for the watermark, and the one event-time timer registered
 * for the settlement. Written by {@link SettlementRecordSerializer}, whose format is versioned.
 *
 * <p>The settlement's id is the state's key and is not stored: {@link #machine()} gets it set when
 * the record is read.
 */
public final class SettlementRecord {
    /** {@link #timer()} when no timer is registered. */
    public static final long NO_TIMER = Long.MIN_VALUE;

    /** {@link #forgetAt()} when no event id is remembered. */
    public static final long NOTHING_REMEMBERED = Long.MIN_VALUE;

    /** {@link #clock()} of a settlement no watermark has advanced yet. */
    public static final long NO_CLOCK = Long.MIN_VALUE;

    private final List<String> seenIds;
    private final List<byte[]> seenFingerprints;
    private long forgetAt;
    private SettlementState machine;
    private final List<SettlementEvent> pending;
    private long timer;
    private long clock = NO_CLOCK;

    /** The accepted ids by position, built once there are many of them (not kept in state). */
    private Map<String, Integer> idIndex;

    /** Up to this many accepted ids, a lookup scans the list (cheaper than a map for a few). */
    private static final int SCAN_IDS = 16;

    public SettlementRecord() {
        this(
                new ArrayList<>(2),
                new ArrayList<>(2),
                NOTHING_REMEMBERED,
                null,
                new ArrayList<>(2),
                NO_TIMER);
    }

    SettlementRecord(
            List<String> seenIds,
            List<byte[]> seenFingerprints,
            long forgetAt,
            SettlementState machine,
            List<SettlementEvent> pending,
            long timer) {
        this.seenIds = seenIds;
        this.seenFingerprints = seenFingerprints;
        this.forgetAt = forgetAt;
        this.machine = machine;
        this.pending = pending;
        this.timer = timer;
    }

    // ---------------------------------------------------------------------------------------
    // Deduplication.

    /** The position of {@code eventId} among the accepted ids; -1 when it was not accepted. */
    public int seenIndex(String eventId) {
        if (seenIds.size() <= SCAN_IDS) {
            for (int i = 0; i < seenIds.size(); i++) {
                if (seenIds.get(i).equals(eventId)) {
                    return i;
                }
            }
            return -1;
        }
        if (idIndex == null) {
            idIndex = new HashMap<>(seenIds.size() * 2);
            for (int i = 0; i < seenIds.size(); i++) {
                idIndex.put(seenIds.get(i), i);
            }
        }
        Integer at = idIndex.get(eventId);
        return at == null ? -1 : at;
    }

    /** How many distinct event ids the settlement has accepted (and remembers). */
    public int acceptedCount() {
        return seenIds.size();
    }

    /** The content fingerprint of an accepted event; null when not taken yet (a replay's). */
    public byte[] fingerprint(int index) {
        return seenFingerprints.get(index);
    }

    public void setFingerprint(int index, byte[] fingerprint) {
        seenFingerprints.set(index, fingerprint);
    }

    /** Remembers an accepted event id until at least {@code rememberUntil}. */
    public void accept(String eventId, byte[] fingerprint, Instant rememberUntil) {
        if (idIndex != null) {
            idIndex.put(eventId, seenIds.size());
        }
        seenIds.add(eventId);
        seenFingerprints.add(fingerprint);
        long until = FlinkTime.ceilMillis(rememberUntil);
        if (until > forgetAt) {
            forgetAt = until;
        }
    }

    public List<String> seenIds() {
        return seenIds;
    }

    public List<byte[]> seenFingerprints() {
        return seenFingerprints;
    }

    /** The watermark (ms) from which the accepted ids may be forgotten. */
    public long forgetAt() {
        return forgetAt;
    }

    /** Sets when the ids may be forgotten (a migration carries an older format's horizon over). */
    public void setForgetAt(long forgetAt) {
        this.forgetAt = forgetAt;
    }

    /** Forgets every accepted id. */
    public void forgetIds() {
        seenIds.clear();
        seenFingerprints.clear();
        idIndex = null;
        forgetAt = NOTHING_REMEMBERED;
    }

    // ---------------------------------------------------------------------------------------
    // The machine and the events that wait for the watermark.

    /** The state machine's state; null before the first event applies and after retention. */
    public SettlementState machine() {
        return machine;
    }

    public void setMachine(SettlementState machine) {
        this.machine = machine == null || machine.isEmpty() ? null : machine;
    }

    /** Accepted events the watermark has not passed yet, in arrival order. */
    public List<SettlementEvent> pending() {
        return pending;
    }

    /** The millisecond of the earliest pending event; {@link Long#MAX_VALUE} when none waits. */
    public long earliestPendingMillis() {
        long min = Long.MAX_VALUE;
        for (SettlementEvent e : pending) {
            min = Math.min(min, FlinkTime.floorMillis(e.getEventTime()));
        }
        return min;
    }

    // ---------------------------------------------------------------------------------------
    // The timer.

    /** The event-time timer registered for this settlement; {@link #NO_TIMER} when none. */
    public long timer() {
        return timer;
    }

    public void setTimer(long timer) {
        this.timer = timer;
    }

    // ---------------------------------------------------------------------------------------
    // The settlement's clock.

    /**
     * The watermark this settlement was last advanced to (every event and tick up to it applied and
     * fired); {@link #NO_CLOCK} when none. Kept in state, so a job restored from a checkpoint or
     * savepoint, whose watermark starts again from nothing, still finds an event late that the
     * settlement's clock has passed.
     */
    public long clock() {
        return clock;
    }

    /** Moves the clock to {@code watermark}; never back. */
    public void advanceClock(long watermark) {
        if (watermark > clock) {
            clock = watermark;
        }
    }

    /** Nothing left to keep: no machine state, no pending event, no id to remember. */
    public boolean isEmpty() {
        return machine == null && pending.isEmpty() && seenIds.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SettlementRecord)) {
            return false;
        }
        SettlementRecord r = (SettlementRecord) o;
        if (seenFingerprints.size() != r.seenFingerprints.size()) {
            return false;
        }
        for (int i = 0; i < seenFingerprints.size(); i++) {
            if (!Arrays.equals(seenFingerprints.get(i), r.seenFingerprints.get(i))) {
                return false;
            }
        }
        return forgetAt == r.forgetAt
                && timer == r.timer
                && clock == r.clock
                && seenIds.equals(r.seenIds)
                && Objects.equals(machine, r.machine)
                && pending.equals(r.pending);
    }

    @Override
    public int hashCode() {
        return Objects.hash(seenIds, forgetAt, machine, pending, timer, clock);
    }

    @Override
    public String toString() {
        return "SettlementRecord{seen="
                + seenIds
                + " forgetAt="
                + forgetAt
                + " machine="
                + machine
                + " pending="
                + pending.size()
                + " timer="
                + timer
                + " clock="
                + clock
                + "}";
    }
}
