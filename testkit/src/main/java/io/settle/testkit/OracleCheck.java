package io.settle.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.settle.operators.codec.DecodeResult;
import io.settle.operators.codec.EventCodec;
import io.settle.operators.codec.OutputCodec;
import io.settle.operators.core.ReplayOracle;
import io.settle.operators.core.SettlementConfig;
import io.settle.operators.core.SettlementMachine;
import io.settle.operators.model.Alert;
import io.settle.operators.model.DeadLetter;
import io.settle.operators.model.OpenBookEntry;
import io.settle.operators.model.Origin;
import io.settle.operators.model.SettlementEvent;
import io.settle.operators.model.SettlementResult;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The drill's judge: what a live run over the records of an events topic must have written, from
 * the pure core ({@link ReplayOracle} over the valid events, {@link EventCodec} for the dead
 * letters), compared with what the job wrote.
 *
 * <ul>
 *   <li><b>Results</b> (exactly once): every expected result once, with the oracle's content; none
 *       missing, duplicated, different or unexpected.
 *   <li><b>Alerts</b> (at least once): every expected alert id present with the oracle's content;
 *       copies of one alert are re-sends, counted, not failures; no unexpected alert.
 *   <li><b>Dead letters</b> (exactly once): one per rejected record, keyed by where it came from
 *       (partition and offset of the events topic), with the expected content.
 *   <li><b>Open book</b> (optional, from a savepoint taken after the drain): the oracle's open
 *       book, line for line.
 * </ul>
 *
 * <p><b>The clock.</b> The oracle's clock stops at the greatest event time of the input; the live
 * job's keeps running. A live output stamped after that instant (an SLA tick that fired after the
 * input ended) is one the oracle cannot know: it is counted as beyond the clock's end and not
 * compared. Run the job with deadlines far enough ahead (the drill's {@code --sla.at-risk-lead})
 * and there are none.
 */
public final class OracleCheck {
    private OracleCheck() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /** How many examples of each problem a report shows. */
    static final int EXAMPLES = 3;

    /** One record of the events topic. */
    public record EventRecord(
            String topic, int partition, long offset, byte[] value, long timestamp) {
        public EventRecord {
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(value, "value");
        }

        /** A record whose broker timestamp is not known. */
        public EventRecord(String topic, int partition, long offset, byte[] value) {
            this(topic, partition, offset, value, -1);
        }
    }

    /** What the job must have written. Maps are keyed by result id, alert id, record origin. */
    public record Expected(
            Instant until,
            Map<String, String> results,
            Map<String, String> alerts,
            Map<String, String> deadLetters,
            List<String> openBook,
            long records,
            long validEvents,
            long duplicatesDropped,
            Set<String> lateBySender,
            Map<String, Set<String>> alsoAllowedAlerts,
            Late late) {}

    /**
     * The events the live job said it found late ({@code LATE_EVENT} alerts, with the watermark
     * each met), and how many settlements with such events the outputs matched a live outcome of.
     */
    public record Late(long events, long settlements, long unmatched) {
        static final Late NONE = new Late(0, 0, 0);
    }

    /** The records of an events topic decoded as the job decodes them, in the job's read order. */
    public record Decoded(
            List<SettlementEvent> events,
            Map<String, String> deadLetters,
            Set<String> lateBySender,
            long records) {}

    /** What the job wrote: JSON lines as read (read_committed), in any order. */
    public record Actual(
            List<String> results,
            List<String> alerts,
            List<String> deadLetters,
            List<String> openBook) {}

    /** The pure core's outcome over {@code events}, its clock ending at their greatest time. */
    public static ReplayOracle.Outcome oracle(List<SettlementEvent> events) {
        Instant until = ReplayOracle.greatestEventTime(events);
        return new ReplayOracle(SettlementConfig.builder().replay(until).build()).run(events);
    }

    /**
     * Waits for {@code wanted.size()} committed results, keeps reading for {@code settle} so a late
     * duplicate would show, then asserts each wanted result arrived exactly once and nothing else.
     */
    public static void assertResultsExactlyOnce(
            TopicReader results, List<String> wanted, Duration await, Duration settle)
            throws Exception {
        results.awaitCount(wanted.size(), await);
        List<String> actual = results.pollFor(settle);
        org.assertj.core.api.Assertions.assertThat(JsonLines.duplicates(actual, "resultId"))
                .as("results written twice")
                .isEmpty();
        org.assertj.core.api.Assertions.assertThat(JsonLines.sorted(actual)).isEqualTo(wanted);
    }

    /** The expected outputs for {@code records}, with the job's {@code live} durations. */
    public static Expected expected(List<EventRecord> records, SettlementConfig live) {
        return expected(decode(records, live, null), live, null, false);
    }

    /**
     * Decodes {@code records} as the job does ({@code maxFuture}: the job's {@code
     * settlement.max-future}, null for none), per partition in offset order: the order the job
     * reads each key's records in.
     */
    public static Decoded decode(
            List<EventRecord> records, SettlementConfig live, Duration maxFuture) {
        List<EventRecord> ordered = new ArrayList<>(records);
        ordered.sort(
                Comparator.comparing(EventRecord::topic)
                        .thenComparingInt(EventRecord::partition)
                        .thenComparingLong(EventRecord::offset));
        EventCodec codec =
                maxFuture == null
                        ? new EventCodec()
                        : new EventCodec(maxFuture, java.time.Clock.systemUTC());
        OutputCodec out = new OutputCodec();
        List<SettlementEvent> events = new ArrayList<>();
        Map<String, String> deadLetters = new TreeMap<>();
        Set<String> lateBySender = new TreeSet<>();
        for (EventRecord r : ordered) {
            DecodeResult d =
                    codec.decode(r.value(), Origin.kafka(r.topic(), r.partition(), r.offset()));
            if (d.event() != null) {
                events.add(d.event());
                // At the broker more than the allowance after its own eventTime (the record's
                // timestamp is the broker's append time on the test kit's events topics: a
                // producer that fell behind): the job may rightly find it late, which no oracle
                // of the event set can say.
                if (r.timestamp() >= 0
                        && r.timestamp() - d.event().getEventTime().toEpochMilli()
                                > live.maxOutOfOrderness().toMillis()) {
                    lateBySender.add(
                            SettlementMachine.lateEvent(d.event(), Instant.EPOCH).getAlertId());
                }
            } else {
                deadLetters.put(
                        originKey(d.deadLetter().getOrigin()), out.deadLetter(d.deadLetter()));
            }
        }
        return new Decoded(events, deadLetters, lateBySender, records.size());
    }

    /**
     * What the job must have written for {@code input}.
     *
     * <p>Given what it wrote ({@code actual}, else null), the events it found late are taken into
     * account: a {@code LATE_EVENT} alert says which event met which watermark (contract, "Live:
     * late events"), which only the running job can know, and an attempt it rolled back may have
     * met another (alerts are at least once; results and dead letters of a rolled-back attempt are
     * never committed). For each settlement with such events every live outcome is computed (each
     * of its late events applied in time, or late at each watermark an alert reports): its
     * committed results must be those of one of them, whose outputs are then expected; the alerts
     * of the others are allowed, as the writes of rolled-back attempts.
     *
     * <p>{@code clockToOutputs}: the clock stops at the latest instant any output carries, not at
     * the input's greatest event time, so the SLA ticks the live clock fired after the input ended
     * are compared too. Only right once the job has stopped (everything it did committed).
     */
    public static Expected expected(
            Decoded input, SettlementConfig live, Actual actual, boolean clockToOutputs) {
        List<SettlementEvent> events = input.events();
        Instant until = ReplayOracle.greatestEventTime(events);
        Map<String, String> results = new TreeMap<>();
        Map<String, String> alerts = new TreeMap<>();
        Map<String, String> deadLetters = new TreeMap<>(input.deadLetters());
        Map<String, Set<String>> alsoAllowed = new TreeMap<>();
        List<String> openBook = new ArrayList<>();
        long duplicates = 0;
        Late late = Late.NONE;
        if (until != null) {
            if (clockToOutputs && actual != null) {
                Instant latest = latestStamp(actual);
                if (latest != null && latest.isAfter(until)) {
                    until = latest;
                }
            }
            SettlementConfig config = live.toBuilder().replay(until).build();
            ReplayOracle oracle = new ReplayOracle(config);
            ReplayOracle.Outcome outcome = oracle.run(events);
            Map<String, Map<String, TreeSet<Long>>> observed =
                    actual == null ? Map.of() : lateObservations(actual.alerts());
            OutputCodec out = new OutputCodec();
            collect(outcome, observed.keySet(), out, results, alerts, openBook);
            for (DeadLetter conflict : outcome.deadLetters()) {
                deadLetters.put(originKey(conflict.getOrigin()), out.deadLetter(conflict));
            }
            duplicates = outcome.duplicatesDropped();
            if (!observed.isEmpty()) {
                late =
                        resolveLate(
                                events,
                                observed,
                                actual,
                                until,
                                oracle,
                                out,
                                results,
                                alerts,
                                openBook,
                                alsoAllowed);
            }
            if (actual != null) {
                allowPartialHistories(events, observed, actual, oracle, out, alerts, alsoAllowed);
            }
            Collections.sort(openBook);
        }
        return new Expected(
                until,
                results,
                alerts,
                deadLetters,
                openBook,
                input.records(),
                events.size(),
                duplicates,
                input.lateBySender(),
                alsoAllowed,
                late);
    }

    /** An outcome's outputs into the expected maps, but for the settlements {@code skip}. */
    private static void collect(
            ReplayOracle.Outcome outcome,
            Set<String> skip,
            OutputCodec out,
            Map<String, String> results,
            Map<String, String> alerts,
            List<String> openBook) {
        for (SettlementResult result : outcome.results()) {
            if (!skip.contains(result.getSettlementId())) {
                results.put(result.getResultId(), out.result(result));
            }
        }
        for (Alert alert : outcome.alerts()) {
            if (!skip.contains(alert.getSettlementId())) {
                alerts.put(alert.getAlertId(), out.alert(alert));
            }
        }
        for (OpenBookEntry entry : outcome.openBook()) {
            if (!skip.contains(entry.getSettlementId())) {
                openBook.add(out.openBook(entry));
            }
        }
    }

    /**
     * An attempt that a restore rolled back had read only part of the input, per partition a prefix
     * of it (a settlement's records share a partition), and its alerts may be on the topic (at
     * least once). For every settlement with an alert that neither its expected outcome nor another
     * live outcome explains, the alerts of each prefix of its events (in arrival order; in time,
     * and with its reported late events late) are allowed too: an AT_RISK that counts a leg
     * unconfirmed whose confirmation that attempt had not read yet, an ORPHAN_EVENT for a booking
     * it had not read yet.
     */
    private static void allowPartialHistories(
            List<SettlementEvent> events,
            Map<String, Map<String, TreeSet<Long>>> observed,
            Actual actual,
            ReplayOracle oracle,
            OutputCodec out,
            Map<String, String> alerts,
            Map<String, Set<String>> alsoAllowed) {
        Set<String> unexplained = new HashSet<>();
        for (String line : actual.alerts()) {
            JsonNode a = parse(line);
            String id = a.path("alertId").asText();
            String want = alerts.get(id);
            if ((want == null || !sameJson(want, line)) && !allowed(alsoAllowed, id, line)) {
                unexplained.add(a.path("settlementId").asText());
            }
        }
        if (unexplained.isEmpty()) {
            return;
        }
        Map<String, List<SettlementEvent>> own = new HashMap<>();
        for (SettlementEvent e : events) {
            if (unexplained.contains(e.getSettlementId())) {
                own.computeIfAbsent(e.getSettlementId(), k -> new ArrayList<>()).add(e);
            }
        }
        for (Map.Entry<String, List<SettlementEvent>> s : own.entrySet()) {
            Map<String, TreeSet<Long>> lateOnes = observed.getOrDefault(s.getKey(), Map.of());
            List<Map<String, Long>> lateMaps = candidates(s.getKey(), lateOnes);
            List<Map<String, Long>> ways =
                    lateOnes.isEmpty()
                            ? List.of(Map.of())
                            : List.of(lateMaps.get(0), lateMaps.get(lateMaps.size() - 1));
            for (int n = 1; n < s.getValue().size(); n++) {
                for (Map<String, Long> late : ways) {
                    for (Alert a : oracle.run(s.getValue().subList(0, n), late).alerts()) {
                        alsoAllowed
                                .computeIfAbsent(a.getAlertId(), k -> new TreeSet<>())
                                .add(out.alert(a));
                    }
                }
            }
        }
    }

    /** At most this many live outcomes are tried per settlement. */
    public static final int MAX_CANDIDATES = 64;

    private static Late resolveLate(
            List<SettlementEvent> events,
            Map<String, Map<String, TreeSet<Long>>> observed,
            Actual actual,
            Instant until,
            ReplayOracle oracle,
            OutputCodec out,
            Map<String, String> results,
            Map<String, String> alerts,
            List<String> openBook,
            Map<String, Set<String>> alsoAllowed) {
        Map<String, List<SettlementEvent>> own = new HashMap<>();
        for (SettlementEvent e : events) {
            if (observed.containsKey(e.getSettlementId())) {
                own.computeIfAbsent(e.getSettlementId(), k -> new ArrayList<>()).add(e);
            }
        }
        Map<String, Set<JsonNode>> committed = bySettlement(actual.results(), observed, until);
        Map<String, Set<JsonNode>> alerted = bySettlement(actual.alerts(), observed, null);
        long lateEvents = 0;
        long unmatched = 0;
        for (Map.Entry<String, Map<String, TreeSet<Long>>> s : observed.entrySet()) {
            lateEvents += s.getValue().size();
            List<SettlementEvent> settlement = own.getOrDefault(s.getKey(), List.of());
            Set<JsonNode> wrote = committed.getOrDefault(s.getKey(), Set.of());
            Set<JsonNode> raised = alerted.getOrDefault(s.getKey(), Set.of());
            // The committed history is one of the live outcomes: its results are those committed,
            // and its alerts were all delivered (at least once). Among the outcomes with those
            // results, the one with the fewest of its alerts missing, then the one that explains
            // the most of the alerts delivered. (So a lost alert passes unseen only where another
            // live outcome with the same results needs none of what was lost.)
            ReplayOracle.Outcome chosen = null;
            long chosenMissing = Long.MAX_VALUE;
            long chosenExplained = -1;
            ReplayOracle.Outcome last = null;
            for (Map<String, Long> candidate : candidates(s.getKey(), s.getValue())) {
                ReplayOracle.Outcome o = oracle.run(settlement, candidate);
                last = o;
                long missing = 0;
                for (Alert a : o.alerts()) {
                    String line = out.alert(a);
                    alsoAllowed.computeIfAbsent(a.getAlertId(), k -> new TreeSet<>()).add(line);
                    if (!raised.contains(comparable(parse(line)))) {
                        missing++;
                    }
                }
                long explained = o.alerts().size() - missing;
                Set<JsonNode> would = new HashSet<>();
                for (SettlementResult r : o.results()) {
                    would.add(comparable(parse(out.result(r))));
                }
                if (would.equals(wrote)
                        && (missing < chosenMissing
                                || (missing == chosenMissing && explained > chosenExplained))) {
                    chosen = o;
                    chosenMissing = missing;
                    chosenExplained = explained;
                }
            }
            if (chosen == null) { // compared with the likeliest: all late at their first watermark
                unmatched++;
                chosen = last;
            }
            collect(chosen, Set.of(), out, results, alerts, openBook);
        }
        return new Late(lateEvents, observed.size(), unmatched);
    }

    /**
     * The distinct outputs (as compared) of the settlements {@code of}, by settlementId; with
     * {@code until}, only those stamped ({@code endedAt}) at or before it.
     */
    private static Map<String, Set<JsonNode>> bySettlement(
            List<String> lines, Map<String, ?> of, Instant until) {
        Map<String, Set<JsonNode>> by = new HashMap<>();
        for (String line : lines) {
            JsonNode n = parse(line);
            String id = n.path("settlementId").asText();
            Instant ended = until == null ? null : instant(n, "endedAt");
            if (of.containsKey(id) && (ended == null || !ended.isAfter(until))) {
                by.computeIfAbsent(id, k -> new HashSet<>()).add(comparable(n));
            }
        }
        return by;
    }

    /**
     * The ways the late events of one settlement may have met the watermark: each in time, or late
     * at each watermark reported for it. Every combination while there are at most {@link
     * #MAX_CANDIDATES}; past that, each event in time or at its first watermark; past that too, all
     * in time, each one alone at its first watermark, and all at their first. The first candidate
     * is all in time, the last all late at their first watermark.
     */
    public static List<Map<String, Long>> candidates(
            String settlementId, Map<String, TreeSet<Long>> late) {
        List<String> ids = new ArrayList<>(late.keySet());
        List<List<Long>> options = new ArrayList<>();
        long product = 1;
        for (String id : ids) {
            options.add(new ArrayList<>(late.get(id)));
            product = Math.min(product * (late.get(id).size() + 1), MAX_CANDIDATES + 1L);
        }
        if (product > MAX_CANDIDATES) {
            product = 1;
            for (int i = 0; i < ids.size(); i++) {
                options.set(i, List.of(options.get(i).get(0)));
                product = Math.min(product * 2, MAX_CANDIDATES + 1L);
            }
        }
        List<Map<String, Long>> all = new ArrayList<>();
        all.add(new HashMap<>());
        if (product <= MAX_CANDIDATES) {
            for (int i = 0; i < ids.size(); i++) {
                List<Map<String, Long>> next = new ArrayList<>();
                for (Map<String, Long> c : all) {
                    next.add(c);
                    for (Long w : options.get(i)) {
                        Map<String, Long> with = new HashMap<>(c);
                        with.put(ReplayOracle.lateKey(settlementId, ids.get(i)), w);
                        next.add(with);
                    }
                }
                all = next;
            }
        } else {
            for (int i = 0; i < ids.size(); i++) {
                all.add(
                        Map.of(
                                ReplayOracle.lateKey(settlementId, ids.get(i)),
                                options.get(i).get(0)));
            }
        }
        Map<String, Long> allFirst = new HashMap<>();
        late.forEach((id, w) -> allFirst.put(ReplayOracle.lateKey(settlementId, id), w.first()));
        all.remove(allFirst);
        all.add(allFirst);
        return all;
    }

    /** settlementId, eventId, the watermarks its {@code LATE_EVENT} alerts report. */
    static Map<String, Map<String, TreeSet<Long>>> lateObservations(List<String> alerts) {
        Map<String, Map<String, TreeSet<Long>>> late = new TreeMap<>();
        for (String line : alerts) {
            JsonNode a = parse(line);
            if (!"LATE_EVENT".equals(a.path("type").asText())) {
                continue;
            }
            String settlement = a.path("settlementId").asText();
            String prefix = settlement + ":LATE_EVENT:";
            String alertId = a.path("alertId").asText();
            java.util.regex.Matcher m = WATERMARK.matcher(a.path("detail").asText());
            if (!alertId.startsWith(prefix) || !m.find()) {
                continue;
            }
            long watermark;
            try {
                watermark = Instant.parse(m.group(1)).toEpochMilli();
            } catch (RuntimeException e) {
                continue;
            }
            late.computeIfAbsent(settlement, k -> new TreeMap<>())
                    .computeIfAbsent(alertId.substring(prefix.length()), k -> new TreeSet<>())
                    .add(watermark);
        }
        return late;
    }

    private static final java.util.regex.Pattern WATERMARK =
            java.util.regex.Pattern.compile("\\(watermark ([^)]+)\\)");

    /** The latest instant a result ({@code endedAt}) or alert ({@code at}) carries. */
    private static Instant latestStamp(Actual actual) {
        Instant latest = null;
        for (String line : actual.results()) {
            latest = later(latest, instant(parse(line), "endedAt"));
        }
        for (String line : actual.alerts()) {
            latest = later(latest, instant(parse(line), "at"));
        }
        return latest;
    }

    private static Instant later(Instant a, Instant b) {
        return a == null || (b != null && b.isAfter(a)) ? b : a;
    }

    static String originKey(Origin o) {
        if (o == null) {
            return "(no origin)";
        }
        if (o.getFile() != null) {
            return o.getFile() + ":" + o.getLine();
        }
        return o.getTopic() + "/" + o.getPartition() + "@" + o.getOffset();
    }

    private static String originKey(JsonNode line) {
        JsonNode o = line.path("origin");
        if (o.isMissingNode() || o.isNull()) {
            return "(no origin)";
        }
        if (o.has("file")) {
            return o.path("file").asText() + ":" + o.path("line").asLong();
        }
        return o.path("topic").asText()
                + "/"
                + o.path("partition").asInt()
                + "@"
                + o.path("offset").asLong();
    }

    /** The comparison of one output. */
    public static final class Part {
        final String name;
        final String guarantee;
        long expected;
        long distinctActual;
        long records;
        long resent;
        long rolledBack;
        final List<String> missing = new ArrayList<>();
        final List<String> duplicated = new ArrayList<>();
        final List<String> differing = new ArrayList<>();
        final List<String> unexpected = new ArrayList<>();
        final List<String> beyondClock = new ArrayList<>();
        final List<String> lateBySender = new ArrayList<>();

        Part(String name, String guarantee) {
            this.name = name;
            this.guarantee = guarantee;
        }

        public boolean ok() {
            return missing.isEmpty()
                    && duplicated.isEmpty()
                    && differing.isEmpty()
                    && unexpected.isEmpty();
        }

        public List<String> missing() {
            return missing;
        }

        public List<String> duplicated() {
            return duplicated;
        }

        public List<String> differing() {
            return differing;
        }

        public List<String> unexpected() {
            return unexpected;
        }

        public List<String> beyondClock() {
            return beyondClock;
        }

        public long resent() {
            return resent;
        }

        /** Alert copies a rolled-back attempt wrote (another live outcome's). */
        public long rolledBack() {
            return rolledBack;
        }

        public String line() {
            StringBuilder b = new StringBuilder();
            b.append(
                    String.format(
                            Locale.ROOT,
                            "  %-13s %-14s expected %6d  got %6d (%d records)",
                            name,
                            guarantee,
                            expected,
                            distinctActual,
                            records));
            b.append(
                    String.format(
                            Locale.ROOT,
                            "  missing %d  duplicated %d  different %d  unexpected %d",
                            missing.size(),
                            duplicated.size(),
                            differing.size(),
                            unexpected.size()));
            if (resent > 0) {
                b.append(String.format(Locale.ROOT, "  re-sent %d", resent));
            }
            if (rolledBack > 0) {
                b.append(String.format(Locale.ROOT, "  of rolled-back attempts %d", rolledBack));
            }
            if (!beyondClock.isEmpty()) {
                b.append(
                        String.format(
                                Locale.ROOT, "  after the clock's end %d", beyondClock.size()));
            }
            if (!lateBySender.isEmpty()) {
                b.append(
                        String.format(
                                Locale.ROOT,
                                "  LATE_EVENT of events sent late by their producer %d",
                                lateBySender.size()));
            }
            b.append(ok() ? "  OK" : "  FAIL");
            return b.toString();
        }

        void examples(List<String> into) {
            example(into, "missing", missing);
            example(into, "duplicated", duplicated);
            example(into, "different", differing);
            example(into, "unexpected", unexpected);
        }

        private void example(List<String> into, String what, List<String> items) {
            for (int i = 0; i < Math.min(EXAMPLES, items.size()); i++) {
                into.add("    " + name + " " + what + ": " + items.get(i));
            }
            if (items.size() > EXAMPLES) {
                into.add(
                        "    "
                                + name
                                + " "
                                + what
                                + ": ... "
                                + (items.size() - EXAMPLES)
                                + " more");
            }
        }
    }

    /** The whole comparison. */
    public record Report(
            Expected expected, Part results, Part alerts, Part deadLetters, Part openBook) {
        public boolean ok() {
            return results.ok()
                    && alerts.ok()
                    && deadLetters.ok()
                    && (openBook == null || openBook.ok());
        }

        /** The report as lines of text, ending in PASS or FAIL. */
        public List<String> lines() {
            List<String> lines = new ArrayList<>();
            lines.add(
                    String.format(
                            Locale.ROOT,
                            "  input         %d records: %d valid events (%d exact duplicates dropped), %d rejected; clock's end %s",
                            expected.records(),
                            expected.validEvents(),
                            expected.duplicatesDropped(),
                            expected.records() - expected.validEvents(),
                            expected.until()));
            Late late = expected.late();
            if (late.events() > 0) {
                lines.add(
                        String.format(
                                Locale.ROOT,
                                "  late          %d events the job found late, on %d settlements: %d matched one of their live outcomes",
                                late.events(),
                                late.settlements(),
                                late.settlements() - late.unmatched()));
            }
            List<Part> parts = new ArrayList<>(List.of(results, alerts, deadLetters));
            if (openBook != null) {
                parts.add(openBook);
            }
            for (Part p : parts) {
                lines.add(p.line());
            }
            lines.add(
                    String.format(
                            Locale.ROOT,
                            "  totals        lost %d, duplicated %d, phantom %d, different %d",
                            parts.stream().mapToLong(p -> p.missing.size()).sum(),
                            parts.stream().mapToLong(p -> p.duplicated.size()).sum(),
                            parts.stream().mapToLong(p -> p.unexpected.size()).sum(),
                            parts.stream().mapToLong(p -> p.differing.size()).sum()));
            for (Part p : parts) {
                p.examples(lines);
            }
            lines.add(ok() ? "PASS" : "FAIL");
            return lines;
        }
    }

    /** Compares what the job wrote with what it must have written. */
    /**
     * A dead letter as this release writes it. Release 0.1.0 (the drill and the migration test
     * upgrade from it, with its dead letters already on the topic) wrote no {@code rawSha256} and
     * kept {@code raw} whole up to 1 MiB: where it kept it whole, the hash is computed from it.
     */
    static String fromReleaseZeroOne(String line) {
        JsonNode d = parse(line);
        if (d.has("rawSha256") || d.path("rawTruncated").asBoolean()) {
            return line;
        }
        String raw = d.path("raw").asText();
        byte[] bytes =
                "base64".equals(d.path("encoding").asText())
                        ? java.util.Base64.getDecoder().decode(raw)
                        : raw.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (bytes.length > io.settle.operators.model.DeadLetter.RAW_KEEP_BYTES) {
            return line; // this release would keep only the head: no comparable form
        }
        com.fasterxml.jackson.databind.node.ObjectNode upgraded = d.deepCopy();
        upgraded.put("rawSha256", io.settle.operators.codec.EventCodec.sha256(bytes, bytes.length));
        return upgraded.toString();
    }

    public static Report compare(Expected expected, Actual actual) {
        Part results = new Part("results", "exactly once");
        compareExactlyOnce(
                results,
                expected.results(),
                actual.results(),
                line -> line.path("resultId").asText(),
                line -> instant(line, "endedAt"),
                expected.until());
        Part deadLetters = new Part("dead letters", "exactly once");
        compareExactlyOnce(
                deadLetters,
                expected.deadLetters(),
                actual.deadLetters().stream().map(OracleCheck::fromReleaseZeroOne).toList(),
                OracleCheck::originKey,
                line -> null,
                expected.until());
        Part alerts = new Part("alerts", "at least once");
        compareAtLeastOnce(
                alerts,
                expected.alerts(),
                actual.alerts(),
                expected.until(),
                expected.lateBySender(),
                expected.alsoAllowedAlerts());
        Part openBook = null;
        if (actual.openBook() != null) {
            openBook = new Part("open book", "in state");
            Map<String, String> byId = new TreeMap<>();
            for (String line : expected.openBook()) {
                byId.put(parse(line).path("settlementId").asText(), line);
            }
            compareExactlyOnce(
                    openBook,
                    byId,
                    actual.openBook(),
                    line -> line.path("settlementId").asText(),
                    line -> null,
                    expected.until());
        }
        return new Report(expected, results, alerts, deadLetters, openBook);
    }

    private interface Key {
        String of(JsonNode line);
    }

    private interface Stamp {
        Instant of(JsonNode line);
    }

    private static void compareExactlyOnce(
            Part part,
            Map<String, String> expected,
            List<String> actual,
            Key key,
            Stamp stamp,
            Instant until) {
        Map<String, List<String>> byKey = group(actual, key);
        part.expected = expected.size();
        part.records = actual.size();
        part.distinctActual = byKey.size();
        for (Map.Entry<String, String> e : expected.entrySet()) {
            List<String> copies = byKey.get(e.getKey());
            if (copies == null) {
                part.missing.add(e.getKey());
                continue;
            }
            if (copies.size() > 1) {
                part.duplicated.add(e.getKey() + " x" + copies.size());
            }
            for (String copy : new TreeSet<>(copies)) {
                if (!sameJson(copy, e.getValue())) {
                    part.differing.add(e.getKey() + ": expected " + e.getValue() + " got " + copy);
                }
            }
        }
        for (Map.Entry<String, List<String>> e : byKey.entrySet()) {
            if (!expected.containsKey(e.getKey())) {
                Instant at = stamp.of(parse(e.getValue().get(0)));
                if (until != null && at != null && at.isAfter(until)) {
                    part.beyondClock.add(e.getKey());
                } else {
                    part.unexpected.add(e.getKey() + " x" + e.getValue().size());
                }
            }
        }
    }

    private static void compareAtLeastOnce(
            Part part,
            Map<String, String> expected,
            List<String> actual,
            Instant until,
            Set<String> lateBySender,
            Map<String, Set<String>> alsoAllowed) {
        Map<String, List<String>> byId = group(actual, line -> line.path("alertId").asText());
        part.expected = expected.size();
        part.records = actual.size();
        part.distinctActual = byId.size();
        for (Map.Entry<String, String> e : expected.entrySet()) {
            List<String> copies = byId.get(e.getKey());
            if (copies == null) {
                part.missing.add(e.getKey());
                continue;
            }
            part.resent += copies.size() - 1;
            boolean arrived = false;
            boolean differs = false;
            for (String copy : new TreeSet<>(copies)) {
                if (sameJson(copy, e.getValue())) {
                    arrived = true;
                } else if (allowed(alsoAllowed, e.getKey(), copy)) {
                    part.rolledBack++;
                } else {
                    differs = true;
                    part.differing.add(e.getKey() + ": expected " + e.getValue() + " got " + copy);
                }
            }
            if (!arrived && !differs) { // only another live outcome's copy: this one never came
                part.missing.add(e.getKey() + " (only other outcomes' copies arrived)");
            }
        }
        for (Map.Entry<String, List<String>> e : byId.entrySet()) {
            if (!expected.containsKey(e.getKey())) {
                Instant at = instant(parse(e.getValue().get(0)), "at");
                if (e.getValue().stream()
                        .allMatch(copy -> allowed(alsoAllowed, e.getKey(), copy))) {
                    part.rolledBack += e.getValue().size();
                } else if (until != null && at != null && at.isAfter(until)) {
                    part.beyondClock.add(e.getKey());
                } else if (lateBySender.contains(e.getKey())) {
                    part.lateBySender.add(e.getKey());
                } else {
                    part.unexpected.add(e.getKey() + " x" + e.getValue().size());
                }
            }
        }
    }

    /** An alert a live outcome other than the one committed would have written. */
    private static boolean allowed(Map<String, Set<String>> alsoAllowed, String id, String copy) {
        Set<String> contents = alsoAllowed.get(id);
        return contents != null && contents.stream().anyMatch(c -> sameJson(c, copy));
    }

    private static Map<String, List<String>> group(List<String> lines, Key key) {
        Map<String, List<String>> byKey = new LinkedHashMap<>();
        for (String line : lines) {
            byKey.computeIfAbsent(key.of(parse(line)), k -> new ArrayList<>()).add(line);
        }
        return byKey;
    }

    private static Instant instant(JsonNode line, String field) {
        JsonNode v = line.path(field);
        if (!v.isTextual()) {
            return null;
        }
        try {
            return Instant.parse(v.asText());
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static boolean sameJson(String a, String b) {
        return a.equals(b) || comparable(parse(a)).equals(comparable(parse(b)));
    }

    /**
     * An output as compared: a FUTURE_EVENT dead letter's message names the wall clock when the
     * record was read (contract, "Future events"), which no oracle can know.
     */
    private static JsonNode comparable(JsonNode line) {
        if ("FUTURE_EVENT".equals(line.path("reason").asText()) && line.isObject()) {
            com.fasterxml.jackson.databind.node.ObjectNode copy =
                    ((com.fasterxml.jackson.databind.node.ObjectNode) line).deepCopy();
            copy.remove("message");
            return copy;
        }
        return line;
    }

    static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a JSON line: " + line, e);
        }
    }

    /** Whether every expected key has arrived: the job has caught up. */
    public static boolean complete(Expected expected, Actual actual) {
        return keys(actual.results(), "resultId").containsAll(expected.results().keySet())
                && keys(actual.alerts(), "alertId").containsAll(expected.alerts().keySet())
                && originKeys(actual.deadLetters()).containsAll(expected.deadLetters().keySet());
    }

    private static TreeSet<String> keys(List<String> lines, String field) {
        TreeSet<String> keys = new TreeSet<>();
        for (String line : lines) {
            keys.add(parse(line).path(field).asText());
        }
        return keys;
    }

    private static TreeSet<String> originKeys(List<String> lines) {
        TreeSet<String> keys = new TreeSet<>();
        for (String line : lines) {
            keys.add(originKey(parse(line)));
        }
        return keys;
    }
}
