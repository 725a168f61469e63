package io.settle.tools.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a bench run found: the headline figures under the keys the issue names, the machine and
 * settings, each part's details, and the rows of the printed table. Written as {@code latest.json}
 * and {@code latest.md}.
 */
final class BenchReport {

    /** The headline keys, in the order they are written; a part that did not run leaves null. */
    static final List<String> HEADLINES =
            List.of(
                    "replay_events_per_s",
                    "sql_peer_events_per_s",
                    "replay_8m_events_per_s",
                    "replay_p1_events_per_s",
                    "replay_p2_events_per_s",
                    "scaling_efficiency",
                    "dedup_ceiling_events_per_s",
                    "decode_floor_events_per_s",
                    "kafka_catchup_events_per_s",
                    "kafka_ceiling_events_per_s",
                    "kafka_sustained_events_per_s",
                    "latency_p99_ms",
                    "alert_latency_p99_ms",
                    "recovery_s",
                    "bytes_per_open_settlement",
                    "job_cpu_us_per_event",
                    "burst_drain_s",
                    "restore_s",
                    "checkpoint_interval_ms");

    static final String RESULTS_START = "<!-- bench:results:start -->";
    static final String RESULTS_END = "<!-- bench:results:end -->";

    /** One line of the table. */
    record Row(String part, String measure, String value, String note) {}

    private final Map<String, Object> json = new LinkedHashMap<>();
    private final Map<String, Object> parts = new LinkedHashMap<>();
    private final List<Row> rows = new ArrayList<>();
    private final List<String> plots = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();

    BenchReport() {
        for (String key : HEADLINES) {
            json.put(key, null);
        }
    }

    /** Sets a headline figure (NaN is written as null: not measured). */
    void headline(String key, double value) {
        if (!HEADLINES.contains(key)) {
            throw new IllegalArgumentException("not a headline key: " + key);
        }
        json.put(key, Double.isFinite(value) ? round(value) : null);
    }

    Object headline(String key) {
        return json.get(key);
    }

    void put(String key, Object value) {
        json.put(key, value);
    }

    /** The details of one part, written under {@code parts.NAME}. */
    @SuppressWarnings("unchecked")
    Map<String, Object> part(String name) {
        return (Map<String, Object>) parts.computeIfAbsent(name, k -> new LinkedHashMap<>());
    }

    void row(String part, String measure, String value, String note) {
        rows.add(new Row(part, measure, value, note == null ? "" : note));
    }

    void plot(String file) {
        plots.add(file);
    }

    void failed(String part, Throwable e) {
        String what = part + ": " + e;
        failures.add(what);
        row(part, "FAILED", "-", String.valueOf(e.getMessage()));
    }

    List<String> failures() {
        return failures;
    }

    List<Row> rows() {
        return rows;
    }

    /** The JSON document: headlines, then machine, settings, parts, plots and failures. */
    Map<String, Object> document() {
        Map<String, Object> doc = new LinkedHashMap<>(json);
        doc.put("parts", parts);
        doc.put("plots", plots);
        doc.put("failures", failures);
        return doc;
    }

    String json() throws IOException {
        return new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(document());
    }

    /** The table as fixed-width text, for the terminal. */
    String table() {
        String[] head = {"part", "measure", "value", "note"};
        int[] w = new int[4];
        for (int i = 0; i < 4; i++) {
            w[i] = head[i].length();
        }
        for (Row r : rows) {
            w[0] = Math.max(w[0], r.part().length());
            w[1] = Math.max(w[1], r.measure().length());
            w[2] = Math.max(w[2], r.value().length());
        }
        String fmt = "%-" + w[0] + "s  %-" + w[1] + "s  %" + w[2] + "s  %s%n";
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, fmt, (Object[]) head));
        b.append("-".repeat(w[0] + w[1] + w[2] + 10)).append('\n');
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, fmt, r.part(), r.measure(), r.value(), r.note()));
        }
        return b.toString();
    }

    /** The table as Markdown, with the machine and settings above it and the plots below. */
    @SuppressWarnings("unchecked")
    String markdown() {
        StringBuilder b = new StringBuilder();
        Map<String, Object> machine = (Map<String, Object>) json.getOrDefault("machine", Map.of());
        Map<String, Object> settings =
                (Map<String, Object>) json.getOrDefault("settings", Map.of());
        b.append("Run ").append(json.getOrDefault("finished_at", "?"));
        b.append(", ").append(settings.getOrDefault("mode", "?")).append(" mode");
        if (Boolean.TRUE.equals(json.get("contended"))) {
            b.append(", **contended machine: not a figure to quote**");
        }
        b.append(".\n\n");
        b.append("Machine: ").append(describe(machine)).append("\n\n");
        b.append("Settings: ").append(describe(settings)).append("\n\n");
        b.append("| part | measure | value | note |\n| --- | --- | ---: | --- |\n");
        for (Row r : rows) {
            b.append("| ")
                    .append(r.part())
                    .append(" | ")
                    .append(r.measure())
                    .append(" | ")
                    .append(r.value())
                    .append(" | ")
                    .append(r.note().replace("|", "\\|"))
                    .append(" |\n");
        }
        if (!plots.isEmpty()) {
            b.append('\n');
            for (String p : plots) {
                b.append("![").append(p).append("](").append(p).append(")\n");
            }
        }
        return b.toString();
    }

    private static String describe(Map<String, Object> m) {
        List<String> parts = new ArrayList<>();
        m.forEach((k, v) -> parts.add(k + " " + v));
        return String.join(", ", parts);
    }

    void write(Path folder) throws IOException {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("latest.json"), json() + "\n");
        Files.writeString(folder.resolve("latest.md"), markdown());
    }

    /**
     * {@code doc} with the text between {@link #RESULTS_START} and {@link #RESULTS_END} replaced by
     * {@code block} (docs/performance.md); unchanged when the markers are missing.
     */
    static String replaceBetweenMarkers(String doc, String block) {
        int start = doc.indexOf(RESULTS_START);
        int end = doc.indexOf(RESULTS_END);
        if (start < 0 || end < start) {
            return doc;
        }
        return doc.substring(0, start + RESULTS_START.length())
                + "\n"
                + block.strip()
                + "\n"
                + doc.substring(end);
    }

    /** A figure as the table shows it: thousands separated, at most one decimal. */
    static String number(double v) {
        if (!Double.isFinite(v)) {
            return "-";
        }
        return Math.abs(v) >= 100
                ? String.format(Locale.ROOT, "%,.0f", v)
                : String.format(Locale.ROOT, "%,.2f", v);
    }

    static double round(double v) {
        return Math.abs(v) >= 100 ? Math.round(v) : Math.round(v * 100) / 100.0;
    }
}
