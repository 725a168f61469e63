package io.settle.operators.model;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One leg of an obligation: {@code payer} pays {@code amount} of {@code currency} to {@code payee}.
 * A Flink POJO. The amount is held at the currency's scale (USD 2, JPY 0), so equal amounts are
 * equal objects.
 */
public class Leg {
    private String legId;
    private String payer;
    private String payee;
    private String currency;
    private BigDecimal amount;

    public Leg() {}

    public Leg(String legId, String payer, String payee, String currency, BigDecimal amount) {
        this.legId = legId;
        this.payer = payer;
        this.payee = payee;
        this.currency = currency;
        this.amount = amount;
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

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Leg)) {
            return false;
        }
        Leg leg = (Leg) o;
        return Objects.equals(legId, leg.legId)
                && Objects.equals(payer, leg.payer)
                && Objects.equals(payee, leg.payee)
                && Objects.equals(currency, leg.currency)
                && Money.equal(amount, leg.amount);
    }

    @Override
    public int hashCode() {
        return Objects.hash(legId, payer, payee, currency, Money.hash(amount));
    }

    @Override
    public String toString() {
        return legId + "{" + payer + "->" + payee + " " + amount + " " + currency + "}";
    }
}
