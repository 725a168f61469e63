package io.settle.jobs;

import io.settle.operators.codec.DecodeResult;
import io.settle.operators.model.DeadLetter;
import io.settle.operators.model.SettlementEvent;

import java.util.Objects;

/** A record as the source decoded it: an event or a dead letter. A Flink POJO. */
public class Decoded {
    private SettlementEvent event;
    private DeadLetter deadLetter;

    public Decoded() {}

    public static Decoded of(DecodeResult r) {
        Decoded d = new Decoded();
        d.event = r.event();
        d.deadLetter = r.deadLetter();
        return d;
    }

    public SettlementEvent getEvent() {
        return event;
    }

    public void setEvent(SettlementEvent event) {
        this.event = event;
    }

    public DeadLetter getDeadLetter() {
        return deadLetter;
    }

    public void setDeadLetter(DeadLetter deadLetter) {
        this.deadLetter = deadLetter;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Decoded
                && Objects.equals(event, ((Decoded) o).event)
                && Objects.equals(deadLetter, ((Decoded) o).deadLetter);
    }

    @Override
    public int hashCode() {
        return Objects.hash(event, deadLetter);
    }

    @Override
    public String toString() {
        return event != null ? event.toString() : String.valueOf(deadLetter);
    }
}
