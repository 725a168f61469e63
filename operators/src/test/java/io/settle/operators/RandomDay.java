package io.settle.operators;

import io.settle.operators.model.Leg;
import io.settle.operators.model.SettlementEvent;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Random;

/**
 * A random day of settlement events from a seed: bookings with 1-3 legs, confirmations before and
 * after their booking and deadline, mismatches, unknown legs, double payments, duplicate bookings,
 * cancellations, orphans. Distinct events only (no duplicates): tests add those.
 */
public final class RandomDay {
    private static final String[] CURRENCIES = {"USD", "EUR", "JPY", "BHD", "GBP"};
    private static final String[] BANKS = {"BANK_A", "BANK_B", "BANK_C", "BANK_D"};
    private static final Instant DAY = Instant.parse("2026-11-25T06:00:00Z");

    private final Random r;
    private final List<SettlementEvent> events = new ArrayList<>();
    private int nextId;

    private RandomDay(long seed) {
        this.r = new Random(seed);
    }

    /** {@code settlements} settlements' worth of distinct events, in a random order. */
    public static List<SettlementEvent> generate(long seed, int settlements) {
        RandomDay day = new RandomDay(seed);
        for (int i = 0; i < settlements; i++) {
            day.settlement("S-" + seed + "-" + i);
        }
        java.util.Collections.shuffle(day.events, day.r);
        return day.events;
    }

    private String id() {
        return "e-" + (nextId++);
    }

    private Instant around(Instant t, int minMinutes, int maxMinutes) {
        // Whole seconds most of the time, sometimes milliseconds, sometimes equal instants.
        long seconds =
                (long) (minMinutes + r.nextInt(maxMinutes - minMinutes + 1)) * 60 + r.nextInt(60);
        Instant at = t.plusSeconds(seconds);
        return r.nextInt(4) == 0 ? at.plusMillis(r.nextInt(1000)) : at;
    }

    private BigDecimal amount(String currency) {
        int digits = Currency.getInstance(currency).getDefaultFractionDigits();
        long minor = 1 + (long) r.nextInt(100_000_000);
        return BigDecimal.valueOf(minor, digits);
    }

    private void settlement(String sid) {
        Instant booked = around(DAY, 0, 8 * 60);
        Instant deadline = r.nextBoolean() ? null : around(booked, 20, 3 * 60);
        int legCount = 1 + r.nextInt(3);
        List<Leg> legs = new ArrayList<>();
        for (int l = 0; l < legCount; l++) {
            String currency = CURRENCIES[r.nextInt(CURRENCIES.length)];
            int payer = r.nextInt(BANKS.length);
            int payee = (payer + 1 + r.nextInt(BANKS.length - 1)) % BANKS.length;
            legs.add(new Leg("L" + l, BANKS[payer], BANKS[payee], currency, amount(currency)));
        }
        boolean booking = r.nextInt(10) != 0; // one in ten never gets its booking
        if (booking) {
            events.add(SettlementEvent.booked(id(), sid, booked, deadline, legs));
        }
        if (r.nextInt(12) == 0) { // a second, different booking
            events.add(
                    SettlementEvent.booked(
                            id(), sid, around(booked, -10, 60), null, legs.subList(0, 1)));
        }
        for (Leg leg : legs) {
            int fate = r.nextInt(10);
            if (fate == 0) {
                continue; // never confirmed
            }
            Instant at = around(booked, -20, 4 * 60);
            if (fate == 1) { // wrong amount first, the right one later
                events.add(
                        SettlementEvent.confirmed(
                                id(),
                                sid,
                                at,
                                leg.getLegId(),
                                leg.getCurrency(),
                                leg.getAmount().add(BigDecimal.ONE)));
                at = at.plus(Duration.ofMinutes(1 + r.nextInt(30)));
            }
            events.add(
                    SettlementEvent.confirmed(
                            id(), sid, at, leg.getLegId(), leg.getCurrency(), leg.getAmount()));
            if (fate == 2) { // paid twice
                events.add(
                        SettlementEvent.confirmed(
                                id(),
                                sid,
                                around(at, 0, 30),
                                leg.getLegId(),
                                leg.getCurrency(),
                                leg.getAmount()));
            }
        }
        if (r.nextInt(10) == 0) {
            events.add(
                    SettlementEvent.confirmed(
                            id(),
                            sid,
                            around(booked, 0, 60),
                            "NOPE",
                            "USD",
                            new BigDecimal("1.00")));
        }
        if (r.nextInt(6) == 0) {
            events.add(
                    SettlementEvent.cancelled(
                            id(),
                            sid,
                            around(booked, -5, 3 * 60),
                            r.nextBoolean() ? "client request" : null));
        }
    }
}
