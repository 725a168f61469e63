package io.settle.operators.model;

import java.time.Instant;
import java.util.Objects;

/** An SLA-breach or integrity signal (contract §3, "Alerts"). A Flink POJO. */
public class Alert {
    private String alertId;
    private AlertType type;
    private Severity severity;
    private String settlementId;
    private Instant at;
    private String detail;

    public Alert() {}

    /**
     * The alert of {@code type} for a settlement; {@code eventId} is the event that raised it
     * (ignored for the once-per-settlement types), which makes {@code alertId} deterministic.
     */
    public static Alert of(
            AlertType type, String settlementId, String eventId, Instant at, String detail) {
        Alert a = new Alert();
        a.type = type;
        a.severity = type.severity();
        a.settlementId = settlementId;
        a.alertId =
                type.oncePerSettlement()
                        ? settlementId + ":" + type.name()
                        : settlementId + ":" + type.name() + ":" + eventId;
        a.at = at;
        a.detail = detail;
        return a;
    }

    public String getAlertId() {
        return alertId;
    }

    public void setAlertId(String alertId) {
        this.alertId = alertId;
    }

    public AlertType getType() {
        return type;
    }

    public void setType(AlertType type) {
        this.type = type;
    }

    public Severity getSeverity() {
        return severity;
    }

    public void setSeverity(Severity severity) {
        this.severity = severity;
    }

    public String getSettlementId() {
        return settlementId;
    }

    public void setSettlementId(String settlementId) {
        this.settlementId = settlementId;
    }

    public Instant getAt() {
        return at;
    }

    public void setAt(Instant at) {
        this.at = at;
    }

    public String getDetail() {
        return detail;
    }

    public void setDetail(String detail) {
        this.detail = detail;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Alert)) {
            return false;
        }
        Alert that = (Alert) o;
        return Objects.equals(alertId, that.alertId)
                && type == that.type
                && severity == that.severity
                && Objects.equals(settlementId, that.settlementId)
                && Objects.equals(at, that.at)
                && Objects.equals(detail, that.detail);
    }

    @Override
    public int hashCode() {
        return Objects.hash(alertId, type, severity, settlementId, at, detail);
    }

    @Override
    public String toString() {
        return alertId + "@" + at + " (" + severity + ": " + detail + ")";
    }
}
