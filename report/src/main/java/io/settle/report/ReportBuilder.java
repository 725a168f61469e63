package io.settle.report;

import io.settle.operators.model.AlertType;
import io.settle.operators.model.ReasonCode;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Turns the job's {@link Aggregates} into the {@link Report}: totals, the three SLA verdicts, the
 * hours, the breakdowns and the open items. Plain Java, on the client.
 */
public final class ReportBuilder {
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private final ReportSettings settings;
    private final Aggregates a;

    private ReportBuilder(ReportSettings settings, Aggregates aggregates) {
        this.settings = settings;
        this.a = aggregates;
    }

    public static Report build(
            Aggregates aggregates,
            ReportSettings settings,
            Report.Source source,
            Instant generatedAt) {
        return new ReportBuilder(settings, aggregates).build(source, generatedAt);
    }

    private Report build(Report.Source source, Instant generatedAt) {
        Report.Period period = period();
        Report.DeadLetters deadLetters = deadLetters();
        List<Report.Sla> slas = List.of(onTimeShare(), p99Latency(), deadLetterSla(deadLetters));
        return new Report(
                Report.VERSION,
                generatedAt.truncatedTo(ChronoUnit.SECONDS).toString(),
                source,
                period,
                new Report.Targets(
                        settings.onTimeTargetPercent(),
                        settings.settlementWindow().toMillis(),
                        settings.settlementWindow().toString(),
                        settings.explainedReasons()),
                slas,
                totals(deadLetters),
                latency(LatencySample.PERIOD),
                hours(period),
                alerts(),
                deadLetters,
                openAtEnd(),
                input());
    }

    private Report.Period period() {
        Long first = a.find(Metrics.FIRST, Metrics.ALL);
        Long last = a.find(Metrics.LAST, Metrics.ALL);
        String from =
                settings.from() != null
                        ? settings.from().toString()
                        : first == null ? null : Instant.ofEpochMilli(first).toString();
        String to =
                settings.to() != null
                        ? settings.to().toString()
                        : last == null ? null : Instant.ofEpochMilli(last).toString();
        return new Report.Period(from, to, settings.from() != null, settings.to() != null);
    }

    private Report.Totals totals(Report.DeadLetters deadLetters) {
        return new Report.Totals(
                a.sum(Metrics.RESULTS),
                a.get(Metrics.RESULTS, "SETTLED"),
                a.get(Metrics.SETTLED_ON_TIME, Metrics.ALL),
                a.get(Metrics.SETTLED_LATE, Metrics.ALL),
                a.get(Metrics.RESULTS, "CANCELLED"),
                a.get(Metrics.RESULTS, "EXPIRED"),
                a.get(Metrics.BREACHED, Metrics.ALL),
                a.sum(Metrics.HOUR_BOOKED),
                a.sum(Metrics.ALERT_TYPE),
                a.get(Metrics.ALERT_SEVERITY, "CRITICAL"),
                a.get(Metrics.ALERT_TYPE, AlertType.DEADLINE_MISSED.name()),
                deadLetters.total(),
                deadLetters.unexplained(),
                a.sum(Metrics.OPEN_STATE),
                a.sum(Metrics.UNREADABLE),
                a.sum(Metrics.DUPLICATES));
    }

    // ---------------------------------------------------------------------------------------
    // The SLAs.

