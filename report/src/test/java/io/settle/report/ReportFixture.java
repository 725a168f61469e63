package io.settle.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.settle.operators.codec.ReplayLayout;
import io.settle.operators.model.AlertType;
import io.settle.operators.model.ReasonCode;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A hand-written day of the job's outputs with known answers, written the way the job writes them
 * (a replay folder, or records for the topics), and the report it must give, computed here
 * independently of the report's code: straight from these lists, by the definitions in
 * docs/report.md.
 *
 * <p>On 25 Nov 2026 (times UTC): eight settlements end (S1-S4 settled on time, S5 settled late, S6
 * cancelled, S7 cancelled after its deadline, S8 expired), four are still open (O1 on track, O2 at
 * risk, O3 past its deadline, and one awaiting its booking whose id tries to inject an image),
 * thirteen distinct alerts, seven dead letters, a copy of a result and of an alert, and an
 * unreadable line.
 */
final class ReportFixture {
    private ReportFixture() {}

    static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    static final String HOSTILE_ID = "X-<img src=nowhere.png>";

    static Instant t(String hhmm) {
        return Instant.parse("2026-11-25T" + hhmm + ":00Z");
    }

    record Result(
            String id,
            String status,
            String booked,
            String ended,
            String deadline,
            List<String> parties,
            List<String> currencies) {
        String resultId() {
            return id + ":" + status;
        }

        boolean breached() {
            return t(ended).isAfter(t(deadline));
        }

        String json() {
            return String.format(
                    "{\"resultId\":\"%s\",\"settlementId\":\"%s\",\"status\":\"%s\",\"bookedAt\":\"%s\",\"endedAt\":\"%s\",\"deadline\":\"%s\",\"breached\":%s,\"legs\":2,\"eventsApplied\":3,\"parties\":%s,\"currencies\":%s}",
                    resultId(),
                    id,
                    status,
                    t(booked),
                    t(ended),
                    t(deadline),
                    breached(),
                    array(parties),
                    array(currencies));
        }
    }

    record Alert(String settlementId, String type, String at, String eventId) {
        String alertId() {
            return eventId == null
                    ? settlementId + ":" + type
                    : settlementId + ":" + type + ":" + eventId;
        }

        String severity() {
            return AlertType.valueOf(type).severity().name();
        }

        String json() {
            return String.format(
                    "{\"alertId\":\"%s\",\"type\":\"%s\",\"severity\":\"%s\",\"settlementId\":\"%s\",\"at\":\"%s\",\"detail\":\"d\"}",
                    alertId(), type, severity(), settlementId, t(at));
        }
    }

    record Open(
            String id,
            String status,
            String booked,
            String deadline,
            Integer legs,
            int confirmed,
            int waiting,
            List<String> parties,
            List<String> currencies) {
        String json() {
            return String.format(
                    "{\"settlementId\":\"%s\",\"status\":\"%s\",\"bookedAt\":%s,\"deadline\":%s,\"legs\":%s,\"legsConfirmed\":%d,\"eventsApplied\":%d,\"eventsWaiting\":%d,\"parties\":%s,\"currencies\":%s}",
                    id.replace("\"", "\\\""),
                    status,
                    booked == null ? "null" : "\"" + t(booked) + "\"",
                    deadline == null ? "null" : "\"" + t(deadline) + "\"",
                    legs,
                    confirmed,
                    booked == null ? 0 : confirmed + 1,
                    waiting,
                    parties == null ? "null" : array(parties),
                    currencies == null ? "null" : array(currencies));
        }
    }

    /** A dead letter, and the time it was written (its Kafka record time). */
    record DeadLetter(String reason, String settlementId, String written) {
        String json() {
            return "{\"reason\":\""
                    + reason
                    + "\",\"message\":\"m\",\"raw\":\"{}\",\"rawBytes\":2"
                    + (settlementId == null ? "" : ",\"settlementId\":\"" + settlementId + "\"")
                    + ",\"origin\":{\"file\":\"day.jsonl\",\"line\":1}}";
        }
    }

