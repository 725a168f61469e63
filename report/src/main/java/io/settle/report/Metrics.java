package io.settle.report;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The names of the report's figures, and the hour buckets they are keyed by. */
public final class Metrics {
    private Metrics() {}

    /** Key of figures that have none. */
    public static final String ALL = "";

    /** The party or currency of a settlement the report knows no booking for. */
    public static final String UNKNOWN = "(unknown)";

    // Input, keyed by output kind.
    public static final String READ = "input.read";
    public static final String UNREADABLE = "input.unreadable";
    public static final String OUTSIDE_PERIOD = "input.outsidePeriod";
    public static final String DUPLICATES = "input.duplicates";

    /** The first and last business instants in the period (epoch millis), MIN and MAX. */
    public static final String FIRST = "period.first";

    public static final String LAST = "period.last";

    // Results in the period.
    public static final String RESULTS = "results.status";
    public static final String BREACHED = "results.breached";
    public static final String SETTLED_ON_TIME = "settled.onTime";
    public static final String SETTLED_LATE = "settled.late";

    // Alerts in the period.
    public static final String ALERT_TYPE = "alerts.type";
    public static final String ALERT_SEVERITY = "alerts.severity";

    // Dead letters in the period, by reason.
    public static final String DEAD_LETTERS = "deadLetters.reason";

    // By hour (key: the hour's start, UTC).
    public static final String HOUR_BOOKED = "hour.booked";
    public static final String HOUR_SETTLED_ON_TIME = "hour.settledOnTime";
    public static final String HOUR_SETTLED_LATE = "hour.settledLate";
    public static final String HOUR_CANCELLED = "hour.cancelled";
    public static final String HOUR_EXPIRED = "hour.expired";
    public static final String HOUR_ALERTS = "hour.alerts";
    public static final String HOUR_DEADLINE_MISSED = "hour.deadlineMissed";

    // By party and by currency (key: the party id or currency code).
    public static final String PARTY = "party.";
    public static final String CURRENCY = "currency.";
    public static final String SETTLEMENTS = "settlements";
    public static final String BREACHES = "breached";
    public static final String ALERTS = "alerts";
    public static final String CRITICAL = "critical";
    public static final String MISSED = "deadlineMissed";

    // Latency of the settled, by bucket (an hour, or LatencySample.PERIOD).
    public static final String LATENCY = "latency.";
    public static final String COUNT = "count";
    public static final String P50 = "p50";
    public static final String P90 = "p90";
    public static final String P99 = "p99";
    public static final String MAX = "max";

    // Open at the end, by state.
    public static final String OPEN_STATE = "open.state";

    /** The start of the UTC hour of {@code t}, as an ISO instant: the key of hour figures. */
    public static String hour(Instant t) {
        return t.truncatedTo(ChronoUnit.HOURS).toString();
    }
}
