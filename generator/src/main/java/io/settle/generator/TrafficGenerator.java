package io.settle.generator;

import io.settle.generator.GeneratedRecord.Kind;
import io.settle.operators.codec.EventCodec;
import io.settle.operators.model.EventType;
import io.settle.operators.model.Leg;
import io.settle.operators.model.SettlementEvent;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Realistic settlement traffic, one record at a time, as a pure function of the seed and of the
 * clock readings it is given: {@link #next(Instant)} stamps the event it emits with {@code now}, so
 * the same generator feeds a live Kafka load (the wall clock) and a synthetic day in a file (a
 * simulated clock).
 *
 * <p><b>The market.</b> Each settlement ({@code STL-<seed>-<n>}) has 1 to 3 legs between parties
 * {@code BANK_A..BANK_H} in USD, EUR, GBP, JPY, CHF or BHD (a payment, an FX trade with its two
 * legs, sometimes a fee leg), amounts at the currency's scale, and in 30% of cases an explicit
 * deadline 20 minutes to 4 hours after the booking. Its booking is followed by a confirmation of
 * each leg a second to five minutes later, so a settlement is 2 to 3 events on average. Then the
 * trouble a settlement engine exists for, per settlement or per leg:
 *
 * <ul>
 *   <li>3% of legs are never confirmed (the settlement goes {@code AT_RISK}, misses its deadline
 *       and expires), 5% are confirmed slowly, 20 minutes to 2 hours later;
 *   <li>1.5% of legs are first confirmed with a wrong amount or currency, then correctly;
 *   <li>0.7% of legs are paid twice (a second confirmation with another event id);
 *   <li>1% of settlements get a confirmation of a leg they do not have;
 *   <li>5% are cancelled, most within two minutes of booking, some up to 10 minutes after it (when
 *       it may have settled already), with no payments after the cancellation;
 *   <li>3% have their first confirmation arrive before the booking, which comes up to 90 s later.
 * </ul>
 *
 * <p><b>Bounded.</b> Started settlements wait in a pool with their next events scheduled (in event
 * time) a little later; {@link #next} sends the earliest event that is due, or else starts a new
 * settlement. When {@link GeneratorOptions#maxInFlight()} settlements are open, the earliest
 * pending event is sent early instead, so memory stays flat for as long as it runs.
 *
 * <p><b>Anomalies</b>, as shares of all records ({@link GeneratorOptions}): re-sends of one of the
 * last {@value #RECENT} events, byte for byte or written differently ({@link Reserializer}); events
 * stamped up to 1.5 s before {@code now} (reordered within the allowance) or 1 to 10 minutes before
 * it (late); malformed records of seven kinds ({@link MalformedRecords}). Every event time is at or
 * after the first clock reading, and the clock is taken as never going back.
 *
 * <p>Not thread-safe: one generator per thread.
 */
public final class TrafficGenerator {

    /** The most a reordered event is stamped before its emission. */
    public static final Duration MAX_REORDER = Duration.ofMillis(1500);

    /** The least and most a late event is stamped before its emission. */
    public static final Duration MIN_LATENESS = Duration.ofMinutes(1);

    public static final Duration MAX_LATENESS = Duration.ofMinutes(10);

    static final List<String> CURRENCIES = List.of("USD", "EUR", "GBP", "JPY", "CHF", "BHD");
    static final List<String> PARTIES =
            List.of("BANK_A", "BANK_B", "BANK_C", "BANK_D", "BANK_E", "BANK_F", "BANK_G", "BANK_H");
    private static final String[] CANCEL_REASONS = {
        "client request", "trade amended", "counterparty limit breached", "duplicate instruction"
    };
    private static final Kind[] MALFORMED_KINDS = {
        Kind.MALFORMED_UTF8,
        Kind.MALFORMED_TRUNCATED,
        Kind.MALFORMED_ARRAY,
        Kind.MALFORMED_MISSING_FIELD,
        Kind.MALFORMED_INVALID_AMOUNT,
        Kind.MALFORMED_UNKNOWN_TYPE,
        Kind.MALFORMED_NUMBER_FOR_STRING
    };

    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final Duration MINUTE = Duration.ofMinutes(1);

    /** How many of the latest events a re-send picks from. */
    static final int RECENT = 64;

    private final GeneratorOptions options;
    private final Random random;
    private final EventCodec codec = new EventCodec();
    private final PriorityQueue<Pending> pending =
            new PriorityQueue<>(
                    Comparator.comparing(Pending::due).thenComparingLong(Pending::sequence));
    private final Emitted[] recent = new Emitted[RECENT];

    private long settlements;
    private long eventIds;
    private long badIds;
    private long scheduled;
    private long emitted;
    private int inFlight;
    private Instant clockStart;
    private Instant lastNow;

    public TrafficGenerator(GeneratorOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.random = new Random(options.seed());
    }

    public GeneratorOptions options() {
        return options;
    }

    /** Settlements started so far. */
    public long settlementsStarted() {
        return settlements;
    }

    /** Settlements with events still to send: never more than the options' max-in-flight. */
    public int inFlight() {
        return inFlight;
    }

    /** Events scheduled and not yet sent. */
    public int pendingEvents() {
        return pending.size();
    }

    /** The next record, with events stamped at {@code now} (unless reordered or late). */
    public GeneratedRecord next(Instant now) {
        Objects.requireNonNull(now, "now");
        now = now.truncatedTo(ChronoUnit.MILLIS);
        if (lastNow != null && now.isBefore(lastNow)) {
            now = lastNow; // a clock that steps back is read as standing still
        }
        lastNow = now;
        if (clockStart == null) {
            clockStart = now;
        }

        double draw = random.nextDouble();
        double malformedBelow = options.malformed();
        double duplicateBelow = malformedBelow + options.duplicates();
        double lateBelow = duplicateBelow + options.late();
        double reorderBelow = lateBelow + options.reorder();
        if (draw < malformedBelow) {
            return malformed(now);
        }
        if (draw < duplicateBelow && emitted > 0) {
            return resend();
        }

        Kind kind = Kind.EVENT;
        Instant stamp = now;
        long sinceStart = Duration.between(clockStart, now).toMillis();
        if (draw >= duplicateBelow && draw < lateBelow) {
            long lateness = Math.min(millisBetween(MIN_LATENESS, MAX_LATENESS), sinceStart);
            if (lateness >= MIN_LATENESS.toMillis()) {
                stamp = now.minusMillis(lateness);
                kind = Kind.LATE;
            }
        } else if (draw >= lateBelow && draw < reorderBelow) {
            long shift = Math.min(millisBetween(Duration.ofMillis(1), MAX_REORDER), sinceStart);
            if (shift > 0) {
                stamp = now.minusMillis(shift);
                kind = Kind.REORDERED;
            }
        }
        SettlementEvent event = nextStep(now).event(stamp);
        byte[] value = codec.encode(event).getBytes(StandardCharsets.UTF_8);
        recent[(int) (emitted++ % RECENT)] = new Emitted(event, value);
        return new GeneratedRecord(event.getSettlementId(), value, stamp, kind);
    }

    // ---------------------------------------------------------------------------------------
    // The pool of open settlements.

    /** The earliest due event, or one sent early when the pool is full, or a new settlement's. */
    private Step nextStep(Instant now) {
        Pending head = pending.peek();
        if (head != null && (!head.due().isAfter(now) || inFlight >= options.maxInFlight())) {
            pending.poll();
            if (--head.step().settlement().stepsLeft == 0) {
                inFlight--;
            }
            return head.step();
        }
        List<Step> steps = plan();
        Step first = steps.get(0);
        for (Step step : steps.subList(1, steps.size())) {
            pending.add(new Pending(now.plusMillis(step.offsetMillis()), scheduled++, step));
        }
        first.settlement().stepsLeft = steps.size() - 1;
        if (steps.size() > 1) {
            inFlight++;
        }
        return first;
    }

    /** A new settlement's events, in the order they happen, the first at offset 0. */
    private List<Step> plan() {
        Settlement s = new Settlement("STL-" + options.seed() + "-" + settlements++, legs());
        s.deadlineAfter = percent(30) ? Duration.ofMinutes(20 + random.nextInt(221)) : null;
        boolean confirmFirst = percent(3);
        // Mostly early, before the money moves; now and then after it has.
        long cancelAt =
                percent(5)
                        ? millisBetween(
                                SECOND.multipliedBy(10),
                                percent(80) ? MINUTE.multipliedBy(2) : MINUTE.multipliedBy(10))
                        : -1;

        List<Step> steps = new ArrayList<>();
        steps.add(
                new Step(
                        s,
                        confirmFirst
                                ? millisBetween(SECOND.multipliedBy(2), SECOND.multipliedBy(90))
                                : 0,
                        EventType.OBLIGATION_BOOKED,
                        eventId(),
                        null,
                        null,
                        null,
                        null));
        for (int i = 0; i < s.legs.size(); i++) {
            Leg leg = s.legs.get(i);
            int fate = random.nextInt(1000);
            if (fate < 30) {
                continue; // never confirmed
            }
            long at =
                    fate < 80
                            ? millisBetween(
                                    MINUTE.multipliedBy(20), MINUTE.multipliedBy(120)) // slow
                            : millisBetween(SECOND, MINUTE.multipliedBy(5));
            if (confirmFirst && i == 0) {
                at = 0;
            }
            if (perMille(15)) {
                steps.add(wrongConfirmation(s, leg, at));
                at += millisBetween(SECOND.multipliedBy(5), MINUTE.multipliedBy(10));
            }
            steps.add(confirmation(s, leg.getLegId(), at, leg.getCurrency(), leg.getAmount()));
            if (perMille(7)) {
                long again = at + millisBetween(SECOND, MINUTE.multipliedBy(10));
                steps.add(
                        confirmation(s, leg.getLegId(), again, leg.getCurrency(), leg.getAmount()));
            }
        }
        if (percent(1)) {
            String ccy = s.legs.get(0).getCurrency();
            String legId = "L" + (s.legs.size() + 1 + random.nextInt(6));
            long at = millisBetween(SECOND, MINUTE.multipliedBy(5));
            steps.add(confirmation(s, legId, at, ccy, amount(ccy, 3, 6)));
        }
        if (cancelAt >= 0) {
            steps.removeIf(
                    step ->
                            step.type() == EventType.LEG_CONFIRMED
                                    && step.offsetMillis() > cancelAt);
            String reason =
                    random.nextInt(5) == 0
                            ? null
                            : CANCEL_REASONS[random.nextInt(CANCEL_REASONS.length)];
            steps.add(
                    new Step(
                            s,
                            cancelAt,
                            EventType.SETTLEMENT_CANCELLED,
                            eventId(),
                            null,
                            null,
                            null,
                            reason));
        }
        steps.sort(Comparator.comparingLong(Step::offsetMillis)); // stable: plan order at ties
        long first = steps.get(0).offsetMillis();
        List<Step> normalized = new ArrayList<>(steps.size());
        for (Step step : steps) {
            normalized.add(step.shiftedBy(-first));
        }
        return normalized;
    }

    /** A confirmation with the wrong amount, or now and then the wrong currency. */
    private Step wrongConfirmation(Settlement s, Leg leg, long at) {
        String currency = leg.getCurrency();
        BigDecimal amount = leg.getAmount();
        if (random.nextInt(4) == 0) {
            currency = otherThan(currency);
            amount = amount.setScale(scale(currency), RoundingMode.DOWN);
            if (amount.signum() == 0) {
                amount = BigDecimal.ONE.setScale(scale(currency));
            }
        } else if (random.nextBoolean()) {
            amount = amount.add(BigDecimal.valueOf(1 + random.nextInt(99), scale(currency)));
        } else {
            amount = amount.multiply(BigDecimal.TEN); // a fat finger
        }
        return confirmation(s, leg.getLegId(), at, currency, amount);
    }

    private Step confirmation(
            Settlement s, String legId, long at, String currency, BigDecimal amount) {
        return new Step(s, at, EventType.LEG_CONFIRMED, eventId(), legId, currency, amount, null);
    }

    private String eventId() {
        return "EVT-" + options.seed() + "-" + eventIds++;
    }

    // ---------------------------------------------------------------------------------------
    // Legs and money.

    /** One leg (a payment), two (an FX trade: each side pays), or three (an FX trade and a fee). */
    private List<Leg> legs() {
        int p = random.nextInt(100);
        int count = p < 35 ? 1 : p < 85 ? 2 : 3;
        int a = random.nextInt(PARTIES.size());
        int b = otherParty(a);
        String ccy = CURRENCIES.get(random.nextInt(CURRENCIES.size()));
        List<Leg> legs = new ArrayList<>(count);
        legs.add(new Leg("L1", PARTIES.get(a), PARTIES.get(b), ccy, amount(ccy, 3, 8)));
        if (count >= 2) {
            String other = otherThan(ccy);
            legs.add(new Leg("L2", PARTIES.get(b), PARTIES.get(a), other, amount(other, 3, 8)));
        }
        if (count == 3) {
            legs.add(
                    new Leg(
                            "L3",
                            PARTIES.get(a),
                            PARTIES.get(otherParty(a)),
                            ccy,
                            amount(ccy, 2, 3)));
        }
        return legs;
    }

    private int otherParty(int party) {
        return (party + 1 + random.nextInt(PARTIES.size() - 1)) % PARTIES.size();
    }

    private String otherThan(String currency) {
        int i = CURRENCIES.indexOf(currency);
        return CURRENCIES.get((i + 1 + random.nextInt(CURRENCIES.size() - 1)) % CURRENCIES.size());
    }

    /**
     * A positive amount at the currency's scale, in long minor units: {@code minDigits} to {@code
     * maxDigits} whole digits (two more for JPY), often a round number.
     */
    BigDecimal amount(String currency, int minDigits, int maxDigits) {
        int scale = scale(currency);
        int digits = minDigits + random.nextInt(maxDigits - minDigits + 1);
        if (currency.equals("JPY")) {
            digits += 2;
        }
        long low = pow10(digits - 1);
        long whole = low + Math.floorMod(random.nextLong(), 9 * low);
        long minor;
        if (random.nextInt(5) < 2) {
            whole = Math.max(low, whole / 1000 * 1000); // round thousands
            minor = 0;
        } else {
            minor = scale == 0 ? 0 : Math.floorMod(random.nextLong(), pow10(scale));
        }
        return BigDecimal.valueOf(Math.addExact(Math.multiplyExact(whole, pow10(scale)), minor))
                .movePointLeft(scale)
                .setScale(scale);
    }

    private static int scale(String currency) {
        return Currency.getInstance(currency).getDefaultFractionDigits();
    }

    private static long pow10(int n) {
        long p = 1;
        for (int i = 0; i < n; i++) {
            p = Math.multiplyExact(p, 10);
        }
        return p;
    }

    /** Uniformly from {@code min} to {@code max}, in whole milliseconds. */
    private long millisBetween(Duration min, Duration max) {
        return min.toMillis() + random.nextInt((int) (max.toMillis() - min.toMillis()) + 1);
    }

    private boolean percent(int p) {
        return random.nextInt(100) < p;
    }

    private boolean perMille(int p) {
        return random.nextInt(1000) < p;
    }

    // ---------------------------------------------------------------------------------------
    // Anomalies.

    /** A re-send of one of the latest events: the same bytes, or the same content rewritten. */
    private GeneratedRecord resend() {
        Emitted original = recent[random.nextInt((int) Math.min(emitted, RECENT))];
        SettlementEvent e = original.event();
        if (random.nextInt(5) < 3) {
            return new GeneratedRecord(
                    e.getSettlementId(),
                    original.value().clone(),
                    e.getEventTime(),
                    Kind.DUPLICATE);
        }
        byte[] value = Reserializer.differently(e, random).getBytes(StandardCharsets.UTF_8);
        return new GeneratedRecord(
                e.getSettlementId(), value, e.getEventTime(), Kind.DUPLICATE_RESERIALIZED);
    }

    /** A record the job must dead-letter, made from a plausible event for a recent settlement. */
    private GeneratedRecord malformed(Instant now) {
        Kind kind = MALFORMED_KINDS[random.nextInt(MALFORMED_KINDS.length)];
        String settlementId =
                emitted > 0
                        ? recent[random.nextInt((int) Math.min(emitted, RECENT))]
                                .event()
                                .getSettlementId()
                        : "STL-" + options.seed() + "-0";
        String eventId = "BAD-" + options.seed() + "-" + badIds++;
        SettlementEvent base;
        do {
            int type = random.nextInt(10);
            if (type < 5) {
                String ccy = CURRENCIES.get(random.nextInt(CURRENCIES.size()));
                base =
                        SettlementEvent.confirmed(
                                eventId, settlementId, now, "L1", ccy, amount(ccy, 3, 8));
            } else if (type < 8) {
                base = SettlementEvent.booked(eventId, settlementId, now, null, legs());
            } else {
                base = SettlementEvent.cancelled(eventId, settlementId, now, "client request");
            }
        } while (!MalformedRecords.canBreak(kind, base.getType()));
        byte[] value = MalformedRecords.make(kind, base, codec.encode(base), random);
        return new GeneratedRecord(settlementId, value, null, kind);
    }

    // ---------------------------------------------------------------------------------------

    /** A settlement in the pool. */
    private static final class Settlement {
        final String id;
        final List<Leg> legs;
        Duration deadlineAfter;
        int stepsLeft;

        Settlement(String id, List<Leg> legs) {
            this.id = id;
            this.legs = legs;
        }
    }

    /** One planned event of a settlement, {@code offsetMillis} after its first. */
    private record Step(
            Settlement settlement,
            long offsetMillis,
            EventType type,
            String eventId,
            String legId,
            String currency,
            BigDecimal amount,
            String reason) {

        Step shiftedBy(long millis) {
            return new Step(
                    settlement,
                    offsetMillis + millis,
                    type,
                    eventId,
                    legId,
                    currency,
                    amount,
                    reason);
        }

        SettlementEvent event(Instant eventTime) {
            switch (type) {
                case OBLIGATION_BOOKED:
                    Instant deadline =
                            settlement.deadlineAfter == null
                                    ? null
                                    : eventTime
                                            .plus(settlement.deadlineAfter)
                                            .truncatedTo(ChronoUnit.MINUTES);
                    return SettlementEvent.booked(
                            eventId, settlement.id, eventTime, deadline, settlement.legs);
                case LEG_CONFIRMED:
                    return SettlementEvent.confirmed(
                            eventId, settlement.id, eventTime, legId, currency, amount);
                case SETTLEMENT_CANCELLED:
                    return SettlementEvent.cancelled(eventId, settlement.id, eventTime, reason);
                default:
                    throw new IllegalStateException("unhandled type " + type);
            }
        }
    }

    private record Pending(Instant due, long sequence, Step step) {}

    private record Emitted(SettlementEvent event, byte[] value) {}
}
