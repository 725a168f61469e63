package io.settle.operators.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A settlement still open when the replay clock stops, or in a savepoint (contract §3, "Open
 * book"). For {@code AWAITING_BOOKING} the booking's fields are null. A Flink POJO.
 */
public class OpenBookEntry {
    private String settlementId;
    private SettlementStatus status;
    private Instant bookedAt;
    private Instant deadline;
    private Integer legs;
    private int legsConfirmed;
    private int eventsApplied;
    private int eventsWaiting;
    private List<String> parties;
    private List<String> currencies;

    public OpenBookEntry() {}

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

    public Integer getLegs() {
        return legs;
    }

    public void setLegs(Integer legs) {
        this.legs = legs;
    }

    public int getLegsConfirmed() {
        return legsConfirmed;
    }

    public void setLegsConfirmed(int legsConfirmed) {
        this.legsConfirmed = legsConfirmed;
    }

    public int getEventsApplied() {
        return eventsApplied;
    }

    public void setEventsApplied(int eventsApplied) {
        this.eventsApplied = eventsApplied;
    }

    public int getEventsWaiting() {
        return eventsWaiting;
    }

    public void setEventsWaiting(int eventsWaiting) {
        this.eventsWaiting = eventsWaiting;
    }

    public List<String> getParties() {
        return parties;
    }

    public void setParties(List<String> parties) {
        this.parties = parties;
    }

    public List<String> getCurrencies() {
        return currencies;
    }

    public void setCurrencies(List<String> currencies) {
        this.currencies = currencies;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof OpenBookEntry)) {
            return false;
        }
        OpenBookEntry that = (OpenBookEntry) o;
        return legsConfirmed == that.legsConfirmed
                && eventsApplied == that.eventsApplied
                && eventsWaiting == that.eventsWaiting
                && Objects.equals(settlementId, that.settlementId)
                && status == that.status
                && Objects.equals(bookedAt, that.bookedAt)
                && Objects.equals(deadline, that.deadline)
                && Objects.equals(legs, that.legs)
                && Objects.equals(parties, that.parties)
                && Objects.equals(currencies, that.currencies);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                settlementId,
                status,
                bookedAt,
                deadline,
                legs,
                legsConfirmed,
                eventsApplied,
                eventsWaiting,
                parties,
                currencies);
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
                + legsConfirmed
                + "/"
                + legs
                + " applied="
                + eventsApplied
                + " waiting="
                + eventsWaiting
                + "}";
    }
}
