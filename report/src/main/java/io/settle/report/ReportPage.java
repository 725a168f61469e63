package io.settle.report;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code report.html}: the {@link Report} as one self-contained page for people who do not read
 * JSON. Inline CSS, inline SVG charts ({@link Svg}), a small inline script that sorts tables (click
 * a heading, or open the page with {@code #sort=TABLE:COLUMN:asc|desc}) and checks the page: when
 * it has rendered without a script error or a broken image it sets {@code data-report-status="ok"}
 * on the {@code <html>} element, otherwise {@code "error"} and shows what went wrong at the top.
 * Nothing is loaded from the network.
 */
public final class ReportPage {
    private ReportPage() {}

    /** Open items shown in the page; report.json has them all. */
    static final int OPEN_ROWS = 200;

    /** Above this many hours the volume chart shows days. */
    static final int MAX_HOUR_BARS = 72;

    static final String ON_TIME = "#2e7d32";
    static final String LATE = "#f9a825";
    static final String CANCELLED = "#90a4ae";
    static final String EXPIRED = "#c62828";
    static final String BOOKED = "#1565c0";
    static final String CRITICAL = "#c62828";
    static final String WARNING = "#ef8f00";
    static final String EXPLAINED = "#90a4ae";

    public static String render(Report r) {
        StringBuilder b = new StringBuilder(64 * 1024);
        String period = periodText(r.period());
        b.append("<!DOCTYPE html>\n<html lang=\"en\" data-report-status=\"pending\">\n<head>\n")
                .append("<meta charset=\"utf-8\">\n")
                .append(
                        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Settlement SLA report · ")
                .append(esc(period))
                .append("</title>\n")
                .append("<script>")
                .append(ERROR_TRAP)
                .append("</script>\n")
                .append("<style>")
                .append(CSS)
                .append("</style>\n")
                .append("</head>\n<body>\n<main>\n");
        header(b, r, period);
        b.append("<div id=\"report-errors\" role=\"alert\" hidden></div>\n");
        verdicts(b, r);
        kpis(b, r);
        volumes(b, r);
        latency(b, r);
        alertsAndDeadLetters(b, r);
        counterparties(b, r);
        openAtEnd(b, r);
        definitions(b, r);
        b.append("</main>\n<script>").append(SCRIPT).append("</script>\n</body>\n</html>\n");
        return b.toString();
    }

    // ---------------------------------------------------------------------------------------
    // Sections.

    private static void header(StringBuilder b, Report r, String period) {
        b.append("<header><h1>Settlement SLA report</h1>")
                .append("<p class=\"period\">")
                .append(esc(period))
                .append("</p><p class=\"meta\">Source: ")
                .append(esc(r.source().mode()))
                .append(" <code>")
                .append(esc(r.source().location()))
                .append("</code> · generated ")
                .append(esc(Formats.dayTime(r.generatedAt())))
                .append(" · figures also in <code>report.json</code></p>");
        long unreadable = r.totals().unreadableRecords();
        if (unreadable > 0) {
            b.append("<p class=\"warning\">")
                    .append(Formats.count(unreadable))
                    .append(unreadable == 1 ? " record" : " records")
                    .append(
                            " could not be read and are not in these figures (see Input at the end).</p>");
        }
        b.append("</header>\n");
    }

    private static void verdicts(StringBuilder b, Report r) {
        b.append("<section class=\"verdicts\" aria-label=\"SLA verdicts\">");
        for (Report.Sla s : r.slas()) {
            String css = s.verdict().toLowerCase(Locale.ROOT).replace('_', '-');
            b.append("<article class=\"verdict ")
                    .append(css)
                    .append("\" id=\"sla-")
                    .append(esc(s.id()))
                    .append("\"><div class=\"badge\">")
                    .append(
                            s.verdict().equals(Report.MET)
                                    ? "&#10003; Met"
                                    : s.verdict().equals(Report.MISSED)
                                            ? "&#10007; Missed"
                                            : "No data")
                    .append("</div><h2>")
                    .append(esc(s.title()))
                    .append("</h2><p class=\"figures\">")
                    .append(slaFigures(s))
                    .append("</p><p>")
                    .append(esc(s.summary()))
                    .append("</p></article>");
        }
        b.append("</section>\n");
    }

    private static String slaFigures(Report.Sla s) {
        String actual;
        String target;
        switch (s.unit()) {
            case "percent":
                target = "&ge; " + esc(Formats.percent(s.target()));
                actual = s.actual() == null ? "-" : esc(Formats.percent(s.actual()));
                break;
            case "ms":
                target = "&le; " + esc(Formats.duration(s.target().longValue()));
                actual = s.actual() == null ? "-" : esc(Formats.duration(s.actual().longValue()));
                break;
            default:
                target = esc(s.target().toPlainString());
                actual = s.actual() == null ? "-" : esc(s.actual().toPlainString());
        }
        return "<span class=\"actual\">"
                + actual
                + "</span> <span class=\"target\">target "
                + target
                + "</span>";
    }

    private static void kpis(StringBuilder b, Report r) {
        Report.Totals t = r.totals();
        b.append("<section class=\"kpis\" aria-label=\"Key figures\">");
        kpi(b, "booked", "Booked", t.booked(), "settlements booked in the period");
        kpi(
                b,
                "settled",
                "Settled",
                t.settled(),
                Formats.count(t.settledOnTime())
                        + " on time, "
                        + Formats.count(t.settledLate())
                        + " late");
        kpi(b, "cancelled", "Cancelled", t.cancelled(), "ended by a cancellation");
        kpi(b, "expired", "Expired", t.expired(), "never settled, a day past the deadline");
        kpi(
                b,
                "alerts",
                "Alerts",
                t.alerts(),
                Formats.count(t.criticalAlerts())
                        + " critical, "
                        + Formats.count(t.deadlineMissed())
                        + " deadlines missed");
        kpi(
                b,
                "dead-letters",
                "Dead letters",
                t.deadLetters(),
                Formats.count(t.unexplainedDeadLetters()) + " unexplained");
        long attention =
                r.openAtEnd().byState().getOrDefault(OpenItem.AT_RISK, 0L)
                        + r.openAtEnd().byState().getOrDefault(OpenItem.DEADLINE_MISSED, 0L);
        kpi(
                b,
                "open",
                "Open at the end",
                t.openAtEnd(),
                Formats.count(attention) + " at risk or past the deadline");
        b.append("</section>\n");
    }

    private static void kpi(StringBuilder b, String id, String label, long value, String note) {
        b.append("<div class=\"kpi\" id=\"kpi-")
                .append(id)
                .append("\"><div class=\"value\">")
                .append(Formats.count(value))
                .append("</div><div class=\"label\">")
                .append(esc(label))
                .append("</div><div class=\"note\">")
                .append(esc(note))
                .append("</div></div>");
    }

    private static void volumes(StringBuilder b, Report r) {
        b.append("<section><h2>Volumes per hour</h2>");
        List<Report.Hour> hours = r.hours();
        if (hours.isEmpty()) {
            b.append("<p class=\"empty\">Nothing happened in the period.</p></section>\n");
            return;
        }
        boolean days = hours.size() > MAX_HOUR_BARS;
        boolean withDay = spansDays(hours);
        List<String> x = new ArrayList<>();
        List<long[]> rows = new ArrayList<>(); // booked, on time, late, cancelled, expired
        for (Report.Hour h : hours) {
            long[] v = {h.booked(), h.settledOnTime(), h.settledLate(), h.cancelled(), h.expired()};
            String label =
                    days
                            ? Instant.parse(h.hour()).truncatedTo(ChronoUnit.DAYS).toString()
                            : h.hour();
            if (days && !x.isEmpty() && x.get(x.size() - 1).equals(label)) {
                long[] last = rows.get(rows.size() - 1);
                for (int i = 0; i < v.length; i++) {
                    last[i] += v[i];
                }
            } else {
                x.add(label);
                rows.add(v);
            }
        }
        List<String> labels = new ArrayList<>();
        for (String k : x) {
            labels.add(
                    days
                            ? Instant.parse(k).atZone(ZoneOffset.UTC).toLocalDate().toString()
                            : Formats.hour(k, withDay));
        }
        b.append(
                        "<p class=\"lead\">Settlements that ended in each "
                                + (days ? "day" : "hour")
                                + " (UTC) by outcome, and the bookings of each "
                                + (days ? "day" : "hour")
                                + " as a line: the morning open and the afternoon close stand out.</p>")
                .append(
                        Svg.stackedBars(
                                "chart-volumes",
                                "Settlements per " + (days ? "day" : "hour") + " by outcome",
                                labels,
                                List.of(
                                        series("Settled on time", ON_TIME, rows, 1),
                                        series("Settled late", LATE, rows, 2),
                                        series("Cancelled", CANCELLED, rows, 3),
                                        series("Expired", EXPIRED, rows, 4)),
                                series("Booked", BOOKED, rows, 0),
                                320))
                .append(
                        legend(
                                new String[] {
                                    "Settled on time",
                                    "Settled late",
                                    "Cancelled",
                                    "Expired",
                                    "Booked (line)"
                                },
                                new String[] {ON_TIME, LATE, CANCELLED, EXPIRED, BOOKED}));
        b.append(
                "<details><summary>The numbers per hour</summary><table class=\"sortable\" id=\"hours\"><thead><tr>");
        th(b, "Hour (UTC)", false);
        for (String h :
                new String[] {
                    "Booked",
                    "Settled on time",
                    "Settled late",
                    "Cancelled",
                    "Expired",
                    "Alerts",
                    "Deadlines missed"
                }) {
            th(b, h, true);
        }
        b.append("</tr></thead><tbody>");
        for (Report.Hour h : hours) {
            b.append("<tr>");
            td(b, Formats.hour(h.hour(), withDay), h.hour());
            for (long v :
                    new long[] {
                        h.booked(),
                        h.settledOnTime(),
                        h.settledLate(),
                        h.cancelled(),
                        h.expired(),
                        h.alerts(),
                        h.deadlineMissed()
                    }) {
                num(b, v);
            }
            b.append("</tr>");
        }
        b.append("</tbody></table></details></section>\n");
    }

    private static Svg.Series series(String name, String color, List<long[]> rows, int column) {
        Long[] v = new Long[rows.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rows.get(i)[column];
        }
        return new Svg.Series(name, color, v);
    }

    private static void latency(StringBuilder b, Report r) {
        Report.Latency all = r.latency();
        long window = r.targets().settlementWindowMs();
        b.append("<section><h2>Settlement latency: booked &rarr; settled</h2>");
        if (all.count() == 0) {
            b.append("<p class=\"empty\">No settlement settled in the period.</p></section>\n");
            return;
        }
        b.append(
                        "<p class=\"lead\">How long settlements took from booking to the last confirmation, ")
                .append(
                        "by the hour they settled in. Half settle within the p50, 99 in 100 within ")
                .append("the p99; the dashed line is the ")
                .append(esc(Formats.duration(window)))
                .append(" settlement window. Over the period: p50 ")
                .append(esc(Formats.duration(all.p50Ms())))
                .append(", p90 ")
                .append(esc(Formats.duration(all.p90Ms())))
                .append(", p99 ")
                .append(esc(Formats.duration(all.p99Ms())))
                .append(", slowest ")
                .append(esc(Formats.duration(all.maxMs())))
                .append(" (")
                .append(Formats.count(all.count()))
                .append(" settled).</p>");
        boolean withDay = spansDays(r.hours());
        List<String> x = new ArrayList<>();
        Long[] p50 = new Long[r.hours().size()];
        Long[] p90 = new Long[p50.length];
        Long[] p99 = new Long[p50.length];
        for (int i = 0; i < p50.length; i++) {
            Report.Hour h = r.hours().get(i);
            x.add(Formats.hour(h.hour(), withDay));
            if (h.latency() != null) {
                p50[i] = h.latency().p50Ms();
                p90[i] = h.latency().p90Ms();
                p99[i] = h.latency().p99Ms();
            }
        }
        b.append(
                        Svg.lines(
                                "chart-latency",
                                "Latency percentiles per hour",
                                x,
                                List.of(
                                        new Svg.Series("p50", "#64b5f6", p50),
                                        new Svg.Series("p90", "#1e88e5", p90),
                                        new Svg.Series("p99", "#0d2f6e", p99)),
                                window,
                                Formats.duration(window) + " window",
                                300))
                .append(
                        legend(
                                new String[] {"p50", "p90", "p99", "settlement window"},
                                new String[] {"#64b5f6", "#1e88e5", "#0d2f6e", "#c62828"}));
        b.append("<details><summary>The numbers per hour</summary>")
                .append("<table class=\"sortable\" id=\"latency\"><thead><tr>");
        th(b, "Hour (UTC)", false);
        for (String h : new String[] {"Settled", "p50", "p90", "p99", "Slowest"}) {
            th(b, h, true);
        }
        b.append("</tr></thead><tbody>");
        for (Report.Hour h : r.hours()) {
            Report.Latency l = h.latency();
            if (l == null) {
                continue;
            }
            b.append("<tr>");
            td(b, Formats.hour(h.hour(), withDay), h.hour());
            num(b, l.count());
            duration(b, l.p50Ms());
            duration(b, l.p90Ms());
            duration(b, l.p99Ms());
            duration(b, l.maxMs());
            b.append("</tr>");
        }
        b.append("</tbody></table></details></section>\n");
    }

    private static void alertsAndDeadLetters(StringBuilder b, Report r) {
        b.append("<div class=\"two\"><section><h2>Alerts by type</h2>");
        List<Svg.Bar> bars = new ArrayList<>();
        for (Report.TypeCount t : r.alerts().byType()) {
            if (t.count() > 0) {
                bars.add(
                        new Svg.Bar(
                                label(t.type()),
                                t.count(),
                                t.severity().equals("CRITICAL") ? CRITICAL : WARNING));
            }
        }
        if (bars.isEmpty()) {
            b.append("<p class=\"empty\">No alerts in the period.</p>");
        } else {
            b.append("<p class=\"lead\">")
                    .append(Formats.count(r.alerts().total()))
                    .append(" alerts, ")
                    .append(Formats.count(r.alerts().critical()))
                    .append(" of them critical.</p>")
                    .append(Svg.horizontalBars("chart-alerts", "Alerts by type", bars))
                    .append(
                            legend(
                                    new String[] {"critical", "warning"},
                                    new String[] {CRITICAL, WARNING}));
        }
        b.append("<table class=\"sortable\" id=\"alert-types\"><thead><tr>");
        th(b, "Type", false);
        th(b, "Severity", false);
        th(b, "Alerts", true);
        b.append("</tr></thead><tbody>");
        for (Report.TypeCount t : r.alerts().byType()) {
            b.append("<tr>");
            td(b, t.type(), t.type());
            td(b, t.severity(), t.severity());
            num(b, t.count());
            b.append("</tr>");
        }
        b.append("</tbody></table></section>");

        Report.DeadLetters d = r.deadLetters();
        b.append("<section><h2>Dead letters by reason</h2>");
        List<Svg.Bar> reasons = new ArrayList<>();
        for (Report.ReasonCount c : d.byReason()) {
            if (c.count() > 0) {
                reasons.add(
                        new Svg.Bar(
                                label(c.reason()),
                                c.count(),
                                c.explained() ? EXPLAINED : CRITICAL));
            }
        }
        if (reasons.isEmpty()) {
            b.append("<p class=\"empty\">No dead letters in the period.</p>");
        } else {
            b.append("<p class=\"lead\">")
                    .append(Formats.count(d.total()))
                    .append(" records were rejected; ")
                    .append(Formats.count(d.unexplained()))
                    .append(" of them unexplained.</p>")
                    .append(
                            Svg.horizontalBars(
                                    "chart-dead-letters", "Dead letters by reason", reasons))
                    .append(
                            legend(
                                    new String[] {"unexplained", "explained"},
                                    new String[] {CRITICAL, EXPLAINED}));
        }
        b.append("<table class=\"sortable\" id=\"dead-letters\"><thead><tr>");
        th(b, "Reason", false);
        th(b, "Explained", false);
        th(b, "Dead letters", true);
        b.append("</tr></thead><tbody>");
        for (Report.ReasonCount c : d.byReason()) {
            b.append("<tr>");
            td(b, c.reason(), c.reason());
            td(b, c.explained() ? "yes" : "no", c.explained() ? "yes" : "no");
            num(b, c.count());
            b.append("</tr>");
        }
        b.append("</tbody></table></section></div>\n");
    }

    private static void counterparties(StringBuilder b, Report r) {
        b.append("<section><h2>Breaches and alerts by counterparty and currency</h2>")
                .append(
                        "<p class=\"lead\">A settlement counts for each of its parties and currencies, "
                                + "so rows add up to more than the totals. Alerts of settlements whose "
                                + "booking the report did not see count under (unknown).</p>")
                .append("<div class=\"two\">");
        counterpartyTable(b, "parties", "Party", r.alerts().byParty());
        counterpartyTable(b, "currencies", "Currency", r.alerts().byCurrency());
        b.append("</div></section>\n");
    }

    private static void counterpartyTable(
            StringBuilder b, String id, String name, List<Report.Counterparty> rows) {
        b.append("<div>");
        if (rows.isEmpty()) {
            b.append("<p class=\"empty\">No settlements or alerts by ")
                    .append(esc(name.toLowerCase(Locale.ROOT)))
                    .append(".</p></div>");
            return;
        }
        b.append("<table class=\"sortable\" id=\"").append(id).append("\"><thead><tr>");
        th(b, name, false);
        for (String h :
                new String[] {"Ended", "Breached", "Alerts", "Critical", "Deadlines missed"}) {
            th(b, h, true);
        }
        b.append("</tr></thead><tbody>");
        for (Report.Counterparty c : rows) {
            b.append("<tr>");
            td(b, c.name(), c.name());
            num(b, c.settlements());
            num(b, c.breached());
            num(b, c.alerts());
            num(b, c.critical());
            num(b, c.deadlineMissed());
            b.append("</tr>");
        }
        b.append("</tbody></table></div>");
    }

    private static void openAtEnd(StringBuilder b, Report r) {
        Report.OpenAtEnd o = r.openAtEnd();
        b.append("<section><h2>Still open at the end of the period</h2><p class=\"lead\">");
        if (o.basis().equals("OPEN_BOOK")) {
            b.append("From the replay's open book: what was still open when its clock stopped.");
        } else {
            b.append("Settlements with an at-risk or missed-deadline alert in the period and no ")
                    .append("result before ")
                    .append(esc(Formats.dayTime(o.asOf())))
                    .append(" (the topics do not show settlements that are open and on track).");
        }
        b.append("</p><ul class=\"states\">");
        for (Map.Entry<String, Long> e : o.byState().entrySet()) {
            b.append("<li class=\"state-")
                    .append(e.getKey().toLowerCase(Locale.ROOT).replace('_', '-'))
                    .append("\"><strong>")
                    .append(Formats.count(e.getValue()))
                    .append("</strong> ")
                    .append(esc(label(e.getKey()).toLowerCase(Locale.ROOT)))
                    .append("</li>");
        }
        b.append("</ul>");
        if (o.items().isEmpty()) {
            b.append("<p class=\"empty\">Nothing was open at the end.</p></section>\n");
            return;
        }
        if (o.items().size() > OPEN_ROWS) {
            b.append("<p>The ")
                    .append(OPEN_ROWS)
                    .append(" most urgent of ")
                    .append(Formats.count(o.items().size()))
                    .append(" are shown; report.json lists them all.</p>");
        }
        b.append("<table class=\"sortable\" id=\"open\"><thead><tr>");
        th(b, "Settlement", false);
        th(b, "State", false);
        th(b, "Booked (UTC)", false);
        th(b, "Deadline (UTC)", false);
        th(b, "Legs confirmed", true);
        th(b, "Parties", false);
        th(b, "Currencies", false);
        th(b, "Last alert (UTC)", false);
        b.append("</tr></thead><tbody>");
        for (Report.Item i : o.items().subList(0, Math.min(OPEN_ROWS, o.items().size()))) {
            b.append("<tr class=\"state-")
                    .append(i.state().toLowerCase(Locale.ROOT).replace('_', '-'))
                    .append("\">");
            td(b, i.settlementId(), i.settlementId());
            td(b, label(i.state()), Integer.toString(OpenItem.STATES.indexOf(i.state())));
            td(b, shortInstant(i.bookedAt()), String.valueOf(i.bookedAt()));
            td(b, shortInstant(i.deadline()), String.valueOf(i.deadline()));
            if (i.legs() == null) {
                td(b, i.eventsWaiting() == null ? "-" : i.eventsWaiting() + " waiting", "-1");
            } else {
                td(
                        b,
                        (i.legsConfirmed() == null ? "?" : i.legsConfirmed()) + " of " + i.legs(),
                        Integer.toString(i.legsConfirmed() == null ? 0 : i.legsConfirmed()));
            }
            td(b, join(i.parties()), join(i.parties()));
            td(b, join(i.currencies()), join(i.currencies()));
            td(
                    b,
                    i.lastAlert() == null
                            ? "-"
                            : label(i.lastAlert()) + " " + shortInstant(i.lastAlertAt()),
                    String.valueOf(i.lastAlertAt()));
            b.append("</tr>");
        }
        b.append("</tbody></table></section>\n");
    }

    private static void definitions(StringBuilder b, Report r) {
        b.append("<section class=\"definitions\"><h2>How to read this report</h2><dl>")
                .append("<dt>Period</dt><dd>Results count in the period they ended in (")
                .append("<code>endedAt</code>), alerts in the period they were raised in (")
                .append("<code>at</code>), both in business time (UTC); dead letters by the time ")
                .append("they were written (Kafka) or all of them (a replay).</dd>")
                .append("<dt>Settled before the deadline</dt><dd>Of the settlements that were ")
                .append(
                        "settled on time or missed their deadline in the period, the share settled ")
                .append(
                        "on time. A settlement that missed its deadline counts once, when it missed ")
                .append(
                        "it, even if it settled later; cancelled ones before their deadline do not count.</dd>")
                .append("<dt>Latency</dt><dd>From booking to the confirmation that settled it. ")
                .append("The p99 is the time within which 99 in 100 settled (nearest rank).</dd>")
                .append(
                        "<dt>Unexplained dead letters</dt><dd>Rejected records whose reason is not ")
                .append("explained: explained are ")
                .append(
                        esc(
                                r.targets().explainedDeadLetterReasons().isEmpty()
                                        ? "none"
                                        : String.join(
                                                ", ", r.targets().explainedDeadLetterReasons())))
                .append(" (a conflicting duplicate also raises its own critical alert, and the ")
                .append("first version of the event stands).</dd></dl>");
        b.append("<table id=\"input\"><thead><tr><th>Input</th><th>Read</th><th>Unreadable</th>")
                .append(
                        "<th>Outside the period</th><th>Copies counted once</th></tr></thead><tbody>");
        for (Report.Input i : r.input()) {
            b.append("<tr><td>").append(esc(i.kind())).append("</td>");
            num(b, i.read());
            num(b, i.unreadable());
            num(b, i.outsidePeriod());
            num(b, i.duplicates());
            b.append("</tr>");
        }
        b.append("</tbody></table></section>\n");
    }

    // ---------------------------------------------------------------------------------------
    // Small pieces.

    private static String periodText(Report.Period p) {
        if (p.from() == null && p.to() == null) {
            return "no records in the period";
        }
        return Formats.dayTime(p.from()) + " – " + Formats.dayTime(p.to());
    }

    private static boolean spansDays(List<Report.Hour> hours) {
        return !hours.isEmpty()
                && !hours.get(0)
                        .hour()
                        .substring(0, 10)
                        .equals(hours.get(hours.size() - 1).hour().substring(0, 10));
    }

    private static String legend(String[] names, String[] colors) {
        StringBuilder b = new StringBuilder("<p class=\"legend\">");
        for (int i = 0; i < names.length; i++) {
            b.append("<span><i style=\"background:")
                    .append(colors[i])
                    .append("\"></i>")
                    .append(esc(names[i]))
                    .append("</span>");
        }
        return b.append("</p>").toString();
    }

    /** DEADLINE_MISSED as "Deadline missed". */
    static String label(String code) {
        String s = code.replace('_', ' ').toLowerCase(Locale.ROOT).replace("json", "JSON");
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String shortInstant(String iso) {
        return Formats.shortInstant(iso);
    }

    private static String join(List<String> values) {
        return values == null ? "-" : String.join(", ", values);
    }

    private static void th(StringBuilder b, String label, boolean numeric) {
        b.append("<th scope=\"col\" data-type=\"")
                .append(numeric ? "num" : "text")
                .append("\">")
                .append(esc(label))
                .append("</th>");
    }

    private static void td(StringBuilder b, String text, String sortKey) {
        b.append("<td data-sort=\"")
                .append(esc(sortKey))
                .append("\">")
                .append(esc(text))
                .append("</td>");
    }

    private static void num(StringBuilder b, long v) {
        b.append("<td class=\"num\" data-sort=\"")
                .append(v)
                .append("\">")
                .append(Formats.count(v))
                .append("</td>");
    }

    private static void duration(StringBuilder b, Long ms) {
        b.append("<td class=\"num\" data-sort=\"")
                .append(ms == null ? -1 : ms)
                .append("\">")
                .append(ms == null ? "-" : esc(Formats.duration(ms)))
                .append("</td>");
    }

    /** Text for HTML and SVG: element content and attribute values alike. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&':
                    b.append("&amp;");
                    break;
                case '<':
                    b.append("&lt;");
                    break;
                case '>':
                    b.append("&gt;");
                    break;
                case '"':
                    b.append("&quot;");
                    break;
                case '\'':
                    b.append("&#39;");
                    break;
                default:
                    b.append(c);
            }
        }
        return b.toString();
    }

    // ---------------------------------------------------------------------------------------
    // Inline CSS and script.

    /** Collects script errors and failed loads (images, scripts) before anything else runs. */
    private static final String ERROR_TRAP =
            "window.reportErrors=[];window.addEventListener('error',function(e){var t=e.target;"
                    + "window.reportErrors.push(t&&t!==window&&(t.src||t.href)?'could not load '+(t.src||t.href)"
                    + ":(e.message||'script error'));},true);";

    private static final String CSS =
            """
            :root{--ink:#1c2430;--muted:#5f6b7a;--line:#dde3ea;--bg:#f5f7fa;--met:#2e7d32;--missed:#c62828;--nodata:#78909c}
            *{box-sizing:border-box}
            body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
            main{max-width:1180px;margin:0 auto;padding:24px}
            header h1{margin:0;font-size:28px}
            .period{margin:4px 0 0;font-size:18px}
            .meta{margin:4px 0 0;color:var(--muted);font-size:13px}
            code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.92em}
            .warning,#report-errors{background:#fff3e0;border:1px solid #ffb74d;padding:8px 12px;border-radius:6px}
            #report-errors{background:#ffebee;border-color:#e57373;margin-top:12px}
            h2{font-size:18px;margin:0 0 8px}
            section,.verdict,.kpi{background:#fff;border:1px solid var(--line);border-radius:10px}
            section{padding:16px 20px;margin-top:16px}
            .verdicts,.kpis{background:none;border:0;padding:0;display:grid;gap:12px}
            .verdicts{grid-template-columns:repeat(3,1fr)}
            .verdict{padding:14px 16px;border-top:6px solid var(--nodata)}
            .verdict.met{border-top-color:var(--met)}
            .verdict.missed{border-top-color:var(--missed)}
            .verdict h2{font-size:16px;margin:6px 0 4px}
            .verdict p{margin:4px 0;font-size:14px}
            .badge{display:inline-block;font-weight:700;font-size:13px;letter-spacing:.04em;text-transform:uppercase;padding:2px 10px;border-radius:12px;color:#fff;background:var(--nodata)}
            .met .badge{background:var(--met)}
            .missed .badge{background:var(--missed)}
            .figures .actual{font-size:26px;font-weight:700}
            .figures .target{color:var(--muted)}
            .kpis{grid-template-columns:repeat(7,1fr)}
            .kpi{padding:10px 12px}
            .kpi .value{font-size:22px;font-weight:700}
            .kpi .label{font-weight:600}
            .kpi .note{color:var(--muted);font-size:12px}
            .lead{color:var(--muted);margin:0 0 8px}
            .empty{color:var(--muted);font-style:italic}
            .two{display:grid;grid-template-columns:1fr 1fr;gap:16px}
            .two>section{margin-top:16px}
            svg.chart{width:100%;height:auto;display:block}
            svg .grid{stroke:#e6eaef;stroke-width:1}
            svg .tick{fill:var(--muted);font-size:12px}
            svg .label{fill:var(--ink);font-size:13px}
            svg .value{fill:var(--ink);font-size:13px;font-weight:600}
            svg .threshold{fill:#c62828;font-size:12px}
            .legend{display:flex;flex-wrap:wrap;gap:14px;margin:6px 0 0;font-size:13px;color:var(--muted)}
            .legend i{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:5px;vertical-align:-1px}
            table{border-collapse:collapse;width:100%;margin-top:10px;font-size:13.5px}
            th,td{padding:5px 8px;border-bottom:1px solid var(--line);text-align:left}
            td.num,th[data-type=num]{text-align:right}
            th{background:#f0f3f7;position:sticky;top:0}
            #open td{white-space:nowrap}
            #input td:not(:first-child),#input th:not(:first-child){text-align:right}
            #open td:nth-child(6),#open td:nth-child(7){white-space:normal}
            table.sortable th{cursor:pointer;user-select:none}
            th[aria-sort=ascending]::after{content:" \\25B2";font-size:10px}
            th[aria-sort=descending]::after{content:" \\25BC";font-size:10px}
            tr.state-deadline-missed td:nth-child(2){color:var(--missed);font-weight:600}
            tr.state-at-risk td:nth-child(2){color:#ef6c00;font-weight:600}
            .states{display:flex;gap:18px;list-style:none;padding:0;margin:4px 0}
            .states .state-deadline-missed strong{color:var(--missed)}
            .states .state-at-risk strong{color:#ef6c00}
            details summary{cursor:pointer;color:#1565c0;margin-top:8px}
            .definitions dt{font-weight:600;margin-top:6px}
            .definitions dd{margin:0 0 4px 0;color:var(--muted)}
            @media (max-width:900px){.verdicts,.two{grid-template-columns:1fr}.kpis{grid-template-columns:repeat(2,1fr)}}
            """;

    private static final String SCRIPT =
            """
            (function(){
              var errors=window.reportErrors||[];
              function key(td,num){var v=td?td.getAttribute('data-sort'):'';return num?parseFloat(v):(v||'');}
              function sortTable(table,col,dir){
                var th=table.tHead.rows[0].cells[col];if(!th)return;
                var num=th.getAttribute('data-type')==='num';var body=table.tBodies[0];
                var rows=Array.prototype.slice.call(body.rows);
                rows.sort(function(a,b){var x=key(a.cells[col],num),y=key(b.cells[col],num);
                  var c=num?(x-y):String(x).localeCompare(String(y));return dir==='desc'?-c:c;});
                rows.forEach(function(r){body.appendChild(r);});
                Array.prototype.forEach.call(table.tHead.rows[0].cells,function(c){c.setAttribute('aria-sort','none');});
                th.setAttribute('aria-sort',dir==='desc'?'descending':'ascending');
              }
              try{
                Array.prototype.forEach.call(document.querySelectorAll('table.sortable'),function(table){
                  Array.prototype.forEach.call(table.tHead.rows[0].cells,function(th,i){
                    th.setAttribute('aria-sort','none');th.tabIndex=0;th.title='Sort';
                    function go(){sortTable(table,i,th.getAttribute('aria-sort')==='ascending'?'desc':'asc');}
                    th.addEventListener('click',go);
                    th.addEventListener('keydown',function(e){if(e.key==='Enter'||e.key===' '){e.preventDefault();go();}});
                  });
                });
                var m=/^#sort=([\\w-]+):(\\d+):(asc|desc)$/.exec(location.hash);
                if(m){var t=document.getElementById(m[1]);if(!t||!t.tHead)throw new Error('no table '+m[1]);sortTable(t,parseInt(m[2],10),m[3]);}
                Array.prototype.forEach.call(document.querySelectorAll('svg.chart'),function(s){
                  var r=s.getBoundingClientRect();if(!(r.width>0&&r.height>0))errors.push('chart '+s.id+' has no size');});
                Array.prototype.forEach.call(document.images,function(img){
                  if(!img.complete||img.naturalWidth===0)errors.push('broken image '+img.src);});
              }catch(e){errors.push(String(e&&e.message||e));}
              var box=document.getElementById('report-errors');
              if(errors.length){box.hidden=false;box.textContent='This page did not render completely: '+errors.join('; ');
                document.documentElement.setAttribute('data-report-status','error');}
              else{document.documentElement.setAttribute('data-report-status','ok');}
            })();
            """;
}