    private Report.Sla onTimeShare() {
        long onTime = a.get(Metrics.SETTLED_ON_TIME, Metrics.ALL);
        long missed = a.get(Metrics.ALERT_TYPE, AlertType.DEADLINE_MISSED.name());
        long judged = onTime + missed;
        BigDecimal target = settings.onTimeTargetPercent();
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("onTime", onTime);
        counts.put("deadlineMissed", missed);
        counts.put("judged", judged);
        String title = "Settled before the deadline";
        if (judged == 0) {
            return new Report.Sla(
                    Report.ON_TIME_SHARE,
                    title,
                    Report.NO_DATA,
                    "percent",
                    target,
                    null,
                    null,
                    "No settlement settled or missed its deadline in the period.",
                    counts);
        }
        BigDecimal n = BigDecimal.valueOf(judged);
        BigDecimal onTimeHundreds = BigDecimal.valueOf(onTime).multiply(HUNDRED);
        BigDecimal actual = onTimeHundreds.divide(n, 3, RoundingMode.FLOOR);
        BigDecimal margin =
                onTimeHundreds.subtract(target.multiply(n)).divide(n, 3, RoundingMode.FLOOR);
        boolean met = onTimeHundreds.compareTo(target.multiply(n)) >= 0;
        long required = target.multiply(n).divide(HUNDRED, 0, RoundingMode.CEILING).longValue();
        long slack = onTime - required;
        counts.put("slack", slack);
        String summary =
                Formats.percent(actual)
                        + " of "
                        + Formats.count(judged)
                        + (judged == 1 ? " settlement" : " settlements")
                        + " due were settled before their deadline ("
                        + Formats.count(missed)
                        + " missed it): "
                        + margin.abs().toPlainString()
                        + " points "
                        + (met ? "above" : "below")
                        + " the "
                        + Formats.percent(target)
                        + " target; "
                        + (met
                                ? slack == 0
                                        ? "one more missed deadline would have missed it."
                                        : Formats.count(slack)
                                                + " more missed deadlines would still have met it."
                                : Formats.count(-slack)
                                        + " more settled on time would have met it.");
        return new Report.Sla(
                Report.ON_TIME_SHARE,
                title,
                met ? Report.MET : Report.MISSED,
                "percent",
                target,
                actual,
                margin,
                summary,
                counts);
    }

    private Report.Sla p99Latency() {
        Duration window = settings.settlementWindow();
        long windowMs = window.toMillis();
        Long p99 = a.find(Metrics.LATENCY + Metrics.P99, LatencySample.PERIOD);
        long settled = a.get(Metrics.LATENCY + Metrics.COUNT, LatencySample.PERIOD);
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("settled", settled);
        String title = "99% settled within " + Formats.duration(windowMs) + " of booking";
        if (p99 == null) {
            return new Report.Sla(
                    Report.P99_LATENCY,
                    title,
                    Report.NO_DATA,
                    "ms",
                    BigDecimal.valueOf(windowMs),
                    null,
                    null,
                    "No settlement settled in the period.",
                    counts);
        }
        boolean met = p99 <= windowMs;
        String summary =
                "99% of "
                        + Formats.count(settled)
                        + " settled within "
                        + Formats.duration(p99)
                        + " of booking (p99): "
                        + (met
                                ? Formats.duration(windowMs - p99) + " inside"
                                : Formats.duration(p99 - windowMs) + " over")
                        + " the "
                        + Formats.duration(windowMs)
                        + " settlement window.";
        return new Report.Sla(
                Report.P99_LATENCY,
                title,
                met ? Report.MET : Report.MISSED,
                "ms",
                BigDecimal.valueOf(windowMs),
                BigDecimal.valueOf(p99),
                BigDecimal.valueOf(windowMs - p99),
                summary,
                counts);
    }

    private Report.Sla deadLetterSla(Report.DeadLetters d) {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("deadLetters", d.total());
        counts.put("explained", d.explained());
        counts.put("unexplained", d.unexplained());
        boolean met = d.unexplained() == 0;
        StringBuilder which = new StringBuilder();
        for (Report.ReasonCount r : d.byReason()) {
            if (r.count() > 0 && r.explained() == met) {
                which.append(which.length() == 0 ? "" : ", ")
                        .append(r.reason())
                        .append(' ')
                        .append(Formats.count(r.count()));
            }
        }
        String summary =
                met
                        ? "No unexplained dead letters"
                                + (d.explained() == 0
                                        ? "."
                                        : " ("
                                                + Formats.count(d.explained())
                                                + " explained: "
                                                + which
                                                + ").")
                        : Formats.count(d.unexplained())
                                + (d.unexplained() == 1 ? " dead letter is" : " dead letters are")
                                + " unexplained ("
                                + which
                                + "); the target is none.";
        return new Report.Sla(
                Report.UNEXPLAINED_DEAD_LETTERS,
                "No unexplained dead letters",
                met ? Report.MET : Report.MISSED,
                "count",
                BigDecimal.ZERO,
                BigDecimal.valueOf(d.unexplained()),
                BigDecimal.valueOf(-d.unexplained()),
                summary,
                counts);
    }

