package io.settle.report;

import java.util.Objects;

/**
 * One figure of the report: a count (or an instant in epoch millis, or a latency) under a metric
 * name and a key, e.g. {@code results.status / SETTLED}, {@code hour.booked /
 * 2026-11-25T07:00:00Z}. Figures with the same metric and key combine by their {@link Op}, which is
 * how the job sums them up. A Flink POJO with public fields.
 */
public class Figure {
    /** How two figures of one metric and key combine. */
    public enum Op {
        SUM,
        MIN,
        MAX
    }

    public String metric;
    public String key;
    public long value;
    public Op op;

    public Figure() {}

    public Figure(String metric, String key, long value, Op op) {
        this.metric = metric;
        this.key = key;
        this.value = value;
        this.op = op;
    }

    public static Figure count(String metric, String key) {
        return new Figure(metric, key, 1, Op.SUM);
    }

    /** What figures are grouped by. */
    public String id() {
        return metric + '\u001f' + key;
    }

    public static Figure combine(Figure a, Figure b) {
        long v;
        switch (a.op) {
            case MIN:
                v = Math.min(a.value, b.value);
                break;
            case MAX:
                v = Math.max(a.value, b.value);
                break;
            default:
                v = Math.addExact(a.value, b.value);
        }
        return new Figure(a.metric, a.key, v, a.op);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Figure)) {
            return false;
        }
        Figure f = (Figure) o;
        return value == f.value
                && Objects.equals(metric, f.metric)
                && Objects.equals(key, f.key)
                && op == f.op;
    }

    @Override
    public int hashCode() {
        return Objects.hash(metric, key, value, op);
    }

    @Override
    public String toString() {
        return metric + "[" + key + "]=" + value;
    }
}
