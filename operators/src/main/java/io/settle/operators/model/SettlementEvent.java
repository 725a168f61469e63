package io.settle.operators.model;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A decoded, validated settlement event (contract §1). A Flink POJO, so its serializer can evolve.
 * Fields that the event's {@link #type} does not carry are null.
 *
 * <p>{@link #equals} is the contract's "same content": the parsed contract fields, amounts
 * numerically, instants as instants, legs as a set keyed by {@code legId} (the codec sorts them).
 * The {@link #origin} is where the copy came from, not content, and is left out.
 */
public class SettlementEvent {

    /** Apply order (contract §2): event time, then type rank, then event id. */
    public static final Comparator<SettlementEvent> APPLY_ORDER =
            Comparator.comparing(SettlementEvent::getEventTime)
                    .thenComparingInt(e -> e.getType().rank())
                    .thenComparing(SettlementEvent::getEventId);

    private String eventId;
    private EventType type;
    private String settlementId;
    private Instant eventTime;

    // OBLIGATION_BOOKED
    private List<Leg> legs;
    private Instant deadline;

    // LEG_CONFIRMED
    private String legId;
    private String currency;
    private BigDecimal amount;

    // SETTLEMENT_CANCELLED
    private String reason;

    private Origin origin;

    public SettlementEvent() {}

    public static SettlementEvent booked(
            String eventId,
            String settlementId,
            Instant eventTime,
            Instant deadline,
            List<Leg> legs) {
        SettlementEvent e = base(eventId, EventType.OBLIGATION_BOOKED, settlementId, eventTime);
        e.deadline = deadline;
        List<Leg> sorted = new ArrayList<>(legs);
        sorted.sort(Comparator.comparing(Leg::getLegId));
        e.legs = sorted;
        return e;
    }

    public static SettlementEvent confirmed(
            String eventId,
            String settlementId,
            Instant eventTime,
            String legId,
            String currency,
            BigDecimal amount) {
        SettlementEvent e = base(eventId, EventType.LEG_CONFIRMED, settlementId, eventTime);
        e.legId = legId;
        e.currency = currency;
        e.amount = amount;
        return e;
    }

    public static SettlementEvent cancelled(
            String eventId, String settlementId, Instant eventTime, String reason) {
        SettlementEvent e = base(eventId, EventType.SETTLEMENT_CANCELLED, settlementId, eventTime);
        e.reason = reason;
        return e;
    }

    private static SettlementEvent base(
            String eventId, EventType type, String settlementId, Instant eventTime) {
        SettlementEvent e = new SettlementEvent();
        e.eventId = eventId;
        e.type = type;
        e.settlementId = settlementId;
        e.eventTime = eventTime;
        return e;
    }

    /** The same event seen from another place. */
    public SettlementEvent withOrigin(Origin origin) {
        this.origin = origin;
        return this;
    }

    public String getEventId() {
        return eventId;
    }

    public void setEventId(String eventId) {
        this.eventId = eventId;
    }

    public EventType getType() {
        return type;
    }

    public void setType(EventType type) {
        this.type = type;
    }

    public String getSettlementId() {
        return settlementId;
    }

    public void setSettlementId(String settlementId) {
        this.settlementId = settlementId;
    }

    public Instant getEventTime() {
        return eventTime;
    }

    public void setEventTime(Instant eventTime) {
        this.eventTime = eventTime;
    }

    public List<Leg> getLegs() {
        return legs;
    }

    public void setLegs(List<Leg> legs) {
        this.legs = legs;
    }

    public Instant getDeadline() {
        return deadline;
    }

    public void setDeadline(Instant deadline) {
        this.deadline = deadline;
    }

    public String getLegId() {
        return legId;
    }

    public void setLegId(String legId) {
        this.legId = legId;
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

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public Origin getOrigin() {
        return origin;
    }

    public void setOrigin(Origin origin) {
        this.origin = origin;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SettlementEvent)) {
            return false;
        }
        SettlementEvent that = (SettlementEvent) o;
        return Objects.equals(eventId, that.eventId)
                && type == that.type
                && Objects.equals(settlementId, that.settlementId)
                && Objects.equals(eventTime, that.eventTime)
                && Objects.equals(legs, that.legs)
                && Objects.equals(deadline, that.deadline)
                && Objects.equals(legId, that.legId)
                && Objects.equals(currency, that.currency)
                && Money.equal(amount, that.amount)
                && Objects.equals(reason, that.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                eventId,
                type,
                settlementId,
                eventTime,
                legs,
                deadline,
                legId,
                currency,
                Money.hash(amount),
                reason);
    }

    @Override
    public String toString() {
        StringBuilder b =
                new StringBuilder()
                        .append(type)
                        .append('{')
                        .append(settlementId)
                        .append('/')
                        .append(eventId)
                        .append(" @")
                        .append(eventTime);
        if (legs != null) {
            b.append(" legs=").append(legs);
        }
        if (deadline != null) {
            b.append(" deadline=").append(deadline);
        }
        if (legId != null) {
            b.append(" leg=").append(legId).append(' ').append(amount).append(' ').append(currency);
        }
        if (reason != null) {
            b.append(" reason=").append(reason);
        }
        return b.append('}').toString();
    }
}
