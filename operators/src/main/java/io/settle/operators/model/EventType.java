package io.settle.operators.model;

/** The three kinds of settlement event, in their apply-order rank (contract §2). */
public enum EventType {
    OBLIGATION_BOOKED,
    LEG_CONFIRMED,
    SETTLEMENT_CANCELLED;

    /** Rank in apply order at equal event times: booked before confirmed before cancelled. */
    public int rank() {
        return ordinal();
    }
}
