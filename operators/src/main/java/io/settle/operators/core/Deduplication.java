package io.settle.operators.core;

import io.settle.operators.codec.EventCodec;
import io.settle.operators.model.Alert;
import io.settle.operators.model.AlertType;
import io.settle.operators.model.DeadLetter;
import io.settle.operators.model.EventType;
import io.settle.operators.model.ReasonCode;
import io.settle.operators.model.SettlementEvent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;

/**
 * The rules of contract §2, "Duplicates": what identifies an event's content, what a conflicting
 * copy produces, and how long an event id must be remembered. Shared by the Flink function and the
 * replay oracle. An instance is used by one thread at a time.
 */
public final class Deduplication {
    /** Bytes of SHA-256 kept as an event's content fingerprint: 128 bits. */
    public static final int FINGERPRINT_BYTES = 16;

    private final EventCodec codec;
    private final SettlementConfig config;
    // One digest per instance (digest() resets it): an instance serves one thread.
    private MessageDigest sha;
    private StringBuilder text = new StringBuilder(512);
    private byte[] bytes = new byte[512];

    public Deduplication(EventCodec codec, SettlementConfig config) {
        this.codec = codec;
        this.config = config;
    }

    /**
     * A fingerprint of the event's content: equal for the same content (whatever the whitespace,
     * field order, amount scale or offset of the original), different otherwise.
     */
    public byte[] fingerprint(SettlementEvent e) {
        if (sha == null) {
            try {
                sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException ex) {
                throw new IllegalStateException("every JVM has SHA-256", ex);
            }
        }
        text.setLength(0);
        codec.encodeTo(e, text);
        int n = text.length();
        if (bytes.length < n) {
            bytes = new byte[Math.max(n, bytes.length * 2)];
        }
        boolean ascii = true;
        for (int i = 0; ascii && i < n; i++) {
            char c = text.charAt(i);
            ascii = c < 0x80;
            bytes[i] = (byte) c;
        }
        if (ascii) {
            sha.update(bytes, 0, n); // ASCII is its own UTF-8
        } else {
            sha.update(text.toString().getBytes(StandardCharsets.UTF_8));
            // A builder that once held a non-Latin-1 character stays two bytes per character:
            // start afresh so the next (usually ASCII) event takes the fast path again.
            text = new StringBuilder(512);
        }
        return Arrays.copyOf(sha.digest(), FINGERPRINT_BYTES);
    }

    /**
     * The dead letter of a copy whose content differs from the accepted event's. Its {@code raw} is
     * the copy as the job parsed it, re-encoded (the original bytes are at its origin).
     */
    public DeadLetter conflictingCopy(SettlementEvent copy) {
        return rejectedEvent(
                ReasonCode.CONFLICTING_DUPLICATE,
                "event '"
                        + copy.getEventId()
                        + "' of settlement '"
                        + copy.getSettlementId()
                        + "' was already accepted with different content; the first accepted version stands",
                copy);
    }

    /**
     * The dead letter of a new event for a settlement that has already accepted its maximum of
     * distinct events ({@link SettlementConfig#maxEvents()}). Its {@code raw} is the event as the
     * job parsed it, re-encoded, as for a conflicting copy.
     */
    public DeadLetter overLimit(SettlementEvent e) {
        return rejectedEvent(
                ReasonCode.SETTLEMENT_LIMIT,
                "settlement '"
                        + e.getSettlementId()
                        + "' has already accepted "
                        + config.maxEvents()
                        + " distinct events, its maximum (option 'settlement.max-events'): event '"
                        + e.getEventId()
                        + "' is not applied",
                e);
    }

    /** The dead letter of a valid event the settlement does not take: the event re-encoded. */
    private DeadLetter rejectedEvent(ReasonCode reason, String message, SettlementEvent e) {
        DeadLetter dl = new DeadLetter();
        dl.setReason(reason);
        dl.setMessage(message);
        String raw = codec.encode(e);
        EventCodec.keepRecord(dl, raw.getBytes(StandardCharsets.UTF_8), raw);
        dl.setSettlementId(e.getSettlementId());
        dl.setEventId(e.getEventId());
        dl.setOrigin(e.getOrigin());
        return dl;
    }

    /** The alert raised with {@link #conflictingCopy}. */
    public static Alert conflictAlert(SettlementEvent copy) {
        return Alert.of(
                AlertType.CONFLICTING_DUPLICATE,
                copy.getSettlementId(),
                copy.getEventId(),
                copy.getEventTime(),
                copy.getType()
                        + " "
                        + copy.getEventId()
                        + " arrived again with different content; the copy went to the dead letters"
                        + (copy.getOrigin() == null ? "" : " (from " + copy.getOrigin() + ")"));
    }

    /**
     * Until when an event's id must be remembered: at least as long as the settlement state it can
     * affect is retained. For a booking, its latest possible end (deadline plus expiry) plus
     * retention; for any other event, its orphan timeout plus retention.
     */
    public Instant rememberUntil(SettlementEvent e) {
        if (e.getType() == EventType.OBLIGATION_BOOKED) {
            Instant deadline =
                    e.getDeadline() != null
                            ? e.getDeadline()
                            : e.getEventTime().plus(config.settlementWindow());
            Instant end = deadline.plus(config.expiry());
            Instant latest = end.isAfter(e.getEventTime()) ? end : e.getEventTime();
            return latest.plus(config.retention());
        }
        return e.getEventTime().plus(config.orphanTimeout()).plus(config.retention());
    }
}
