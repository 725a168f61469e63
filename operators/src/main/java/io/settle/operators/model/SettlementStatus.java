package io.settle.operators.model;

/** Where a settlement is in its life. */
public enum SettlementStatus {
    /** Confirmations or cancellations arrived, the booking has not. */
    AWAITING_BOOKING,
    OPEN,
    SETTLED,
    CANCELLED,
    EXPIRED;

    public boolean ended() {
        return this == SETTLED || this == CANCELLED || this == EXPIRED;
    }
}
