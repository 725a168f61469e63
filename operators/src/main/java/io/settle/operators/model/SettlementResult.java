package io.settle.operators.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** One per settlement that ends (contract §3, "Results"). A Flink POJO. */
public class SettlementResult {
    private String resultId;
    private String settlementId;
    private SettlementStatus status;
    private Instant bookedAt;
    private Instant endedAt;
    private Instant deadline;
    private boolean breached;
    private int legs;
    private int eventsApplied;
    private List<String> parties;
    private List<String> currencies;

    public SettlementResult() {}

    public SettlementResult(
            String settlementId,
            SettlementStatus status,
            Instant bookedAt,
            Instant endedAt,
            Instant deadline,
            int legs,
            int eventsApplied,
            List<String> parties,
            List<String> currencies) {
        this.resultId = settlementId + ":" + status.name();
        this.settlementId = settlementId;
        this.status = status;
        this.bookedAt = bookedAt;
        this.endedAt = endedAt;
        this.deadline = deadline;
        this.breached = endedAt.isAfter(deadline);
        this.legs = legs;
        this.eventsApplied = eventsApplied;
        this.parties = parties;
        this.currencies = currencies;
    }

    public String getResultId() {
        return resultId;
    }

    public void setResultId(String resultId) {
        this.resultId = resultId;
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

    public Instant getBookedAt() {
        return bookedAt;
    }

    public void setBookedAt(Instant bookedAt) {
        this.bookedAt = bookedAt;
    }

    public Instant getEndedAt() {
        return endedAt;
    }

    public void setEndedAt(Instant endedAt) {
        this.endedAt = endedAt;
    }

    public Instant getDeadline() {
        return deadline;
    }

    public void setDeadline(Instant deadline) {
        this.deadline = deadline;
    }

    public boolean isBreached() {
        return breached;
    }

    public void setBreached(boolean breached) {
        this.breached = breached;
    }

    public int getLegs() {
        return legs;
    }

    public void setLegs(int legs) {
        this.legs = legs;
    }

    public int getEventsApplied() {
        return eventsApplied;
    }

    public void setEventsApplied(int eventsApplied) {
        this.eventsApplied = eventsApplied;
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
        if (!(o instanceof SettlementResult)) {
            return false;
        }
        SettlementResult that = (SettlementResult) o;
        return breached == that.breached
                && legs == that.legs
                && eventsApplied == that.eventsApplied
                && Objects.equals(resultId, that.resultId)
                && Objects.equals(settlementId, that.settlementId)
                && status == that.status
                && Objects.equals(bookedAt, that.bookedAt)
                && Objects.equals(endedAt, that.endedAt)
                && Objects.equals(deadline, that.deadline)
                && Objects.equals(parties, that.parties)
                && Objects.equals(currencies, that.currencies);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                resultId,
                settlementId,
                status,
                bookedAt,
                endedAt,
                deadline,
                breached,
                legs,
                eventsApplied,
                parties,
                currencies);
    }

    @Override
    public String toString() {
        return resultId
                + "{booked="
                + bookedAt
                + " ended="
                + endedAt
                + " deadline="
                + deadline
                + " breached="
                + breached
                + " legs="
                + legs
                + " events="
                + eventsApplied
                + " parties="
                + parties
                + " currencies="
                + currencies
                + "}";
    }
}
