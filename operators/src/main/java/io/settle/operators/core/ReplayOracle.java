package io.settle.operators.core;

import io.settle.operators.codec.EventCodec;
import io.settle.operators.model.Alert;
import io.settle.operators.model.DeadLetter;
import io.settle.operators.model.OpenBookEntry;
import io.settle.operators.model.SettlementEvent;
import io.settle.operators.model.SettlementResult;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The whole contract over a known, bounded input, in memory: deduplicate, apply every settlement's
 * events in apply order, stop the clock at {@code until}, write the open book. It is the definition
 * the Flink job is tested against, not a way to run production volumes.
 */
public final class ReplayOracle {

    /** Everything a replay produces. */
    public record Outcome(
            List<SettlementResult> results,
            List<Alert> alerts,
            List<OpenBookEntry> openBook,
            List<DeadLetter> deadLetters,
            long duplicatesDropped,
            long leftOutAfterUntil) {}

    private final SettlementConfig config;
    private final Deduplication dedup;

    public ReplayOracle(SettlementConfig config) {
        this.config = config;
        this.dedup = new Deduplication(new EventCodec(), config);
    }

    /** The replay clock's end by default: the greatest event time of the valid events. */
    public static Instant greatestEventTime(List<SettlementEvent> events) {
        Instant max = null;
        for (SettlementEvent e : events) {
            if (max == null || e.getEventTime().isAfter(max)) {
                max = e.getEventTime();
            }
        }
        return max;
    }

    /** Replays {@code events} (valid, in arrival order, duplicates included). */
    public Outcome run(List<SettlementEvent> events) {
        return run(events, Map.of());
    }

    /** The key of an accepted event in {@link #run(List, Map)}'s map of late events. */
    public static String lateKey(String settlementId, String eventId) {
        return settlementId + "\u0000" + eventId;
    }

    /**
     * What a live run gives over {@code events} when the accepted events of {@code late} (keyed by
     * {@link #lateKey}) arrived late, each after the watermark had reached the value (Flink
     * milliseconds) it maps to (contract, "Live: late events"): a late event applies after every
     * event and tick that watermark passed and before every event it had not, late events at one
     * watermark in arrival order; it keeps its own {@code eventTime}. With no late events this is
     * replay's outcome.
     */
    public Outcome run(List<SettlementEvent> events, Map<String, Long> late) {
        Instant until = config.replayUntil();
        if (config.untilFromInput()) {
            until = greatestEventTime(events);
            until = until == null ? Instant.EPOCH : until;
        }
        CollectingOutputs out = new CollectingOutputs();
        List<DeadLetter> deadLetters = new ArrayList<>();
        long duplicates = 0;
        long leftOut = 0;

        // Deduplicate, first accepted version standing; group by settlement.
        Map<String, Map<String, byte[]>> seen = new HashMap<>();
        Map<String, List<SettlementEvent>> bySettlement = new TreeMap<>();
        for (SettlementEvent e : events) {
            if (until != null && e.getEventTime().isAfter(until)) {
                leftOut++;
                continue;
            }
            Map<String, byte[]> ids =
                    seen.computeIfAbsent(e.getSettlementId(), k -> new LinkedHashMap<>());
            byte[] fingerprint = dedup.fingerprint(e);
            byte[] accepted = ids.get(e.getEventId());
            if (accepted == null && ids.size() >= config.maxEvents()) {
                deadLetters.add(dedup.overLimit(e));
            } else if (accepted == null) {
                ids.put(e.getEventId(), fingerprint);
                bySettlement.computeIfAbsent(e.getSettlementId(), k -> new ArrayList<>()).add(e);
            } else if (Arrays.equals(accepted, fingerprint)) {
                duplicates++;
            } else {
                deadLetters.add(dedup.conflictingCopy(e));
                out.alert(Deduplication.conflictAlert(e));
            }
        }

        SettlementMachine machine = new SettlementMachine(config);
        List<OpenBookEntry> openBook = new ArrayList<>();
        for (List<SettlementEvent> settlement : bySettlement.values()) {
            if (late.isEmpty()) {
                settlement.sort(SettlementEvent.APPLY_ORDER);
            } else {
                settlement = lateOrder(settlement, late);
            }
            SettlementState state = null;
            for (SettlementEvent e : settlement) {
                Long watermark = late.get(lateKey(e.getSettlementId(), e.getEventId()));
                if (watermark != null) {
                    // Everything the watermark passed has happened; then the late event applies.
                    state = machine.advance(state, watermarkInstant(watermark), out);
                    out.alert(SettlementMachine.lateEvent(e, Instant.ofEpochMilli(watermark)));
                }
                state = machine.apply(state, e, out);
            }
            if (until != null) {
                machine.advance(state, until, out);
            }
            OpenBookEntry open = SettlementMachine.openBookEntry(state);
            if (open != null) {
                openBook.add(open);
            }
        }
        return new Outcome(out.results, out.alerts, openBook, deadLetters, duplicates, leftOut);
    }

    /**
     * One settlement's accepted events (in arrival order) in the order a live run applies them when
     * some arrived late: an event in time in apply order at its event time's millisecond, a late
     * one at its watermark's, after the events in time of that millisecond; late events at one
     * watermark in arrival order.
     */
    private static List<SettlementEvent> lateOrder(
            List<SettlementEvent> arrivals, Map<String, Long> late) {
        List<SettlementEvent> inTime = new ArrayList<>(arrivals.size());
        List<SettlementEvent> lateOnes = new ArrayList<>();
        for (SettlementEvent e : arrivals) {
            (late.containsKey(lateKey(e.getSettlementId(), e.getEventId())) ? lateOnes : inTime)
                    .add(e);
        }
        inTime.sort(SettlementEvent.APPLY_ORDER);
        if (lateOnes.isEmpty()) {
            return inTime;
        }
        lateOnes.sort( // stable: arrival order at one watermark
                java.util.Comparator.comparingLong(
                        e -> late.get(lateKey(e.getSettlementId(), e.getEventId()))));
        List<SettlementEvent> merged = new ArrayList<>(arrivals.size());
        int i = 0;
        for (SettlementEvent l : lateOnes) {
            long watermark = late.get(lateKey(l.getSettlementId(), l.getEventId()));
            while (i < inTime.size() && inTime.get(i).getEventTime().toEpochMilli() <= watermark) {
                merged.add(inTime.get(i++));
            }
            merged.add(l);
        }
        merged.addAll(inTime.subList(i, inTime.size()));
        return merged;
    }

    /**
     * The last instant a watermark of {@code millis} has passed (as the live operator reads it).
     */
    private static Instant watermarkInstant(long millis) {
        return Instant.ofEpochMilli(millis).plusNanos(999_999);
    }
}
