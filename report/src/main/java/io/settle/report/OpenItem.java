package io.settle.report;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A settlement still open at the end of the period, with how it stands ({@link #state}): {@code
 * DEADLINE_MISSED}, {@code AT_RISK}, {@code AWAITING_BOOKING} or {@code ON_TRACK}. From the open
 * book in replay; from its AT_RISK or DEADLINE_MISSED alert in Kafka mode, where booking fields are
 * only known if its result came after the period. A Flink POJO with public fields.
 */
public class OpenItem {
    public static final String DEADLINE_MISSED = "DEADLINE_MISSED";
    public static final String AT_RISK = "AT_RISK";
    public static final String AWAITING_BOOKING = "AWAITING_BOOKING";
    public static final String ON_TRACK = "ON_TRACK";

    /** States, most urgent first. */
    public static final List<String> STATES =
            List.of(DEADLINE_MISSED, AT_RISK, AWAITING_BOOKING, ON_TRACK);

    public String settlementId;
    public String state;

    /** The open book's status (OPEN, AWAITING_BOOKING); null in Kafka mode. */
    public String status;

    public Instant bookedAt;
    public Instant deadline;
    public Integer legs;
    public Integer legsConfirmed;
    public Integer eventsWaiting;
    public List<String> parties;
    public List<String> currencies;

    /** The settlement's latest AT_RISK or DEADLINE_MISSED alert, if any. */
    public String lastAlert;

    public Instant lastAlertAt;

    public OpenItem() {}

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof OpenItem)) {
            return false;
        }
        OpenItem i = (OpenItem) o;
        return Objects.equals(settlementId, i.settlementId)
                && Objects.equals(state, i.state)
                && Objects.equals(status, i.status)
                && Objects.equals(bookedAt, i.bookedAt)
                && Objects.equals(deadline, i.deadline)
                && Objects.equals(legs, i.legs)
                && Objects.equals(legsConfirmed, i.legsConfirmed)
                && Objects.equals(eventsWaiting, i.eventsWaiting)
                && Objects.equals(parties, i.parties)
                && Objects.equals(currencies, i.currencies)
                && Objects.equals(lastAlert, i.lastAlert)
                && Objects.equals(lastAlertAt, i.lastAlertAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(settlementId, state);
    }

    @Override
    public String toString() {
        return settlementId + " " + state;
    }
}
