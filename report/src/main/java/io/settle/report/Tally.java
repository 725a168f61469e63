package io.settle.report;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What each record and each settlement adds to the report, as {@link Figure}s: the pure core of the
 * report job, which only groups and sums what these methods emit. Definitions (docs/report.md):
 *
 * <ul>
 *   <li>A result counts in the period of its {@code endedAt}, an alert in that of its {@code at}; a
 *       dead letter in that of its Kafka record time (in replay, always).
 *   <li>Copies of a result or an alert (the same {@code resultId} or {@code alertId}, as an
 *       at-least-once alerts topic may hold) count once.
 *   <li>A settlement's parties and currencies come from its result (in or out of the period) or its
 *       open-book entry; alerts of a settlement with neither count under {@code (unknown)}. Each of
 *       its parties counts it: the per-party rows add up to more than the total.
 *   <li>On time: a {@code SETTLED} result with {@code breached} false; judged for the on-time SLA
 *       are those and the {@code DEADLINE_MISSED} alerts (once per settlement, at the deadline).
 * </ul>
 */
public final class Tally {
    private Tally() {}

    /** What one record adds, before settlements are put together. */
    public static void record(ReportRecord r, Consumer<Figure> out) {
        String kind = r.kind.folder();
        out.accept(Figure.count(Metrics.READ, kind));
        if (!r.readable) {
            out.accept(Figure.count(Metrics.UNREADABLE, kind));
            return;
        }
        if (!r.inPeriod) {
            out.accept(Figure.count(Metrics.OUTSIDE_PERIOD, kind));
            return;
        }
        if (r.kind == OutputKind.DEAD_LETTER) {
            out.accept(Figure.count(Metrics.DEAD_LETTERS, r.reason));
        }
        if ((r.kind == OutputKind.RESULT || r.kind == OutputKind.ALERT) && r.at != null) {
            long t = r.at.toEpochMilli();
            out.accept(new Figure(Metrics.FIRST, Metrics.ALL, t, Figure.Op.MIN));
            out.accept(new Figure(Metrics.LAST, Metrics.ALL, t, Figure.Op.MAX));
        }
    }

    /** What one settlement adds: its results, alerts, booking and state at the end. */
    public static void settlement(SettlementFacts f, ReportSettings s, Consumer<Figure> out) {
        List<ReportRecord> results = distinct(f.results);
        List<ReportRecord> alerts = distinct(f.alerts);
        if (f.results.size() > results.size()) {
            out.accept(
                    new Figure(
                            Metrics.DUPLICATES,
                            OutputKind.RESULT.folder(),
                            f.results.size() - results.size(),
                            Figure.Op.SUM));
        }
        if (f.alerts.size() > alerts.size()) {
            out.accept(
                    new Figure(
                            Metrics.DUPLICATES,
                            OutputKind.ALERT.folder(),
                            f.alerts.size() - alerts.size(),
                            Figure.Op.SUM));
        }
        ReportRecord booking = booking(results, f.open);
        List<String> parties = orUnknown(booking == null ? null : booking.parties);
        List<String> currencies = orUnknown(booking == null ? null : booking.currencies);

        if (booking != null && booking.bookedAt != null && s.inPeriod(booking.bookedAt)) {
            out.accept(Figure.count(Metrics.HOUR_BOOKED, Metrics.hour(booking.bookedAt)));
        }
        for (ReportRecord r : results) {
            if (r.inPeriod) {
                result(r, parties, currencies, out);
            }
        }
        for (ReportRecord a : alerts) {
            if (a.inPeriod) {
                alert(a, parties, currencies, out);
            }
        }
        OpenItem open = openItem(f, s);
        if (open != null) {
            out.accept(Figure.count(Metrics.OPEN_STATE, open.state));
        }
    }

