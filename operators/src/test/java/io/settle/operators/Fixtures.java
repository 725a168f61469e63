package io.settle.operators;

import io.settle.operators.model.Leg;
import io.settle.operators.model.SettlementEvent;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** Small builders for the events of the tests, on the contract's example day. */
public final class Fixtures {
    private Fixtures() {}

    public static final Instant T0 = Instant.parse("2026-11-25T09:00:00Z");

    public static Instant at(String hhmmss) {
        return Instant.parse("2026-11-25T" + hhmmss + "Z");
    }

    public static Leg leg(
            String legId, String payer, String payee, String currency, String amount) {
        return new Leg(legId, payer, payee, currency, new BigDecimal(amount));
    }

    /** A two-leg FX booking: 1,000,000.00 USD from BANK_A, 921,450.00 EUR from BANK_B. */
    public static SettlementEvent fxBooking(String settlementId, Instant at, Instant deadline) {
        return SettlementEvent.booked(
                "b-" + settlementId,
                settlementId,
                at,
                deadline,
                List.of(
                        leg("USD", "BANK_A", "BANK_B", "USD", "1000000.00"),
                        leg("EUR", "BANK_B", "BANK_A", "EUR", "921450.00")));
    }

    public static SettlementEvent confirmUsd(String settlementId, String eventId, Instant at) {
        return SettlementEvent.confirmed(
                eventId, settlementId, at, "USD", "USD", new BigDecimal("1000000.00"));
    }

    public static SettlementEvent confirmEur(String settlementId, String eventId, Instant at) {
        return SettlementEvent.confirmed(
                eventId, settlementId, at, "EUR", "EUR", new BigDecimal("921450.00"));
    }
}
