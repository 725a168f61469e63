package io.settle.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the report job collected: its figures by metric and key, and the open items. */
public final class Aggregates {
    private final Map<String, Map<String, Long>> figures = new TreeMap<>();
    private final List<OpenItem> openItems = new ArrayList<>();

    public void add(ReportPart part) {
        if (part.figure != null) {
            add(part.figure);
        }
        if (part.openItem != null) {
            openItems.add(part.openItem);
        }
    }

    /** Adds a figure; one that is already there combines with it (as the job would). */
    public void add(Figure f) {
        Map<String, Long> byKey = figures.computeIfAbsent(f.metric, m -> new TreeMap<>());
        Long old = byKey.get(f.key);
        byKey.put(
                f.key,
                old == null
                        ? f.value
                        : Figure.combine(new Figure(f.metric, f.key, old, f.op), f).value);
    }

    /** The figure, 0 when absent. */
    public long get(String metric, String key) {
        return figures.getOrDefault(metric, Map.of()).getOrDefault(key, 0L);
    }

    /** The figure, null when absent. */
    public Long find(String metric, String key) {
        return figures.getOrDefault(metric, Map.of()).get(key);
    }

    /** The figures of a metric by key, sorted by key. */
    public Map<String, Long> of(String metric) {
        return Collections.unmodifiableMap(figures.getOrDefault(metric, Map.of()));
    }

    /** The sum of a metric over its keys. */
    public long sum(String metric) {
        long sum = 0;
        for (long v : of(metric).values()) {
            sum += v;
        }
        return sum;
    }

    public List<OpenItem> openItems() {
        return Collections.unmodifiableList(openItems);
    }

    @Override
    public String toString() {
        return figures + " open " + openItems;
    }
}