    private static void result(
            ReportRecord r, List<String> parties, List<String> currencies, Consumer<Figure> out) {
        String hour = Metrics.hour(r.at);
        out.accept(Figure.count(Metrics.RESULTS, r.status));
        switch (r.status) {
            case "SETTLED":
                out.accept(
                        Figure.count(
                                r.breached ? Metrics.SETTLED_LATE : Metrics.SETTLED_ON_TIME,
                                Metrics.ALL));
                out.accept(
                        Figure.count(
                                r.breached
                                        ? Metrics.HOUR_SETTLED_LATE
                                        : Metrics.HOUR_SETTLED_ON_TIME,
                                hour));
                break;
            case "CANCELLED":
                out.accept(Figure.count(Metrics.HOUR_CANCELLED, hour));
                break;
            default:
                out.accept(Figure.count(Metrics.HOUR_EXPIRED, hour));
        }
        if (r.breached) {
            out.accept(Figure.count(Metrics.BREACHED, Metrics.ALL));
        }
        for (String dimension : List.of(Metrics.PARTY, Metrics.CURRENCY)) {
            for (String key : dimension.equals(Metrics.PARTY) ? parties : currencies) {
                out.accept(Figure.count(dimension + Metrics.SETTLEMENTS, key));
                if (r.breached) {
                    out.accept(Figure.count(dimension + Metrics.BREACHES, key));
                }
            }
        }
    }

    private static void alert(
            ReportRecord a, List<String> parties, List<String> currencies, Consumer<Figure> out) {
        boolean critical = "CRITICAL".equals(a.severity);
        boolean missed = OpenItem.DEADLINE_MISSED.equals(a.type);
        out.accept(Figure.count(Metrics.ALERT_TYPE, a.type));
        out.accept(Figure.count(Metrics.ALERT_SEVERITY, a.severity));
        out.accept(Figure.count(Metrics.HOUR_ALERTS, Metrics.hour(a.at)));
        if (missed) {
            out.accept(Figure.count(Metrics.HOUR_DEADLINE_MISSED, Metrics.hour(a.at)));
        }
        for (String dimension : List.of(Metrics.PARTY, Metrics.CURRENCY)) {
            for (String key : dimension.equals(Metrics.PARTY) ? parties : currencies) {
                out.accept(Figure.count(dimension + Metrics.ALERTS, key));
                if (critical) {
                    out.accept(Figure.count(dimension + Metrics.CRITICAL, key));
                }
                if (missed) {
                    out.accept(Figure.count(dimension + Metrics.MISSED, key));
                }
            }
        }
    }

    /**
     * The settlement as it stands at the end of the period if it is still open then; else null.
     * Replay: its open-book entry, its state from its alerts. Kafka: a settlement with an {@code
     * AT_RISK} or {@code DEADLINE_MISSED} alert in the period and no result that ended before the
     * period's end.
     */
    public static OpenItem openItem(SettlementFacts f, ReportSettings s) {
        List<ReportRecord> alerts = distinct(f.alerts);
        OpenItem item = new OpenItem();
        item.settlementId = f.settlementId;
        ReportRecord risk;
        if (s.openBook()) {
            if (f.open.isEmpty()) {
                return null;
            }
            ReportRecord o = f.open.get(0);
            risk = latestRisk(alerts, false);
            item.status = o.status;
            item.bookedAt = o.bookedAt;
            item.deadline = o.deadline;
            item.legs = o.legs;
            item.legsConfirmed = o.legsConfirmed;
            item.eventsWaiting = o.eventsWaiting;
            item.parties = o.parties;
            item.currencies = o.currencies;
            item.state =
                    "AWAITING_BOOKING".equals(o.status)
                            ? OpenItem.AWAITING_BOOKING
                            : risk == null ? OpenItem.ON_TRACK : stateOf(alerts, false);
        } else {
            risk = latestRisk(alerts, true);
            if (risk == null) {
                return null;
            }
            for (ReportRecord r : f.results) {
                if (s.to() == null || r.at.isBefore(s.to())) {
                    return null; // it ended within the period
                }
            }
            ReportRecord later = f.results.isEmpty() ? null : distinct(f.results).get(0);
            if (later != null) { // ended after the period: its booking is known
                item.bookedAt = later.bookedAt;
                item.deadline = later.deadline;
                item.legs = later.legs;
                item.parties = later.parties;
                item.currencies = later.currencies;
            }
            item.state = stateOf(alerts, true);
        }
        if (risk != null) {
            item.lastAlert = risk.type;
            item.lastAlertAt = risk.at;
        }
        return item;
    }

