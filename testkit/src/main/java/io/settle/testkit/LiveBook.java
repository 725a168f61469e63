package io.settle.testkit;

import io.settle.operators.model.Leg;
import io.settle.operators.model.SettlementEvent;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Currency;
import java.util.List;
import java.util.Random;

/**
 * Settlements for the live tests, fed in two halves with event times close to the wall clock: every
 * booking in the first half; its confirmations (of every leg, for most), its cancellation (for
 * some) or its partial confirmations (the rest, which stay open) in the first or the second.
 * Deadlines are a day ahead, so no SLA tick fires during a test.
 *
 * <p>The events after a booking share one event time, so a settlement's result does not depend on
 * the order its events are applied in, however the shuffled, partitioned input arrives: results
 * compare exactly with the oracle's. Each half is sent with exact copies (re-sent records), the
 * second half also re-sending copies of the first's.
 */
public final class LiveBook {
    private static final String[] CURRENCIES = {"USD", "EUR", "JPY", "BHD", "GBP"};
    private static final String[] BANKS = {"BANK_A", "BANK_B", "BANK_C", "BANK_D"};

    private enum Fate {
        SETTLE,
        CANCEL,
        STAY_OPEN
    }

    private record Plan(String settlementId, List<Leg> legs, Fate fate, int restInHalf) {}

    private final Random r;
    private final List<Plan> plans = new ArrayList<>();
    private final List<SettlementEvent> distinct = new ArrayList<>();
    private final List<SettlementEvent> firstHalf = new ArrayList<>();
    private int nextId;

    public LiveBook(long seed, int settlements, String prefix) {
        this.r = new Random(seed);
        for (int i = 0; i < settlements; i++) {
            int roll = r.nextInt(100);
            Fate fate = roll < 75 ? Fate.SETTLE : roll < 90 ? Fate.CANCEL : Fate.STAY_OPEN;
            plans.add(new Plan(prefix + "-" + i, legs(), fate, 1 + r.nextInt(2)));
        }
    }

    private List<Leg> legs() {
        int count = 1 + r.nextInt(3);
        List<Leg> legs = new ArrayList<>();
        for (int l = 0; l < count; l++) {
            String currency = CURRENCIES[r.nextInt(CURRENCIES.length)];
            int payer = r.nextInt(BANKS.length);
            int payee = (payer + 1 + r.nextInt(BANKS.length - 1)) % BANKS.length;
            long minor = 1 + r.nextInt(100_000_000);
            BigDecimal amount =
                    BigDecimal.valueOf(
                            minor, Currency.getInstance(currency).getDefaultFractionDigits());
            legs.add(new Leg("L" + l, BANKS[payer], BANKS[payee], currency, amount));
        }
        return legs;
    }

    private Instant jitter(Instant base, int maxMillis) {
        return base.plusMillis(r.nextInt(maxMillis + 1));
    }

    private String id() {
        return "e-" + (nextId++);
    }

    /**
     * The records of half 1 or 2, stamped from {@code base} (the wall clock when it is sent) on:
     * its distinct events, exact copies of a fifth of them and, in half 2, of a seventh of half 1,
     * shuffled.
     */
    public List<SettlementEvent> half(int half, Instant base) {
        List<SettlementEvent> events = new ArrayList<>();
        for (Plan p : plans) {
            Instant rest;
            if (half == 1) {
                Instant booked = jitter(base, 500);
                events.add(
                        SettlementEvent.booked(
                                id(),
                                p.settlementId(),
                                booked,
                                booked.plus(Duration.ofDays(1)),
                                p.legs()));
                rest = booked.plusMillis(1 + r.nextInt(300));
            } else {
                rest = jitter(base, 500);
            }
            if (p.restInHalf() != half) {
                continue;
            }
            switch (p.fate()) {
                case SETTLE:
                    p.legs().forEach(leg -> events.add(confirm(p, leg, rest)));
                    break;
                case CANCEL:
                    events.add(
                            SettlementEvent.cancelled(
                                    id(), p.settlementId(), rest, "client request"));
                    break;
                default:
                    p.legs()
                            .subList(1, p.legs().size())
                            .forEach(leg -> events.add(confirm(p, leg, rest)));
                    break;
            }
        }
        distinct.addAll(events);
        List<SettlementEvent> records = new ArrayList<>(events);
        addCopies(records, events, 5);
        if (half == 1) {
            firstHalf.addAll(events);
        } else {
            addCopies(records, firstHalf, 7);
        }
        Collections.shuffle(records, r);
        return records;
    }

    private void addCopies(List<SettlementEvent> into, List<SettlementEvent> of, int oneIn) {
        for (SettlementEvent e : of) {
            if (r.nextInt(oneIn) == 0) {
                into.add(e);
            }
        }
    }

    private SettlementEvent confirm(Plan p, Leg leg, Instant at) {
        return SettlementEvent.confirmed(
                id(), p.settlementId(), at, leg.getLegId(), leg.getCurrency(), leg.getAmount());
    }

    /** Every distinct event of the halves generated so far. */
    public List<SettlementEvent> distinct() {
        return distinct;
    }

    /** How many settlements end (settled or cancelled) once half 1, or both halves, are in. */
    public int endedBy(int half) {
        int n = 0;
        for (Plan p : plans) {
            if (p.fate() != Fate.STAY_OPEN && p.restInHalf() <= half) {
                n++;
            }
        }
        return n;
    }
}
