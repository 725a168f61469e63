package io.settle.operators.core;

import io.settle.operators.model.Leg;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/** A booked leg and whether a payment rail confirmed it. A Flink POJO, part of the state. */
public class LegState {
    private String legId;
    private String payer;
    private String payee;
    private String currency;
    private BigDecimal amount;

    /** The event that confirmed this leg; null while open. */
    private String confirmedBy;

    private Instant confirmedAt;

    public LegState() {}

    static LegState of(Leg leg) {
        LegState s = new LegState();
        s.legId = leg.getLegId();
        s.payer = leg.getPayer();
        s.payee = leg.getPayee();
        s.currency = leg.getCurrency();
        s.amount = leg.getAmount();
        return s;
    }

    public boolean confirmed() {
        return confirmedBy != null;
    }

    public String getLegId() {
        return legId;
    }

    public void setLegId(String legId) {
        this.legId = legId;
    }

    public String getPayer() {
        return payer;
    }

    public void setPayer(String payer) {
        this.payer = payer;
    }

    public String getPayee() {
        return payee;
    }

    public void setPayee(String payee) {
        this.payee = payee;
    }

    public String getCurrency() {
        return currency;
    }

    public void setCurrency(String currency) {
        this.currency = currency;
    }

    public BigDecimal getAmount() {
        return amount;
    }

    public void setAmount(BigDecimal amount) {
        this.amount = amount;
    }

    public String getConfirmedBy() {
        return confirmedBy;
    }

    public void setConfirmedBy(String confirmedBy) {
        this.confirmedBy = confirmedBy;
    }

    public Instant getConfirmedAt() {
        return confirmedAt;
    }

    public void setConfirmedAt(Instant confirmedAt) {
        this.confirmedAt = confirmedAt;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof LegState)) {
            return false;
        }
        LegState that = (LegState) o;
        return Objects.equals(legId, that.legId)
                && Objects.equals(payer, that.payer)
                && Objects.equals(payee, that.payee)
                && Objects.equals(currency, that.currency)
                && Objects.equals(amount, that.amount)
                && Objects.equals(confirmedBy, that.confirmedBy)
                && Objects.equals(confirmedAt, that.confirmedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(legId, payer, payee, currency, amount, confirmedBy, confirmedAt);
    }

    @Override
    public String toString() {
        return legId + (confirmed() ? "[confirmed by " + confirmedBy + "]" : "[open]");
    }
}