    // ---------------------------------------------------------------------------------------
    // Breakdowns.

    private Report.Latency latency(String bucket) {
        long count = a.get(Metrics.LATENCY + Metrics.COUNT, bucket);
        return new Report.Latency(
                count,
                a.find(Metrics.LATENCY + Metrics.P50, bucket),
                a.find(Metrics.LATENCY + Metrics.P90, bucket),
                a.find(Metrics.LATENCY + Metrics.P99, bucket),
                a.find(Metrics.LATENCY + Metrics.MAX, bucket));
    }

    private static final List<String> HOUR_METRICS =
            List.of(
                    Metrics.HOUR_BOOKED,
                    Metrics.HOUR_SETTLED_ON_TIME,
                    Metrics.HOUR_SETTLED_LATE,
                    Metrics.HOUR_CANCELLED,
                    Metrics.HOUR_EXPIRED,
                    Metrics.HOUR_ALERTS,
                    Metrics.HOUR_DEADLINE_MISSED);

    /** Every hour of the period, and any other hour a figure falls in (bookings before it). */
    private List<Report.Hour> hours(Report.Period period) {
        TreeSet<Instant> keys = new TreeSet<>();
        for (String m : HOUR_METRICS) {
            a.of(m).keySet().forEach(k -> keys.add(Instant.parse(k)));
        }
        a.of(Metrics.LATENCY + Metrics.COUNT).keySet().stream()
                .filter(k -> !k.equals(LatencySample.PERIOD))
                .forEach(k -> keys.add(Instant.parse(k)));
        if (period.from() != null) {
            keys.add(Instant.parse(period.from()).truncatedTo(ChronoUnit.HOURS));
        }
        if (period.to() != null) {
            Instant to = Instant.parse(period.to());
            // An exclusive end on the hour does not open another hour.
            keys.add((period.toGiven() ? to.minusNanos(1) : to).truncatedTo(ChronoUnit.HOURS));
        }
        List<Report.Hour> hours = new ArrayList<>();
        if (keys.isEmpty()) {
            return hours;
        }
        for (Instant h = keys.first(); !h.isAfter(keys.last()); h = h.plus(1, ChronoUnit.HOURS)) {
            String k = h.toString();
            Report.Latency latency = latency(k);
            hours.add(
                    new Report.Hour(
                            k,
                            a.get(Metrics.HOUR_BOOKED, k),
                            a.get(Metrics.HOUR_SETTLED_ON_TIME, k),
                            a.get(Metrics.HOUR_SETTLED_LATE, k),
                            a.get(Metrics.HOUR_CANCELLED, k),
                            a.get(Metrics.HOUR_EXPIRED, k),
                            a.get(Metrics.HOUR_ALERTS, k),
                            a.get(Metrics.HOUR_DEADLINE_MISSED, k),
                            latency.count() == 0 ? null : latency));
        }
        return hours;
    }

    private Report.Alerts alerts() {
        List<Report.TypeCount> byType = new ArrayList<>();
        TreeSet<String> others = new TreeSet<>(a.of(Metrics.ALERT_TYPE).keySet());
        for (AlertType t : AlertType.values()) {
            others.remove(t.name());
            byType.add(
                    new Report.TypeCount(
                            t.name(), t.severity().name(), a.get(Metrics.ALERT_TYPE, t.name())));
        }
        for (String t : others) { // a type this version does not know
            byType.add(new Report.TypeCount(t, "UNKNOWN", a.get(Metrics.ALERT_TYPE, t)));
        }
        Map<String, Long> bySeverity = new LinkedHashMap<>();
        bySeverity.put("CRITICAL", a.get(Metrics.ALERT_SEVERITY, "CRITICAL"));
        bySeverity.put("WARNING", a.get(Metrics.ALERT_SEVERITY, "WARNING"));
        return new Report.Alerts(
                a.sum(Metrics.ALERT_TYPE),
                a.get(Metrics.ALERT_SEVERITY, "CRITICAL"),
                byType,
                bySeverity,
                counterparties(Metrics.PARTY),
                counterparties(Metrics.CURRENCY));
    }

