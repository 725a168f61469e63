package io.settle.operators.core;

import io.settle.operators.model.SettlementEvent;
import io.settle.operators.model.SettlementStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the state machine knows about one settlement. A Flink POJO kept in keyed state, so
 * fields may be added (the POJO serializer evolves); never rename or retype one.
 *
 * <p>A state with no status and nothing waiting is empty: there is nothing to keep.
 */
public class SettlementState {
    private String settlementId;

    /** Null until the first event reaches the machine, and again once retention removes it. */
    private SettlementStatus status;

    private String bookingEventId;
    private Instant bookedAt;
    private Instant deadline;
    private List<LegState> legs = new ArrayList<>();
    private int eventsApplied;
    private boolean atRiskRaised;
    private boolean deadlineRaised;
    private Instant endedAt;

    /** Confirmations and cancellations waiting for their booking, in apply order. */
    private List<SettlementEvent> waiting = new ArrayList<>();

    /** Waiting events whose orphan timeout has already raised {@code ORPHAN_EVENT}. */
    private List<String> orphansRaised = new ArrayList<>();

    /** {@link #orphansRaised} as a set, built when first asked (not kept in state). */
    private transient Set<String> raisedSet;

    /** Every waiting event before this index has raised its orphan alert (not kept in state). */
    private transient int orphanScan;

    public SettlementState() {}

    public SettlementState(String settlementId) {
        this.settlementId = settlementId;
    }

    /** Retention is over: everything but the id goes, and the state is empty. */
    public void forget() {
        status = null;
        bookingEventId = null;
        bookedAt = null;
        deadline = null;
        legs = new ArrayList<>();
        eventsApplied = 0;
        atRiskRaised = false;
        deadlineRaised = false;
        endedAt = null;
        setWaiting(new ArrayList<>());
        setOrphansRaised(new ArrayList<>());
    }

    /**
     * Adds an event that waits for its booking, in apply order (event time first). The list stays
     * sorted, so its first event without an orphan alert is the next to time out: finding it is
     * amortised constant time, and a flood of waiting events costs linear time, not quadratic.
     */
    public void addWaiting(SettlementEvent e) {
        int at = Collections.binarySearch(waiting, e, SettlementEvent.APPLY_ORDER);
        at = at < 0 ? -at - 1 : at;
        waiting.add(at, e);
        orphanScan = Math.min(orphanScan, at);
    }

    /** The waiting event that raises the next orphan alert (the earliest without one), or null. */
    public SettlementEvent nextOrphan() {
        if (raisedSet == null) {
            raisedSet = new HashSet<>(orphansRaised);
        }
        while (orphanScan < waiting.size()
                && raisedSet.contains(waiting.get(orphanScan).getEventId())) {
            orphanScan++;
        }
        return orphanScan < waiting.size() ? waiting.get(orphanScan) : null;
    }

    /** Records that {@code e}, waiting, has raised its orphan alert. */
    public void orphanRaised(SettlementEvent e) {
        orphansRaised.add(e.getEventId());
        if (raisedSet != null) {
            raisedSet.add(e.getEventId());
        }
    }

    /** The latest event time among the waiting events, or null when none waits. */
    public Instant lastWaiting() {
        return waiting.isEmpty() ? null : waiting.get(waiting.size() - 1).getEventTime();
    }

    public boolean isEmpty() {
        return status == null && waiting.isEmpty();
    }

    public boolean isBooked() {
        return bookedAt != null;
    }

    public int legsConfirmed() {
        int n = 0;
        for (LegState leg : legs) {
            if (leg.confirmed()) {
                n++;
            }
        }
        return n;
    }

    public String getSettlementId() {
        return settlementId;
    }

    public void setSettlementId(String settlementId) {
        this.settlementId = settlementId;
    }

    public SettlementStatus getStatus() {
        return status;
    }

    public void setStatus(SettlementStatus status) {
        this.status = status;
    }

    public String getBookingEventId() {
        return bookingEventId;
    }

    public void setBookingEventId(String bookingEventId) {
        this.bookingEventId = bookingEventId;
    }

    public Instant getBookedAt() {
        return bookedAt;
    }

    public void setBookedAt(Instant bookedAt) {
        this.bookedAt = bookedAt;
    }

    public Instant getDeadline() {
        return deadline;
    }

    public void setDeadline(Instant deadline) {
        this.deadline = deadline;
    }

    public List<LegState> getLegs() {
        return legs;
    }

    public void setLegs(List<LegState> legs) {
        this.legs = legs;
    }

    public int getEventsApplied() {
        return eventsApplied;
    }

    public void setEventsApplied(int eventsApplied) {
        this.eventsApplied = eventsApplied;
    }

    public boolean isAtRiskRaised() {
        return atRiskRaised;
    }

    public void setAtRiskRaised(boolean atRiskRaised) {
        this.atRiskRaised = atRiskRaised;
    }

    public boolean isDeadlineRaised() {
        return deadlineRaised;
    }

    public void setDeadlineRaised(boolean deadlineRaised) {
        this.deadlineRaised = deadlineRaised;
    }

    public Instant getEndedAt() {
        return endedAt;
    }

    public void setEndedAt(Instant endedAt) {
        this.endedAt = endedAt;
    }

    public List<SettlementEvent> getWaiting() {
        return waiting;
    }

    public void setWaiting(List<SettlementEvent> waiting) {
        this.waiting = waiting;
        orphanScan = 0;
    }

    public List<String> getOrphansRaised() {
        return orphansRaised;
    }

    public void setOrphansRaised(List<String> orphansRaised) {
        this.orphansRaised = orphansRaised;
        raisedSet = null;
        orphanScan = 0;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SettlementState)) {
            return false;
        }
        SettlementState that = (SettlementState) o;
        return eventsApplied == that.eventsApplied
                && atRiskRaised == that.atRiskRaised
                && deadlineRaised == that.deadlineRaised
                && Objects.equals(settlementId, that.settlementId)
                && status == that.status
                && Objects.equals(bookingEventId, that.bookingEventId)
                && Objects.equals(bookedAt, that.bookedAt)
                && Objects.equals(deadline, that.deadline)
                && Objects.equals(legs, that.legs)
                && Objects.equals(endedAt, that.endedAt)
                && Objects.equals(waiting, that.waiting)
                && Objects.equals(orphansRaised, that.orphansRaised);
    }

    @Override
    public int hashCode() {
        return Objects.hash(settlementId, status, bookedAt, deadline, legs, eventsApplied, endedAt);
    }

    @Override
    public String toString() {
        return settlementId
                + "{"
                + status
                + " booked="
                + bookedAt
                + " deadline="
                + deadline
                + " legs="
                + legs
                + " applied="
                + eventsApplied
                + " ended="
                + endedAt
                + " waiting="
                + waiting.size()
                + "}";
    }
}
