package io.settle.operators.codec;

import io.settle.operators.model.DeadLetter;
import io.settle.operators.model.SettlementEvent;

/** What the codec made of one record: a valid event, or the dead letter saying why not. */
public final class DecodeResult {
    private final SettlementEvent event;
    private final DeadLetter deadLetter;

    private DecodeResult(SettlementEvent event, DeadLetter deadLetter) {
        this.event = event;
        this.deadLetter = deadLetter;
    }

    static DecodeResult valid(SettlementEvent event) {
        return new DecodeResult(event, null);
    }

    static DecodeResult rejected(DeadLetter deadLetter) {
        return new DecodeResult(null, deadLetter);
    }

    public boolean isValid() {
        return event != null;
    }

    /** The event; null when rejected. */
    public SettlementEvent event() {
        return event;
    }

    /** The dead letter; null when valid. */
    public DeadLetter deadLetter() {
        return deadLetter;
    }

    @Override
    public String toString() {
        return isValid() ? "valid " + event : "rejected " + deadLetter;
    }
}
