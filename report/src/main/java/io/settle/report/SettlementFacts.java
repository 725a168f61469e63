package io.settle.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything the report read about one settlement: its results, alerts and open-book entries
 * (copies included: duplicates are recognised later by id). Facts of one settlement merge into one.
 * A Flink POJO with public fields.
 */
public class SettlementFacts {
    public String settlementId;
    public List<ReportRecord> results = new ArrayList<>();
    public List<ReportRecord> alerts = new ArrayList<>();
    public List<ReportRecord> open = new ArrayList<>();

    public SettlementFacts() {}

    /** The facts of one readable result, alert or open-book record. */
    public static SettlementFacts of(ReportRecord r) {
        SettlementFacts f = new SettlementFacts();
        f.settlementId = r.settlementId;
        switch (r.kind) {
            case RESULT:
                f.results.add(r);
                break;
            case ALERT:
                f.alerts.add(r);
                break;
            case OPEN:
                f.open.add(r);
                break;
            default:
                throw new IllegalArgumentException("not a settlement's record: " + r);
        }
        return f;
    }

    public static SettlementFacts merge(SettlementFacts a, SettlementFacts b) {
        SettlementFacts m = new SettlementFacts();
        m.settlementId = a.settlementId;
        m.results.addAll(a.results);
        m.results.addAll(b.results);
        m.alerts.addAll(a.alerts);
        m.alerts.addAll(b.alerts);
        m.open.addAll(a.open);
        m.open.addAll(b.open);
        return m;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SettlementFacts)) {
            return false;
        }
        SettlementFacts f = (SettlementFacts) o;
        return Objects.equals(settlementId, f.settlementId)
                && Objects.equals(results, f.results)
                && Objects.equals(alerts, f.alerts)
                && Objects.equals(open, f.open);
    }

    @Override
    public int hashCode() {
        return Objects.hash(settlementId, results, alerts, open);
    }

    @Override
    public String toString() {
        return settlementId + ": " + results + " " + alerts + " " + open;
    }
}