    private List<Report.Counterparty> counterparties(String dimension) {
        TreeSet<String> names = new TreeSet<>();
        for (String m :
                List.of(
                        Metrics.SETTLEMENTS,
                        Metrics.BREACHES,
                        Metrics.ALERTS,
                        Metrics.CRITICAL,
                        Metrics.MISSED)) {
            names.addAll(a.of(dimension + m).keySet());
        }
        List<Report.Counterparty> rows = new ArrayList<>();
        for (String n : names) {
            rows.add(
                    new Report.Counterparty(
                            n,
                            a.get(dimension + Metrics.SETTLEMENTS, n),
                            a.get(dimension + Metrics.BREACHES, n),
                            a.get(dimension + Metrics.ALERTS, n),
                            a.get(dimension + Metrics.CRITICAL, n),
                            a.get(dimension + Metrics.MISSED, n)));
        }
        return rows;
    }

    private Report.DeadLetters deadLetters() {
        List<Report.ReasonCount> byReason = new ArrayList<>();
        TreeSet<String> others = new TreeSet<>(a.of(Metrics.DEAD_LETTERS).keySet());
        long total = 0;
        long explained = 0;
        for (ReasonCode r : ReasonCode.values()) {
            others.remove(r.name());
        }
        List<String> reasons = new ArrayList<>();
        for (ReasonCode r : ReasonCode.values()) {
            reasons.add(r.name());
        }
        reasons.addAll(others); // a reason this version does not know: unexplained
        for (String r : reasons) {
            long n = a.get(Metrics.DEAD_LETTERS, r);
            boolean isExplained = settings.explained(r);
            byReason.add(new Report.ReasonCount(r, n, isExplained));
            total += n;
            explained += isExplained ? n : 0;
        }
        return new Report.DeadLetters(total, explained, total - explained, byReason);
    }

    private Report.OpenAtEnd openAtEnd() {
        Map<String, Long> byState = new LinkedHashMap<>();
        for (String s : OpenItem.STATES) {
            byState.put(s, a.get(Metrics.OPEN_STATE, s));
        }
        List<OpenItem> sorted = new ArrayList<>(a.openItems());
        sorted.sort(
                Comparator.comparingInt((OpenItem i) -> OpenItem.STATES.indexOf(i.state))
                        .thenComparing(
                                i -> i.deadline, Comparator.nullsLast(Comparator.naturalOrder()))
                        .thenComparing(i -> i.settlementId));
        List<Report.Item> items = new ArrayList<>(sorted.size());
        for (OpenItem i : sorted) {
            items.add(
                    new Report.Item(
                            i.settlementId,
                            i.state,
                            i.status,
                            text(i.bookedAt),
                            text(i.deadline),
                            i.legs,
                            i.legsConfirmed,
                            i.eventsWaiting,
                            i.parties,
                            i.currencies,
                            i.lastAlert,
                            text(i.lastAlertAt)));
        }
        return new Report.OpenAtEnd(
                settings.openBook() ? "OPEN_BOOK" : "ALERTS_WITHOUT_RESULT",
                settings.openBook() || settings.to() == null ? null : settings.to().toString(),
                a.sum(Metrics.OPEN_STATE),
                byState,
                items);
    }

    private List<Report.Input> input() {
        List<Report.Input> rows = new ArrayList<>();
        for (OutputKind k : OutputKind.values()) {
            String kind = k.folder();
            rows.add(
                    new Report.Input(
                            kind,
                            a.get(Metrics.READ, kind),
                            a.get(Metrics.UNREADABLE, kind),
                            a.get(Metrics.OUTSIDE_PERIOD, kind),
                            a.get(Metrics.DUPLICATES, kind)));
        }
        return rows;
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
