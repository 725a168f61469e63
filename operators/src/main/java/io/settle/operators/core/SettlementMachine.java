package io.settle.operators.core;

import io.settle.operators.model.Alert;
import io.settle.operators.model.AlertType;
import io.settle.operators.model.Leg;
import io.settle.operators.model.OpenBookEntry;
import io.settle.operators.model.SettlementEvent;
import io.settle.operators.model.SettlementResult;
import io.settle.operators.model.SettlementStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The settlement state machine of contract §2, as plain Java: no Flink type in sight.
 *
 * <p>It is fed one settlement's distinct events in apply order ({@link #apply}) and its clock
 * ({@link #advance}); ticks (orphan timeout, at-risk, deadline, expiry, retention) are derived from
 * the state, so there is no separate timer list to keep in step. {@link #apply} first fires every
 * tick due strictly before the event (at equal instants events come before ticks), {@link #advance}
 * fires every tick due at or before the instant.
 *
 * <p>The state is changed in place and returned; after retention it comes back empty ({@link
 * SettlementState#isEmpty()}), and the caller drops it.
 */
public final class SettlementMachine {

    /** The kinds of tick, in their order at equal instants. */
    enum TickKind {
        ORPHAN,
        AT_RISK,
        DEADLINE,
        EXPIRY,
        REMOVE
    }

    /** A tick due at {@code instant}; {@code waiting} is the waiting event of an orphan tick. */
    record Tick(Instant instant, TickKind kind, SettlementEvent waiting) {
        boolean before(Tick other) {
            int c = instant.compareTo(other.instant);
            return c < 0 || (c == 0 && kind.ordinal() < other.kind.ordinal());
        }
    }

    private final SettlementConfig config;

    public SettlementMachine(SettlementConfig config) {
        this.config = config;
    }

    public SettlementConfig config() {
        return config;
    }

    /** Applies one distinct event, after the ticks due strictly before its event time. */
    public SettlementState apply(SettlementState state, SettlementEvent event, Outputs out) {
        if (state == null) {
            state = new SettlementState(event.getSettlementId());
        }
        fireTicks(state, event.getEventTime(), false, out);
        applyNow(state, event, out);
        return state;
    }

    /** Fires every tick due at or before {@code now}. */
    public SettlementState advance(SettlementState state, Instant now, Outputs out) {
        if (state != null) {
            fireTicks(state, now, true, out);
        }
        return state;
    }

    /** The instant of the next tick, or null when nothing more is due (an empty state). */
    public Instant nextTickInstant(SettlementState state) {
        if (state == null) {
            return null;
        }
        Tick t = nextTick(state);
        return t == null ? null : t.instant();
    }

    /** The {@code LATE_EVENT} alert for an event that arrived after the watermark passed it. */
    public static Alert lateEvent(SettlementEvent e, Instant watermark) {
        return Alert.of(
                AlertType.LATE_EVENT,
                e.getSettlementId(),
                e.getEventId(),
                e.getEventTime(),
                e.getType()
                        + " "
                        + e.getEventId()
                        + " arrived after the watermark passed its event time (watermark "
                        + watermark
                        + "); applied on arrival");
    }

    /** The open-book entry of a settlement still open or awaiting its booking; null otherwise. */
    public static OpenBookEntry openBookEntry(SettlementState s) {
        if (s == null || s.getStatus() == null) {
            return null;
        }
        OpenBookEntry o = new OpenBookEntry();
        o.setSettlementId(s.getSettlementId());
        o.setStatus(s.getStatus());
        switch (s.getStatus()) {
            case OPEN:
                o.setBookedAt(s.getBookedAt());
                o.setDeadline(s.getDeadline());
                o.setLegs(s.getLegs().size());
                o.setLegsConfirmed(s.legsConfirmed());
                o.setEventsApplied(s.getEventsApplied());
                o.setParties(parties(s));
                o.setCurrencies(currencies(s));
                return o;
            case AWAITING_BOOKING:
                o.setEventsWaiting(s.getWaiting().size());
                return o;
            default:
                return null;
        }
    }

    // ---------------------------------------------------------------------------------------
    // Events.

    private void applyNow(SettlementState s, SettlementEvent e, Outputs out) {
        switch (e.getType()) {
            case OBLIGATION_BOOKED:
                book(s, e, out);
                break;
            case LEG_CONFIRMED:
                confirm(s, e, out);
                break;
            case SETTLEMENT_CANCELLED:
                cancel(s, e, out);
                break;
            default:
                throw new IllegalStateException("unhandled type " + e.getType());
        }
    }

    private void book(SettlementState s, SettlementEvent e, Outputs out) {
        if (s.isBooked()) {
            countIfOpen(s);
            alert(
                    out,
                    AlertType.DUPLICATE_BOOKING,
                    s,
                    e,
                    e.getEventTime(),
                    "booking "
                            + e.getEventId()
                            + " ignored: the settlement was booked by "
                            + s.getBookingEventId());
            return;
        }
        s.setStatus(SettlementStatus.OPEN);
        s.setBookingEventId(e.getEventId());
        s.setBookedAt(e.getEventTime());
        s.setDeadline(
                e.getDeadline() != null
                        ? e.getDeadline()
                        : e.getEventTime().plus(config.settlementWindow()));
        List<LegState> legs = new ArrayList<>(e.getLegs().size());
        for (Leg leg : e.getLegs()) {
            legs.add(LegState.of(leg));
        }
        s.setLegs(legs);
        s.setEventsApplied(1);

        // Events that waited for this booking now apply in their own apply order, with the ticks
        // that fall between them; a tick due before the booking fires at the booking.
        List<SettlementEvent> waiting = s.getWaiting();
        s.setWaiting(new ArrayList<>());
        s.setOrphansRaised(new ArrayList<>());
        for (SettlementEvent w : waiting) {
            fireTicks(s, w.getEventTime(), false, out);
            applyNow(s, w, out);
        }
        fireTicks(s, e.getEventTime(), false, out);
    }

    private void confirm(SettlementState s, SettlementEvent e, Outputs out) {
        if (!s.isBooked()) {
            await(s, e);
            return;
        }
        SettlementStatus status = s.getStatus();
        if (status == SettlementStatus.CANCELLED) {
            alert(
                    out,
                    AlertType.PAYMENT_AFTER_CANCEL,
                    s,
                    e,
                    e.getEventTime(),
                    paid(e) + " after the settlement was cancelled at " + s.getEndedAt());
            return;
        }
        if (status == SettlementStatus.EXPIRED) {
            alert(
                    out,
                    AlertType.PAYMENT_AFTER_EXPIRY,
                    s,
                    e,
                    e.getEventTime(),
                    paid(e) + " after the settlement expired at " + s.getEndedAt());
            return;
        }
        countIfOpen(s);
        LegState leg = leg(s, e.getLegId());
        if (leg == null) {
            alert(
                    out,
                    AlertType.UNKNOWN_LEG,
                    s,
                    e,
                    e.getEventTime(),
                    "confirmation "
                            + e.getEventId()
                            + " names leg '"
                            + e.getLegId()
                            + "', which the booking does not have");
            return;
        }
        if (leg.confirmed()) {
            alert(
                    out,
                    AlertType.DOUBLE_PAYMENT,
                    s,
                    e,
                    e.getEventTime(),
                    paid(e)
                            + ", but leg '"
                            + leg.getLegId()
                            + "' was already confirmed by "
                            + leg.getConfirmedBy());
            return;
        }
        if (!leg.getCurrency().equals(e.getCurrency())
                || leg.getAmount().compareTo(e.getAmount()) != 0) {
            alert(
                    out,
                    AlertType.AMOUNT_MISMATCH,
                    s,
                    e,
                    e.getEventTime(),
                    paid(e)
                            + ", but leg '"
                            + leg.getLegId()
                            + "' is "
                            + leg.getAmount().toPlainString()
                            + " "
                            + leg.getCurrency()
                            + "; the leg stays open");
            return;
        }
        leg.setConfirmedBy(e.getEventId());
        leg.setConfirmedAt(e.getEventTime());
        if (s.legsConfirmed() == s.getLegs().size()) {
            end(s, SettlementStatus.SETTLED, e.getEventTime(), out);
        }
    }

    private void cancel(SettlementState s, SettlementEvent e, Outputs out) {
        if (!s.isBooked()) {
            await(s, e);
            return;
        }
        switch (s.getStatus()) {
            case OPEN:
                countIfOpen(s);
                end(s, SettlementStatus.CANCELLED, e.getEventTime(), out);
                break;
            case SETTLED:
            case EXPIRED:
                alert(
                        out,
                        AlertType.CANCEL_REJECTED,
                        s,
                        e,
                        e.getEventTime(),
                        "cancellation "
                                + e.getEventId()
                                + " rejected: the settlement was already "
                                + s.getStatus()
                                + " at "
                                + s.getEndedAt());
                break;
            default:
                // Already cancelled: a second cancellation changes nothing.
                break;
        }
    }

    private static void await(SettlementState s, SettlementEvent e) {
        s.setStatus(SettlementStatus.AWAITING_BOOKING);
        s.addWaiting(e);
    }

    private static void countIfOpen(SettlementState s) {
        if (s.getStatus() == SettlementStatus.OPEN) {
            s.setEventsApplied(s.getEventsApplied() + 1);
        }
    }

    private static LegState leg(SettlementState s, String legId) {
        for (LegState leg : s.getLegs()) {
            if (leg.getLegId().equals(legId)) {
                return leg;
            }
        }
        return null;
    }

    private static String paid(SettlementEvent e) {
        return "confirmation "
                + e.getEventId()
                + " paid "
                + e.getAmount().toPlainString()
                + " "
                + e.getCurrency()
                + " on leg '"
                + e.getLegId()
                + "'";
    }

    private void end(SettlementState s, SettlementStatus status, Instant at, Outputs out) {
        s.setStatus(status);
        s.setEndedAt(at);
        out.result(
                new SettlementResult(
                        s.getSettlementId(),
                        status,
                        s.getBookedAt(),
                        at,
                        s.getDeadline(),
                        s.getLegs().size(),
                        s.getEventsApplied(),
                        parties(s),
                        currencies(s)));
    }

    private static List<String> parties(SettlementState s) {
        TreeSet<String> parties = new TreeSet<>();
        for (LegState leg : s.getLegs()) {
            parties.add(leg.getPayer());
            parties.add(leg.getPayee());
        }
        return new ArrayList<>(parties);
    }

    private static List<String> currencies(SettlementState s) {
        TreeSet<String> currencies = new TreeSet<>();
        for (LegState leg : s.getLegs()) {
            currencies.add(leg.getCurrency());
        }
        return new ArrayList<>(currencies);
    }

    private static void alert(
            Outputs out,
            AlertType type,
            SettlementState s,
            SettlementEvent e,
            Instant at,
            String detail) {
        out.alert(Alert.of(type, s.getSettlementId(), e.getEventId(), at, detail));
    }

    // ---------------------------------------------------------------------------------------
    // Ticks.

    private void fireTicks(SettlementState s, Instant bound, boolean inclusive, Outputs out) {
        Tick t;
        while ((t = nextTick(s)) != null) {
            int c = t.instant().compareTo(bound);
            if (c > 0 || (c == 0 && !inclusive)) {
                return;
            }
            fire(s, t, out);
        }
    }

    private Tick nextTick(SettlementState s) {
        if (s.getStatus() == null) {
            return null;
        }
        Tick next = null;
        switch (s.getStatus()) {
            case AWAITING_BOOKING:
                // Waiting events are in apply order: the first without its orphan alert is the
                // next to time out, and the last is the latest.
                SettlementEvent orphan = s.nextOrphan();
                if (orphan != null) {
                    next =
                            new Tick(
                                    orphan.getEventTime().plus(config.orphanTimeout()),
                                    TickKind.ORPHAN,
                                    orphan);
                }
                Instant lastWaiting = s.lastWaiting();
                if (lastWaiting != null) {
                    next =
                            earliest(
                                    next,
                                    new Tick(
                                            lastWaiting
                                                    .plus(config.orphanTimeout())
                                                    .plus(config.retention()),
                                            TickKind.REMOVE,
                                            null));
                }
                return next;
            case OPEN:
                Instant deadline = s.getDeadline();
                if (!s.isAtRiskRaised()) {
                    next = new Tick(deadline.minus(config.atRiskLead()), TickKind.AT_RISK, null);
                }
                if (!s.isDeadlineRaised()) {
                    next = earliest(next, new Tick(deadline, TickKind.DEADLINE, null));
                }
                return earliest(
                        next, new Tick(deadline.plus(config.expiry()), TickKind.EXPIRY, null));
            default:
                return new Tick(s.getEndedAt().plus(config.retention()), TickKind.REMOVE, null);
        }
    }

    private static Tick earliest(Tick a, Tick b) {
        return a == null || b.before(a) ? b : a;
    }

    private void fire(SettlementState s, Tick t, Outputs out) {
        // A tick due before the booking fires at the booking: its alert is stamped then.
        Instant at =
                s.getBookedAt() != null && t.instant().isBefore(s.getBookedAt())
                        ? s.getBookedAt()
                        : t.instant();
        switch (t.kind()) {
            case ORPHAN:
                SettlementEvent w = t.waiting();
                s.orphanRaised(w);
                out.alert(
                        Alert.of(
                                AlertType.ORPHAN_EVENT,
                                s.getSettlementId(),
                                w.getEventId(),
                                at,
                                w.getType()
                                        + " "
                                        + w.getEventId()
                                        + " has waited "
                                        + config.orphanTimeout()
                                        + " for its booking"));
                break;
            case AT_RISK:
                s.setAtRiskRaised(true);
                out.alert(
                        Alert.of(
                                AlertType.AT_RISK,
                                s.getSettlementId(),
                                null,
                                at,
                                unconfirmed(s) + " with the deadline at " + s.getDeadline()));
                break;
            case DEADLINE:
                s.setDeadlineRaised(true);
                out.alert(
                        Alert.of(
                                AlertType.DEADLINE_MISSED,
                                s.getSettlementId(),
                                null,
                                at,
                                unconfirmed(s) + " at deadline"));
                break;
            case EXPIRY:
                end(s, SettlementStatus.EXPIRED, t.instant(), out);
                break;
            case REMOVE:
                s.forget();
                break;
            default:
                throw new IllegalStateException("unhandled tick " + t);
        }
    }

    private static String unconfirmed(SettlementState s) {
        int open = s.getLegs().size() - s.legsConfirmed();
        return open + " of " + s.getLegs().size() + " legs unconfirmed";
    }
}
