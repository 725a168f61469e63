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
            settlement.sort(SettlementEvent.APPLY_ORDER);
            SettlementState state = null;
            for (SettlementEvent e : settlement) {
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
}