    private static String stateOf(List<ReportRecord> alerts, boolean inPeriodOnly) {
        for (ReportRecord a : alerts) {
            if ((a.inPeriod || !inPeriodOnly) && OpenItem.DEADLINE_MISSED.equals(a.type)) {
                return OpenItem.DEADLINE_MISSED;
            }
        }
        return OpenItem.AT_RISK;
    }

    /** The latest AT_RISK or DEADLINE_MISSED alert (the latter first at equal instants). */
    private static ReportRecord latestRisk(List<ReportRecord> alerts, boolean inPeriodOnly) {
        ReportRecord latest = null;
        for (ReportRecord a : alerts) {
            boolean risk =
                    OpenItem.AT_RISK.equals(a.type) || OpenItem.DEADLINE_MISSED.equals(a.type);
            if (!risk || (inPeriodOnly && !a.inPeriod)) {
                continue;
            }
            if (latest == null
                    || a.at.isAfter(latest.at)
                    || (a.at.equals(latest.at) && OpenItem.DEADLINE_MISSED.equals(a.type))) {
                latest = a;
            }
        }
        return latest;
    }

    /** Booked-to-settled latencies of the settlement's results settled in the period. */
    public static void latencies(SettlementFacts f, Consumer<LatencySample> out) {
        for (ReportRecord r : distinct(f.results)) {
            if (r.inPeriod && "SETTLED".equals(r.status) && r.bookedAt != null) {
                long ms = Duration.between(r.bookedAt, r.at).toMillis();
                out.accept(new LatencySample(Metrics.hour(r.at), ms));
                out.accept(new LatencySample(LatencySample.PERIOD, ms));
            }
        }
    }

    /**
     * The count, nearest-rank p50, p90, p99 and the maximum of {@code millis} (sorted in place):
     * the pXX is the smallest value that at least XX% of the values are at or below.
     */
    public static void percentiles(String bucket, long[] millis, Consumer<Figure> out) {
        if (millis.length == 0) {
            return;
        }
        Arrays.sort(millis);
        out.accept(latency(Metrics.COUNT, bucket, millis.length));
        out.accept(latency(Metrics.P50, bucket, nearestRank(millis, 50)));
        out.accept(latency(Metrics.P90, bucket, nearestRank(millis, 90)));
        out.accept(latency(Metrics.P99, bucket, nearestRank(millis, 99)));
        out.accept(latency(Metrics.MAX, bucket, millis[millis.length - 1]));
    }

    /** The {@code percent}th percentile of ascending {@code sorted}, by nearest rank. */
    public static long nearestRank(long[] sorted, int percent) {
        long n = sorted.length;
        long rank = (percent * n + 99) / 100; // ceil(percent / 100 * n), at least 1
        return sorted[(int) Math.max(rank, 1) - 1];
    }

    private static Figure latency(String stat, String bucket, long value) {
        return new Figure(Metrics.LATENCY + stat, bucket, value, Figure.Op.MAX);
    }

    /** One record per id, whichever copy sorts first (copies are equal in practice). */
    static List<ReportRecord> distinct(List<ReportRecord> records) {
        if (records.size() <= 1) {
            return records;
        }
        List<ReportRecord> sorted = new ArrayList<>(records);
        sorted.sort(
                Comparator.comparing((ReportRecord r) -> r.id)
                        .thenComparing(r -> r.at)
                        .thenComparing(r -> String.valueOf(r.status)));
        Map<String, ReportRecord> byId = new LinkedHashMap<>();
        for (ReportRecord r : sorted) {
            byId.putIfAbsent(r.id, r);
        }
        return new ArrayList<>(byId.values());
    }

    /** The record that tells the settlement's booking: a result, else its open-book entry. */
    private static ReportRecord booking(List<ReportRecord> results, List<ReportRecord> open) {
        for (ReportRecord r : results) {
            if (r.parties != null) {
                return r;
            }
        }
        for (ReportRecord o : open) {
            if (o.bookedAt != null) {
                return o;
            }
        }
        return null;
    }

    private static List<String> orUnknown(List<String> values) {
        return values == null || values.isEmpty() ? List.of(Metrics.UNKNOWN) : values;
    }
}