    private static String array(List<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(",", "[", "]"));
    }

    static final List<Result> RESULTS =
            List.of(
                    new Result(
                            "S1",
                            "SETTLED",
                            "07:00",
                            "07:10",
                            "09:00",
                            ab(),
                            List.of("EUR", "USD")),
                    new Result(
                            "S2",
                            "SETTLED",
                            "07:05",
                            "07:25",
                            "09:05",
                            List.of("BANK_A", "BANK_C"),
                            List.of("USD")),
                    new Result(
                            "S3",
                            "SETTLED",
                            "07:30",
                            "08:15",
                            "09:30",
                            List.of("BANK_B", "BANK_C"),
                            List.of("GBP", "USD")),
                    new Result("S4", "SETTLED", "08:00", "08:05", "10:00", ab(), List.of("EUR")),
                    new Result(
                            "S5",
                            "SETTLED",
                            "07:00",
                            "09:30",
                            "09:00",
                            List.of("BANK_C", "BANK_D"),
                            List.of("JPY", "USD")),
                    new Result(
                            "S6",
                            "CANCELLED",
                            "08:10",
                            "08:40",
                            "10:10",
                            List.of("BANK_A", "BANK_D"),
                            List.of("EUR")),
                    new Result(
                            "S7",
                            "CANCELLED",
                            "07:15",
                            "09:40",
                            "09:15",
                            List.of("BANK_B", "BANK_D"),
                            List.of("GBP")),
                    new Result(
                            "S8",
                            "EXPIRED",
                            "07:00",
                            "10:00",
                            "09:00",
                            List.of("BANK_A", "BANK_C"),
                            List.of("USD")));

    static final List<Alert> ALERTS =
            List.of(
                    new Alert("S2", "DOUBLE_PAYMENT", "07:30", "c-9"),
                    new Alert("S4", "AMOUNT_MISMATCH", "08:02", "c-4"),
                    new Alert("S6", "CONFLICTING_DUPLICATE", "08:20", "b-6"),
                    new Alert("S5", "AT_RISK", "08:45", null),
                    new Alert("S8", "AT_RISK", "08:45", null),
                    new Alert("S5", "DEADLINE_MISSED", "09:00", null),
                    new Alert("S8", "DEADLINE_MISSED", "09:00", null),
                    new Alert("S7", "AT_RISK", "09:00", null),
                    new Alert("S7", "DEADLINE_MISSED", "09:15", null),
                    new Alert("O3", "AT_RISK", "09:45", null),
                    new Alert("O3", "DEADLINE_MISSED", "10:00", null),
                    new Alert(HOSTILE_ID, "ORPHAN_EVENT", "10:20", "c-1"),
                    new Alert("O2", "AT_RISK", "10:45", null));

    static final List<Open> OPEN =
            List.of(
                    new Open("O1", "OPEN", "10:30", "12:30", 2, 1, 0, ab(), List.of("EUR", "USD")),
                    new Open(
                            "O2",
                            "OPEN",
                            "09:00",
                            "11:00",
                            2,
                            0,
                            0,
                            List.of("BANK_C", "BANK_D"),
                            List.of("GBP")),
                    new Open(
                            "O3",
                            "OPEN",
                            "08:00",
                            "10:00",
                            3,
                            2,
                            0,
                            List.of("BANK_B", "BANK_D"),
                            List.of("JPY", "USD")),
                    new Open(HOSTILE_ID, "AWAITING_BOOKING", null, null, null, 0, 2, null, null));

    static final List<DeadLetter> DEAD_LETTERS =
            List.of(
                    new DeadLetter("MALFORMED_JSON", null, "07:02"),
                    new DeadLetter("MALFORMED_JSON", null, "08:30"),
                    new DeadLetter("MALFORMED_JSON", null, "10:40"),
                    new DeadLetter("INVALID_FIELD", "S3", "07:40"),
                    new DeadLetter("INVALID_FIELD", "S4", "09:20"),
                    new DeadLetter("MISSING_FIELD", null, "08:55"),
                    new DeadLetter("CONFLICTING_DUPLICATE", "S6", "08:20"));

    /** Copies the job may leave (an at-least-once alert, a result read twice). */
    static final Result RESULT_COPY = RESULTS.get(0);

    static final Alert ALERT_COPY = ALERTS.get(6);

    static final String UNREADABLE = "{\"resultId\":\"S9:SETTLED\",\"status\":\"SETTLED\"";

    private static List<String> ab() {
        return List.of("BANK_A", "BANK_B");
    }

    // ---------------------------------------------------------------------------------------
    // As the job writes them.

    /** The replay output folder: part files, a copy in another part file, an in-progress file. */
    /** Marks a replay folder complete, as a finished replay does. */
    static Path markComplete(Path out) throws IOException {
        Files.createDirectories(out);
        Files.writeString(out.resolve(ReplayLayout.SUCCESS), "{}\n");
        return out;
    }

    static Path writeReplayFolder(Path out) throws IOException {
        markComplete(out);
        Path results = Files.createDirectories(out.resolve("results"));
        Path alerts = Files.createDirectories(out.resolve("alerts"));
        Path dlq = Files.createDirectories(out.resolve("dlq"));
        Path open = Files.createDirectories(out.resolve("open"));
        List<String> r = new ArrayList<>();
        RESULTS.subList(0, 5).forEach(x -> r.add(x.json()));
        r.add("");
        r.add(UNREADABLE);
        Files.write(results.resolve("part-a-0.jsonl"), r);
        List<String> r2 = new ArrayList<>();
        RESULTS.subList(5, RESULTS.size()).forEach(x -> r2.add(x.json()));
        r2.add(RESULT_COPY.json());
        Files.write(results.resolve("part-b-0.jsonl"), r2);
        // A file still in progress is not committed output: never read.
        Files.write(
                results.resolve(".part-c-0.jsonl.inprogress.1234"),
                List.of(
                        new Result("S9", "SETTLED", "07:00", "07:01", "09:00", ab(), List.of("USD"))
                                .json()));
        List<String> a = new ArrayList<>();
        ALERTS.forEach(x -> a.add(x.json()));
        a.add(ALERT_COPY.json());
        Files.write(alerts.resolve("part-a-0.jsonl"), a);
        Files.write(
                dlq.resolve("part-a-0.jsonl"),
                DEAD_LETTERS.stream().map(DeadLetter::json).toList());
        Files.write(open.resolve("part-a-0.jsonl"), OPEN.stream().map(Open::json).toList());
        return out;
    }

    // ---------------------------------------------------------------------------------------
    // The report it must give, computed from the lists above.

    /** What the expected report is computed for. */
    record Case(
            Instant from,
            Instant to,
            boolean kafka,
            BigDecimal target,
            Duration window,
            Set<String> explained,
            Predicate<Instant> read) {
        boolean in(Instant t) {
            return (from == null || !t.isBefore(from)) && (to == null || t.isBefore(to));
        }
    }

    static Case replay(Instant from, Instant to) {
        return new Case(
                from,
                to,
                false,
                new BigDecimal("99.5"),
                Duration.ofHours(2),
                Set.of("CONFLICTING_DUPLICATE"),
                x -> true);
    }

    /** Record times in Kafka: a result at its end, an alert at its instant, plus a second. */
    static Instant recordTime(Instant business) {
        return business.plusSeconds(1);
    }

    /** The expected report.json, without generatedAt and source. */
    static ObjectNode expected(Case c) {
        // What was read at all: Kafka reads record times within the margin only.
        List<Result> results = new ArrayList<>();
        for (Result r : RESULTS) {
            if (c.read().test(recordTime(t(r.ended())))) {
                results.add(r);
            }
        }
        List<Alert> alerts = new ArrayList<>();
        for (Alert a : ALERTS) {
            if (c.read().test(recordTime(t(a.at())))) {
                alerts.add(a);
            }
        }
        List<DeadLetter> deadLetters = new ArrayList<>();
        for (DeadLetter d : DEAD_LETTERS) {
            if (!c.kafka() || c.read().test(t(d.written()))) {
                deadLetters.add(d);
            }
        }
        // Copies: the replay folder has one of each; Kafka only the alert's (at-least-once).
        boolean resultCopyRead = !c.kafka();
        boolean alertCopyRead = c.read().test(recordTime(t(ALERT_COPY.at())));
        List<Result> inResults = results.stream().filter(r -> c.in(t(r.ended()))).toList();
        List<Alert> inAlerts = alerts.stream().filter(a -> c.in(t(a.at()))).toList();
        List<DeadLetter> inDead =
                deadLetters.stream().filter(d -> !c.kafka() || c.in(t(d.written()))).toList();

        ObjectNode root = JSON.createObjectNode();
        root.put("version", 1);

        // period
        ObjectNode period = root.putObject("period");
        TreeSet<Instant> seen = new TreeSet<>();
        inResults.forEach(r -> seen.add(t(r.ended())));
        inAlerts.forEach(a -> seen.add(t(a.at())));
        period.put(
                "from",
                c.from() != null
                        ? c.from().toString()
                        : seen.isEmpty() ? null : seen.first().toString());
        period.put(
                "to",
                c.to() != null
                        ? c.to().toString()
                        : seen.isEmpty() ? null : seen.last().toString());
        period.put("fromGiven", c.from() != null);
        period.put("toGiven", c.to() != null);

        ObjectNode targets = root.putObject("targets");
        targets.put("onTimePercent", c.target());
        targets.put("settlementWindowMs", c.window().toMillis());
        targets.put("settlementWindow", c.window().toString());
        ArrayNode explainedReasons = targets.putArray("explainedDeadLetterReasons");
        new TreeSet<>(c.explained()).forEach(explainedReasons::add);

        // the counts everything else builds on
        long onTime = count(inResults, r -> r.status().equals("SETTLED") && !r.breached());
        long late = count(inResults, r -> r.status().equals("SETTLED") && r.breached());
        long missed = count(inAlerts, a -> a.type().equals("DEADLINE_MISSED"));
        List<Long> latencies =
                inResults.stream()
                        .filter(r -> r.status().equals("SETTLED"))
                        .map(r -> Duration.between(t(r.booked()), t(r.ended())).toMillis())
                        .sorted()
                        .toList();
        long unexplained = count(inDead, d -> !c.explained().contains(d.reason()));

        ArrayNode slas = root.putArray("slas");
        ObjectNode share = slas.addObject();
        share.put("id", "ON_TIME_SHARE");
        long judged = onTime + missed;
        share.put("unit", "percent");
        share.put("target", c.target());
        ObjectNode shareCounts = JSON.createObjectNode();
        shareCounts.put("onTime", onTime);
        shareCounts.put("deadlineMissed", missed);
        shareCounts.put("judged", judged);
        long targetThousandths = c.target().movePointRight(3).longValueExact();
        if (judged == 0) {
            share.put("verdict", "NO_DATA");
            share.putNull("actual");
            share.putNull("margin");
        } else {
            // in thousandths of a percent, rounded down
            long actual = Math.floorDiv(onTime * 100_000, judged);
            long margin = Math.floorDiv(onTime * 100_000 - targetThousandths * judged, judged);
            share.put("verdict", onTime * 100_000 >= targetThousandths * judged ? "MET" : "MISSED");
            share.put("actual", BigDecimal.valueOf(actual, 3));
            share.put("margin", BigDecimal.valueOf(margin, 3));
            long needed = 0; // the fewest on time that meet the target
            while (needed * 100_000 < targetThousandths * judged) {
                needed++;
            }
            shareCounts.put("slack", onTime - needed);
        }
        share.set("counts", shareCounts);

        ObjectNode p99 = slas.addObject();
        p99.put("id", "P99_LATENCY");
        p99.put("unit", "ms");
        p99.put("target", c.window().toMillis());
        if (latencies.isEmpty()) {
            p99.put("verdict", "NO_DATA");
            p99.putNull("actual");
            p99.putNull("margin");
        } else {
            long v = percentile(latencies, 99);
            p99.put("verdict", v <= c.window().toMillis() ? "MET" : "MISSED");
            p99.put("actual", v);
            p99.put("margin", c.window().toMillis() - v);
        }
        p99.putObject("counts").put("settled", latencies.size());

        ObjectNode dl = slas.addObject();
        dl.put("id", "UNEXPLAINED_DEAD_LETTERS");
        dl.put("unit", "count");
        dl.put("target", 0);
        dl.put("verdict", unexplained == 0 ? "MET" : "MISSED");
        dl.put("actual", unexplained);
        dl.put("margin", -unexplained);
        ObjectNode dlCounts = dl.putObject("counts");
        dlCounts.put("deadLetters", inDead.size());
        dlCounts.put("explained", inDead.size() - unexplained);
        dlCounts.put("unexplained", unexplained);

        // open at the end
        List<ObjectNode> items = new ArrayList<>();
        if (!c.kafka()) {
            for (Open o : OPEN) {
                ObjectNode i = JSON.createObjectNode();
                Alert risk = latestRisk(alerts, o.id(), a -> true);
                String state =
                        o.status().equals("AWAITING_BOOKING")
                                ? "AWAITING_BOOKING"
                                : risk == null
                                        ? "ON_TRACK"
                                        : hasType(alerts, o.id(), "DEADLINE_MISSED", a -> true)
                                                ? "DEADLINE_MISSED"
                                                : "AT_RISK";
                i.put("settlementId", o.id());
                i.put("state", state);
                i.put("status", o.status());
                i.put("bookedAt", o.booked() == null ? null : t(o.booked()).toString());
                i.put("deadline", o.deadline() == null ? null : t(o.deadline()).toString());
                i.put("legs", o.legs());
                i.put("legsConfirmed", o.confirmed());
                i.put("eventsWaiting", o.waiting());
                putList(i, "parties", o.parties());
                putList(i, "currencies", o.currencies());
                i.put("lastAlert", risk == null ? null : risk.type());
                i.put("lastAlertAt", risk == null ? null : t(risk.at()).toString());
                items.add(i);
            }
        } else {
            Set<String> ids = new TreeSet<>();
            inAlerts.forEach(a -> ids.add(a.settlementId()));
            for (String id : ids) {
                Alert risk = latestRisk(inAlerts, id, a -> true);
                if (risk == null) {
                    continue;
                }
                Result later = null;
                boolean ended = false;
                for (Result r : results) {
                    if (r.id().equals(id)) {
                        if (t(r.ended()).isBefore(c.to())) {
                            ended = true;
                        } else {
                            later = r;
                        }
                    }
                }
                if (ended) {
                    continue;
                }
                ObjectNode i = JSON.createObjectNode();
                i.put("settlementId", id);
                i.put(
                        "state",
                        hasType(inAlerts, id, "DEADLINE_MISSED", a -> true)
                                ? "DEADLINE_MISSED"
                                : "AT_RISK");
                i.putNull("status");
                i.put("bookedAt", later == null ? null : t(later.booked()).toString());
                i.put("deadline", later == null ? null : t(later.deadline()).toString());
                if (later == null) {
                    i.putNull("legs");
                    i.putNull("parties");
                    i.putNull("currencies");
                } else {
                    i.put("legs", 2);
                    putList(i, "parties", later.parties());
                    putList(i, "currencies", later.currencies());
                }
                i.putNull("legsConfirmed");
                i.putNull("eventsWaiting");
                i.put("lastAlert", risk.type());
                i.put("lastAlertAt", t(risk.at()).toString());
                items.add(i);
            }
        }
        List<String> states = List.of("DEADLINE_MISSED", "AT_RISK", "AWAITING_BOOKING", "ON_TRACK");
        items.sort(
                Comparator.comparing((ObjectNode i) -> states.indexOf(i.get("state").asText()))
                        .thenComparing(
                                i -> i.get("deadline").isNull() ? "~" : i.get("deadline").asText())
                        .thenComparing(i -> i.get("settlementId").asText()));

        // bookings the report sees: results read (in or out of the period), the open book
        Map<String, Instant> bookings = new TreeMap<>();
        for (Result r : results) {
            bookings.putIfAbsent(r.id(), t(r.booked()));
        }
        if (!c.kafka()) {
            for (Open o : OPEN) {
                if (o.booked() != null) {
                    bookings.putIfAbsent(o.id(), t(o.booked()));
                }
            }
        }
        List<Instant> booked = bookings.values().stream().filter(c::in).toList();

        ObjectNode totals = root.putObject("totals");
        totals.put("results", inResults.size());
        totals.put("settled", onTime + late);
        totals.put("settledOnTime", onTime);
        totals.put("settledLate", late);
        totals.put("cancelled", count(inResults, r -> r.status().equals("CANCELLED")));
        totals.put("expired", count(inResults, r -> r.status().equals("EXPIRED")));
        totals.put("breached", count(inResults, Result::breached));
        totals.put("booked", booked.size());
        totals.put("alerts", inAlerts.size());
        totals.put("criticalAlerts", count(inAlerts, a -> a.severity().equals("CRITICAL")));
        totals.put("deadlineMissed", missed);
        totals.put("deadLetters", inDead.size());
        totals.put("unexplainedDeadLetters", unexplained);
        totals.put("openAtEnd", items.size());
        totals.put("unreadableRecords", c.kafka() ? 0 : 1);
        totals.put("duplicateRecords", (alertCopyRead ? 1 : 0) + (resultCopyRead ? 1 : 0));

        root.set("latency", latency(latencies));

        // hours
        TreeSet<Instant> hours = new TreeSet<>();
        inResults.forEach(r -> hours.add(hour(t(r.ended()))));
        inAlerts.forEach(a -> hours.add(hour(t(a.at()))));
        booked.forEach(b -> hours.add(hour(b)));
        if (period.get("from").isTextual()) {
            hours.add(hour(Instant.parse(period.get("from").asText())));
        }
        if (period.get("to").isTextual()) {
            Instant to = Instant.parse(period.get("to").asText());
            hours.add(hour(c.to() != null ? to.minusNanos(1) : to));
        }
        ArrayNode hourRows = root.putArray("hours");
        if (!hours.isEmpty()) {
            for (Instant h = hours.first(); !h.isAfter(hours.last()); h = h.plusSeconds(3600)) {
                Instant hh = h;
                Predicate<Instant> inHour = x -> hour(x).equals(hh);
                ObjectNode row = hourRows.addObject();
                row.put("hour", h.toString());
                row.put("booked", booked.stream().filter(inHour).count());
                row.put(
                        "settledOnTime",
                        count(
                                inResults,
                                r ->
                                        inHour.test(t(r.ended()))
                                                && r.status().equals("SETTLED")
                                                && !r.breached()));
                row.put(
                        "settledLate",
                        count(
                                inResults,
                                r ->
                                        inHour.test(t(r.ended()))
                                                && r.status().equals("SETTLED")
                                                && r.breached()));
                row.put(
                        "cancelled",
                        count(
                                inResults,
                                r -> inHour.test(t(r.ended())) && r.status().equals("CANCELLED")));
                row.put(
                        "expired",
                        count(
                                inResults,
                                r -> inHour.test(t(r.ended())) && r.status().equals("EXPIRED")));
                row.put("alerts", count(inAlerts, a -> inHour.test(t(a.at()))));
                row.put(
                        "deadlineMissed",
                        count(
                                inAlerts,
                                a -> inHour.test(t(a.at())) && a.type().equals("DEADLINE_MISSED")));
                List<Long> l =
                        inResults.stream()
                                .filter(
                                        r ->
                                                inHour.test(t(r.ended()))
                                                        && r.status().equals("SETTLED"))
                                .map(r -> Duration.between(t(r.booked()), t(r.ended())).toMillis())
                                .sorted()
                                .toList();
                if (l.isEmpty()) {
                    row.putNull("latency");
                } else {
                    row.set("latency", latency(l));
                }
            }
        }

        // alerts
        ObjectNode alertsNode = root.putObject("alerts");
        alertsNode.put("total", inAlerts.size());
        alertsNode.put("critical", count(inAlerts, a -> a.severity().equals("CRITICAL")));
        ArrayNode byType = alertsNode.putArray("byType");
        for (AlertType type : AlertType.values()) {
            ObjectNode row = byType.addObject();
            row.put("type", type.name());
            row.put("severity", type.severity().name());
            row.put("count", count(inAlerts, a -> a.type().equals(type.name())));
        }
        ObjectNode bySeverity = alertsNode.putObject("bySeverity");
        bySeverity.put("CRITICAL", count(inAlerts, a -> a.severity().equals("CRITICAL")));
        bySeverity.put("WARNING", count(inAlerts, a -> a.severity().equals("WARNING")));
        alertsNode.set("byParty", counterparties(c, results, inResults, inAlerts, true));
        alertsNode.set("byCurrency", counterparties(c, results, inResults, inAlerts, false));

        ObjectNode dead = root.putObject("deadLetters");
        dead.put("total", inDead.size());
        dead.put("explained", inDead.size() - unexplained);
        dead.put("unexplained", unexplained);
        ArrayNode byReason = dead.putArray("byReason");
        for (ReasonCode reason : ReasonCode.values()) {
            ObjectNode row = byReason.addObject();
            row.put("reason", reason.name());
            row.put("count", count(inDead, d -> d.reason().equals(reason.name())));
            row.put("explained", c.explained().contains(reason.name()));
        }

        ObjectNode open = root.putObject("openAtEnd");
        open.put("basis", c.kafka() ? "ALERTS_WITHOUT_RESULT" : "OPEN_BOOK");
        open.put("asOf", c.kafka() ? c.to().toString() : null);
        open.put("total", items.size());
        ObjectNode byState = open.putObject("byState");
        for (String s : states) {
            byState.put(s, items.stream().filter(i -> i.get("state").asText().equals(s)).count());
        }
        ArrayNode itemArray = open.putArray("items");
        items.forEach(itemArray::add);

        ArrayNode input = root.putArray("input");
        long resultCopies = resultCopyRead ? 1 : 0;
        long alertCopies = alertCopyRead ? 1 : 0;
        input(
                input,
                "results",
                results.size() + resultCopies + (c.kafka() ? 0 : 1),
                c.kafka() ? 0 : 1,
                results.size()
                        - inResults.size()
                        + (resultCopyRead && !c.in(t(RESULT_COPY.ended())) ? 1 : 0),
                resultCopies);
        input(
                input,
                "alerts",
                alerts.size() + alertCopies,
                0,
                alerts.size()
                        - inAlerts.size()
                        + (alertCopyRead && !c.in(t(ALERT_COPY.at())) ? 1 : 0),
                alertCopies);
        input(input, "dlq", deadLetters.size(), 0, deadLetters.size() - inDead.size(), 0);
        input(input, "open", c.kafka() ? 0 : OPEN.size(), 0, 0, 0);
        return root;
    }

    private static void input(
            ArrayNode input,
            String kind,
            long read,
            long unreadable,
            long outside,
            long duplicates) {
        ObjectNode row = input.addObject();
        row.put("kind", kind);
        row.put("read", read);
        row.put("unreadable", unreadable);
        row.put("outsidePeriod", outside);
        row.put("duplicates", duplicates);
    }

    private static ArrayNode counterparties(
            Case c,
            List<Result> results,
            List<Result> inResults,
            List<Alert> inAlerts,
            boolean parties) {
        // who a settlement is: its result's parties, else its open-book entry's, else unknown
        Map<String, List<String>> who = new LinkedHashMap<>();
        for (Result r : results) {
            who.putIfAbsent(r.id(), parties ? r.parties() : r.currencies());
        }
        if (!c.kafka()) {
            for (Open o : OPEN) {
                if (o.parties() != null) {
                    who.putIfAbsent(o.id(), parties ? o.parties() : o.currencies());
                }
            }
        }
        TreeMap<String, long[]> rows = new TreeMap<>(); // ended, breached, alerts, critical, missed
        for (Result r : inResults) {
            for (String n : who.get(r.id())) {
                long[] row = rows.computeIfAbsent(n, k -> new long[5]);
                row[0]++;
                row[1] += r.breached() ? 1 : 0;
            }
        }
        for (Alert a : inAlerts) {
            for (String n : who.getOrDefault(a.settlementId(), List.of("(unknown)"))) {
                long[] row = rows.computeIfAbsent(n, k -> new long[5]);
                row[2]++;
                row[3] += a.severity().equals("CRITICAL") ? 1 : 0;
                row[4] += a.type().equals("DEADLINE_MISSED") ? 1 : 0;
            }
        }
        ArrayNode out = JSON.createArrayNode();
        rows.forEach(
                (n, v) -> {
                    ObjectNode row = out.addObject();
                    row.put("name", n);
                    row.put("settlements", v[0]);
                    row.put("breached", v[1]);
                    row.put("alerts", v[2]);
                    row.put("critical", v[3]);
                    row.put("deadlineMissed", v[4]);
                });
        return out;
    }

    private static Alert latestRisk(List<Alert> alerts, String id, Predicate<Alert> which) {
        Alert latest = null;
        for (Alert a : alerts) {
            if (a.settlementId().equals(id)
                    && (a.type().equals("AT_RISK") || a.type().equals("DEADLINE_MISSED"))
                    && which.test(a)
                    && (latest == null || !t(a.at()).isBefore(t(latest.at())))) {
                latest = a;
            }
        }
        return latest;
    }

    private static boolean hasType(
            List<Alert> alerts, String id, String type, Predicate<Alert> which) {
        return alerts.stream()
                .anyMatch(
                        a -> a.settlementId().equals(id) && a.type().equals(type) && which.test(a));
    }

    private static ObjectNode latency(List<Long> sorted) {
        ObjectNode l = JSON.createObjectNode();
        l.put("count", sorted.size());
        if (sorted.isEmpty()) {
            l.putNull("p50Ms");
            l.putNull("p90Ms");
            l.putNull("p99Ms");
            l.putNull("maxMs");
        } else {
            l.put("p50Ms", percentile(sorted, 50));
            l.put("p90Ms", percentile(sorted, 90));
            l.put("p99Ms", percentile(sorted, 99));
            l.put("maxMs", sorted.get(sorted.size() - 1));
        }
        return l;
    }

    /** Nearest rank: the smallest value with at least p% of the values at or below it. */
    static long percentile(List<Long> sorted, int p) {
        for (long v : sorted) {
            long atOrBelow = sorted.stream().filter(x -> x <= v).count();
            if (atOrBelow * 100 >= (long) p * sorted.size()) {
                return v;
            }
        }
        throw new IllegalArgumentException("empty");
    }

    private static Instant hour(Instant t) {
        return t.truncatedTo(ChronoUnit.HOURS);
    }

    private static void putList(ObjectNode node, String field, List<String> values) {
        if (values == null) {
            node.putNull(field);
        } else {
            ArrayNode a = node.putArray(field);
            values.forEach(a::add);
        }
    }

    private static <T> long count(List<T> items, Predicate<T> p) {
        return items.stream().filter(p).count();
    }

    // ---------------------------------------------------------------------------------------
    // Comparing.

    /**
     * Every leaf of a JSON tree by its path ({@code slas[0].counts.judged}), numbers compared by
     * value; {@code skip} leaves out fields by name (generatedAt, prose).
     */
    static Map<String, String> leaves(JsonNode node, Set<String> skip) {
        Map<String, String> out = new TreeMap<>();
        leaves("", node, skip, out);
        return out;
    }

    private static void leaves(String path, JsonNode n, Set<String> skip, Map<String, String> out) {
        if (n.isObject()) {
            if (n.isEmpty()) {
                out.put(path, "{}");
            }
            Iterator<Map.Entry<String, JsonNode>> fields = n.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                if (!skip.contains(f.getKey())) {
                    leaves(
                            path.isEmpty() ? f.getKey() : path + "." + f.getKey(),
                            f.getValue(),
                            skip,
                            out);
                }
            }
        } else if (n.isArray()) {
            out.put(path + ".size", Integer.toString(n.size()));
            for (int i = 0; i < n.size(); i++) {
                leaves(path + "[" + i + "]", n.get(i), skip, out);
            }
        } else if (n.isNumber()) {
            out.put(path, n.decimalValue().stripTrailingZeros().toPlainString());
        } else {
            out.put(path, n.isNull() ? "null" : n.asText());
        }
    }

    static JsonNode read(Path file) throws IOException {
        return JSON.readTree(file.toFile());
    }
}
