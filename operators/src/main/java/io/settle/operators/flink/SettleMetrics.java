package io.settle.operators.flink;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

import io.settle.operators.model.Alert;
import io.settle.operators.model.AlertType;
import io.settle.operators.model.SettlementResult;
import io.settle.operators.model.SettlementStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * The settle operator's metrics, in its metric group (so the Prometheus reporter exports them as
 * {@code flink_taskmanager_job_task_operator_<name>}, a label for each key-value group):
 * settlements opened, settlements ended by status, alerts by type, open settlements, settlement
 * latency (booked to ended, event time) and processing lag (wall clock minus event time, when an
 * event applies).
 */
final class SettleMetrics {
    private static final int HISTOGRAM_WINDOW = 10_000;

    /** Settlements that ended, labelled by {@link #STATUS}: SETTLED, CANCELLED, EXPIRED. */
    public static final String SETTLEMENTS_ENDED = "settlementsEnded";

    public static final String STATUS = "status";

    /** Alerts raised, labelled by {@link #TYPE}: the alert type. */
    public static final String ALERTS = "alerts";

    public static final String TYPE = "type";

    private final Counter opened;
    private final Map<SettlementStatus, Counter> ended = new EnumMap<>(SettlementStatus.class);
    private final Map<AlertType, Counter> alerts = new EnumMap<>(AlertType.class);
    private final Histogram settlementLatencyMs;
    private final Histogram processingLagMs;

    SettleMetrics(MetricGroup group, OpenSettlements open) {
        opened = group.counter("settlementsOpened");
        for (SettlementStatus s :
                new SettlementStatus[] {
                    SettlementStatus.SETTLED, SettlementStatus.CANCELLED, SettlementStatus.EXPIRED
                }) {
            ended.put(s, group.addGroup(STATUS, s.name()).counter(SETTLEMENTS_ENDED));
        }
        for (AlertType t : AlertType.values()) {
            alerts.put(t, group.addGroup(TYPE, t.name()).counter(ALERTS));
        }
        group.gauge("openSettlements", open::get);
        settlementLatencyMs =
                group.histogram(
                        "settlementLatencyMs",
                        new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
        processingLagMs =
                group.histogram(
                        "processingLagMs", new DescriptiveStatisticsHistogram(HISTOGRAM_WINDOW));
    }

    void opened() {
        opened.inc();
    }

    void result(SettlementResult r) {
        Counter c = ended.get(r.getStatus());
        if (c != null) {
            c.inc();
        }
        settlementLatencyMs.update(
                Math.max(0, Duration.between(r.getBookedAt(), r.getEndedAt()).toMillis()));
    }

    void alert(Alert a) {
        alerts.get(a.getType()).inc();
    }

    void applied(Instant eventTime, long wallClockMillis) {
        processingLagMs.update(Math.max(0, wallClockMillis - eventTime.toEpochMilli()));
    }

    /** The number of settlements open in this subtask, kept in operator state across restarts. */
    static final class OpenSettlements {
        private long count;

        long get() {
            return count;
        }

        void add(long delta) {
            count += delta;
        }

        void set(long value) {
            count = value;
        }
    }
}
