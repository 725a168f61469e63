package io.settle.report;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One decoded output record, the fields a report uses, whatever its kind (a Flink POJO with public
 * fields). {@link #at} is the record's business instant the period filters on: a result's {@code
 * endedAt}, an alert's {@code at}, a dead letter's Kafka record time (none in replay); an open-book
 * entry has none. A record that could not be decoded has {@code readable} false and only its kind.
 */
public class ReportRecord {
    public OutputKind kind;
    public boolean readable;
    public boolean inPeriod;
    public String settlementId;

    /** resultId or alertId: what duplicates are recognised by. */
    public String id;

    /** Result: SETTLED, CANCELLED, EXPIRED; open book: OPEN, AWAITING_BOOKING. */
    public String status;

    /** Alert type. */
    public String type;

    public String severity;
    public Instant at;
    public Instant bookedAt;
    public Instant deadline;
    public boolean breached;
    public Integer legs;
    public Integer legsConfirmed;
    public Integer eventsWaiting;
    public List<String> parties;
    public List<String> currencies;

    /** Dead letter reason. */
    public String reason;

    public ReportRecord() {}

    static ReportRecord unreadable(OutputKind kind) {
        ReportRecord r = new ReportRecord();
        r.kind = kind;
        r.readable = false;
        return r;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ReportRecord)) {
            return false;
        }
        ReportRecord r = (ReportRecord) o;
        return readable == r.readable
                && inPeriod == r.inPeriod
                && breached == r.breached
                && kind == r.kind
                && Objects.equals(settlementId, r.settlementId)
                && Objects.equals(id, r.id)
                && Objects.equals(status, r.status)
                && Objects.equals(type, r.type)
                && Objects.equals(severity, r.severity)
                && Objects.equals(at, r.at)
                && Objects.equals(bookedAt, r.bookedAt)
                && Objects.equals(deadline, r.deadline)
                && Objects.equals(legs, r.legs)
                && Objects.equals(legsConfirmed, r.legsConfirmed)
                && Objects.equals(eventsWaiting, r.eventsWaiting)
                && Objects.equals(parties, r.parties)
                && Objects.equals(currencies, r.currencies)
                && Objects.equals(reason, r.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, settlementId, id, status, type, at, reason);
    }

    @Override
    public String toString() {
        return kind
                + (readable ? "" : " (unreadable)")
                + (inPeriod ? "" : " (outside the period)")
                + " "
                + (id != null ? id : settlementId != null ? settlementId : reason)
                + " at "
                + at;
    }
}
