package io.settle.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The report's figures, as {@code report.json} holds them and {@code report.html} shows them
 * (fields documented in docs/report.md). Instants are ISO-8601 UTC strings, latencies in
 * milliseconds; percentages are exact decimals, rounded down to three places.
 */
@JsonPropertyOrder({
    "version",
    "generatedAt",
    "source",
    "period",
    "targets",
    "slas",
    "totals",
    "latency",
    "hours",
    "alerts",
    "deadLetters",
    "openAtEnd",
    "input"
})
public record Report(
        int version,
        String generatedAt,
        Source source,
        Period period,
        Targets targets,
        List<Sla> slas,
        Totals totals,
        Latency latency,
        List<Hour> hours,
        Alerts alerts,
        DeadLetters deadLetters,
        OpenAtEnd openAtEnd,
        List<Input> input) {

    public static final int VERSION = 1;

    /** SLA verdicts. */
    public static final String MET = "MET";

    public static final String MISSED = "MISSED";
    public static final String NO_DATA = "NO_DATA";

    /** SLA ids. */
    public static final String ON_TIME_SHARE = "ON_TIME_SHARE";

    public static final String P99_LATENCY = "P99_LATENCY";
    public static final String UNEXPLAINED_DEAD_LETTERS = "UNEXPLAINED_DEAD_LETTERS";

    @JsonPropertyOrder({"mode", "location"})
    public record Source(String mode, String location) {}

    @JsonPropertyOrder({"from", "to", "fromGiven", "toGiven"})
    public record Period(String from, String to, boolean fromGiven, boolean toGiven) {}

    @JsonPropertyOrder({
        "onTimePercent",
        "settlementWindowMs",
        "settlementWindow",
        "explainedDeadLetterReasons"
    })
    public record Targets(
            BigDecimal onTimePercent,
            long settlementWindowMs,
            String settlementWindow,
            List<String> explainedDeadLetterReasons) {}

    @JsonPropertyOrder({
        "id", "title", "verdict", "unit", "target", "actual", "margin", "summary", "counts"
    })
    public record Sla(
            String id,
            String title,
            String verdict,
            String unit,
            BigDecimal target,
            BigDecimal actual,
            BigDecimal margin,
            String summary,
            Map<String, Long> counts) {}

    @JsonPropertyOrder({
        "results",
        "settled",
        "settledOnTime",
        "settledLate",
        "cancelled",
        "expired",
        "breached",
        "booked",
        "alerts",
        "criticalAlerts",
        "deadlineMissed",
        "deadLetters",
        "unexplainedDeadLetters",
        "openAtEnd",
        "unreadableRecords",
        "duplicateRecords"
    })
    public record Totals(
            long results,
            long settled,
            long settledOnTime,
            long settledLate,
            long cancelled,
            long expired,
            long breached,
            long booked,
            long alerts,
            long criticalAlerts,
            long deadlineMissed,
            long deadLetters,
            long unexplainedDeadLetters,
            long openAtEnd,
            long unreadableRecords,
            long duplicateRecords) {}

    @JsonPropertyOrder({"count", "p50Ms", "p90Ms", "p99Ms", "maxMs"})
    public record Latency(long count, Long p50Ms, Long p90Ms, Long p99Ms, Long maxMs) {}

    @JsonPropertyOrder({
        "hour",
        "booked",
        "settledOnTime",
        "settledLate",
        "cancelled",
        "expired",
        "alerts",
        "deadlineMissed",
        "latency"
    })
    public record Hour(
            String hour,
            long booked,
            long settledOnTime,
            long settledLate,
            long cancelled,
            long expired,
            long alerts,
            long deadlineMissed,
            Latency latency) {}

    @JsonPropertyOrder({"total", "critical", "byType", "bySeverity", "byParty", "byCurrency"})
    public record Alerts(
            long total,
            long critical,
            List<TypeCount> byType,
            Map<String, Long> bySeverity,
            List<Counterparty> byParty,
            List<Counterparty> byCurrency) {}

    @JsonPropertyOrder({"type", "severity", "count"})
    public record TypeCount(String type, String severity, long count) {}

    @JsonPropertyOrder({"name", "settlements", "breached", "alerts", "critical", "deadlineMissed"})
    public record Counterparty(
            String name,
            long settlements,
            long breached,
            long alerts,
            long critical,
            long deadlineMissed) {}

    @JsonPropertyOrder({"total", "explained", "unexplained", "byReason"})
    public record DeadLetters(
            long total, long explained, long unexplained, List<ReasonCount> byReason) {}

    @JsonPropertyOrder({"reason", "count", "explained"})
    public record ReasonCount(String reason, long count, boolean explained) {}

    @JsonPropertyOrder({"basis", "asOf", "total", "byState", "items"})
    public record OpenAtEnd(
            String basis, String asOf, long total, Map<String, Long> byState, List<Item> items) {}

    @JsonPropertyOrder({
        "settlementId",
        "state",
        "status",
        "bookedAt",
        "deadline",
        "legs",
        "legsConfirmed",
        "eventsWaiting",
        "parties",
        "currencies",
        "lastAlert",
        "lastAlertAt"
    })
    public record Item(
            String settlementId,
            String state,
            String status,
            String bookedAt,
            String deadline,
            Integer legs,
            Integer legsConfirmed,
            Integer eventsWaiting,
            List<String> parties,
            List<String> currencies,
            String lastAlert,
            String lastAlertAt) {}

    @JsonPropertyOrder({"kind", "read", "unreadable", "outsidePeriod", "duplicates"})
    public record Input(
            String kind, long read, long unreadable, long outsidePeriod, long duplicates) {}

    /** The SLA of {@code id}. */
    public Sla sla(String id) {
        for (Sla s : slas) {
            if (s.id().equals(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no SLA " + id);
    }
}
