package io.settle.tools.drill;

import io.settle.operators.codec.EventCodec;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One round of the soak's hostile records: what an attacker, or a broken producer, puts on the
 * events topic of a running job. The job must route each where the contract says (nearly all to the
 * dead-letter topic, bounded in size) and never restart; the soak's check holds it to the oracle
 * record by record. Settlement ids carry the round ({@code HOSTILE-<round>-...}), so rounds never
 * touch one another's settlements.
 */
final class SoakHostile {
    private SoakHostile() {}

    /** One record: its key (the settlementId, so a settlement's events share a partition). */
    record Hostile(String what, byte[] key, byte[] value) {}

    static List<Hostile> round(int round, Instant now, int maxEvents) {
        String id = "HOSTILE-" + round;
        String t = now.truncatedTo(ChronoUnit.MILLIS).toString();
        List<Hostile> out = new ArrayList<>();
        out.add(raw("400,000 NUL bytes", new byte[400_000]));
        byte[] control = new byte[EventCodec.MAX_RECORD_BYTES];
        Arrays.fill(control, (byte) 0x01);
        out.add(raw("1 MiB of control characters", control));
        out.add(
                raw(
                        "a record over 1 MiB",
                        utf8(
                                cancel(id + "-BIG", "big", t)
                                        .replace(
                                                "}",
                                                ",\"padding\":\""
                                                        + "x".repeat(EventCodec.MAX_RECORD_BYTES)
                                                        + "\"}"))));
        out.add(raw("invalid UTF-8", new byte[] {'{', '"', (byte) 0xff, (byte) 0xfe, '"', '}'}));
        out.add(raw("50,000 nested arrays", utf8("[".repeat(50_000))));
        out.add(raw("an empty record", new byte[0]));
        out.add(new Hostile("a tombstone", null, null));
        out.add(
                event(
                        "a right-to-left override in an id",
                        id + "-BIDI",
                        cancel(id + "-BIDI", "x\\u202e1", t)));
        out.add(
                event(
                        "a zero-width space in an id",
                        id + "-ZW",
                        cancel(id + "-ZW\\u200b", "x-1", t)));
        out.add(
                event(
                        "a control character in an id",
                        id + "-BEL",
                        cancel(id + "-BEL", "x\\u0007", t)));
        out.add(
                event(
                        "an amount of 5,000 digits",
                        id + "-HUGE",
                        confirm(id + "-HUGE", "c-1", t, "1" + "0".repeat(5_000) + ".00")));
        out.add(
                event(
                        "a mistyped year",
                        id + "-2099",
                        cancel(id + "-2099", "x-1", "2099" + t.substring(4))));
        // A booking, then the same eventId with another amount: a conflicting copy.
        out.add(event("a booking", id + "-DUP", booking(id + "-DUP", "b-1", t, "100.00")));
        out.add(
                event(
                        "its eventId again, another amount",
                        id + "-DUP",
                        booking(id + "-DUP", "b-1", t, "999.00")));
        // A flood on one settlement: confirmations of legs whose booking never comes, past the
        // bound on the events one settlement keeps.
        for (int i = 0; i < maxEvents + 50; i++) {
            out.add(
                    event(
                            "a flood on one settlement",
                            id + "-FLOOD",
                            confirm(id + "-FLOOD", "c-" + i, t, "1.00")));
        }
        return out;
    }

    private static Hostile raw(String what, byte[] value) {
        return new Hostile(what, null, value);
    }

    private static Hostile event(String what, String key, String json) {
        return new Hostile(what, utf8(key), utf8(json));
    }

    private static String cancel(String settlementId, String eventId, String at) {
        return "{\"eventId\":\""
                + eventId
                + "\",\"type\":\"SETTLEMENT_CANCELLED\",\"settlementId\":\""
                + settlementId
                + "\",\"eventTime\":\""
                + at
                + "\"}";
    }

    private static String confirm(String settlementId, String eventId, String at, String amount) {
        return "{\"eventId\":\""
                + eventId
                + "\",\"type\":\"LEG_CONFIRMED\",\"settlementId\":\""
                + settlementId
                + "\",\"eventTime\":\""
                + at
                + "\",\"legId\":\"USD\",\"currency\":\"USD\",\"amount\":\""
                + amount
                + "\"}";
    }

    private static String booking(String settlementId, String eventId, String at, String amount) {
        return "{\"eventId\":\""
                + eventId
                + "\",\"type\":\"OBLIGATION_BOOKED\",\"settlementId\":\""
                + settlementId
                + "\",\"eventTime\":\""
                + at
                + "\",\"legs\":[{\"legId\":\"USD\",\"payer\":\"BANK_A\",\"payee\":\"BANK_B\","
                + "\"currency\":\"USD\",\"amount\":\""
                + amount
                + "\"}]}";
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
