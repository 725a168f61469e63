package io.settle.jobs;

import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

import io.settle.operators.codec.ReplayLayout;
import io.settle.operators.flink.ReplayClockEnd;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The markers of a replay's output folder: {@value ReplayLayout#INCOMPLETE} from the moment the job
 * is built, replaced by {@value ReplayLayout#SUCCESS} with the counts once it has finished and its
 * files are committed. A folder with neither was not written by a replay; one with {@code
 * _INCOMPLETE} alone is a replay that failed, was cancelled, or still runs.
 */
final class ReplayMarkers {
    private ReplayMarkers() {}

    static void started(String output) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("startedAt", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        m.put("build", SettlementJob.build());
        write(new Path(output, ReplayLayout.INCOMPLETE), m);
    }

    /**
     * Writes {@code _SUCCESS} with the job's counts (from its accumulators) and removes {@code
     * _INCOMPLETE}.
     */
    static void complete(String output, Instant until, Map<String, Object> accumulators)
            throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("finishedAt", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        m.put("build", SettlementJob.build());
        Object clockEnd = accumulators.get(ReplayInput.CLOCK_END);
        if (until != null) {
            m.put("until", until.toString());
        } else if (clockEnd instanceof Long && (Long) clockEnd != ReplayClockEnd.NONE) {
            m.put("until", Instant.ofEpochMilli((Long) clockEnd).toString());
        }
        m.put("records", count(accumulators, ReplayInput.RECORDS));
        for (String folder :
                new String[] {
                    ReplayLayout.RESULTS,
                    ReplayLayout.ALERTS,
                    ReplayLayout.DEAD_LETTERS,
                    ReplayLayout.OPEN_BOOK
                }) {
            m.put(folder, count(accumulators, folder));
        }
        write(new Path(output, ReplayLayout.SUCCESS), m);
        Path incomplete = new Path(output, ReplayLayout.INCOMPLETE);
        incomplete.getFileSystem().delete(incomplete, false);
    }

    private static long count(Map<String, Object> accumulators, String name) {
        Object v = accumulators.get(name);
        return v instanceof Number ? ((Number) v).longValue() : 0;
    }

    /** A flat JSON object of strings and numbers (no value needs escaping beyond quotes). */
    private static void write(Path file, Map<String, Object> fields) throws IOException {
        StringBuilder json = new StringBuilder("{");
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('"').append(e.getKey()).append("\":");
            Object v = e.getValue();
            if (v instanceof Number) {
                json.append(v);
            } else {
                json.append('"').append(String.valueOf(v).replace("\"", "'")).append('"');
            }
        }
        json.append("}\n");
        FileSystem fs = file.getFileSystem();
        try (OutputStream out = fs.create(file, FileSystem.WriteMode.OVERWRITE)) {
            out.write(json.toString().getBytes(StandardCharsets.UTF_8));
        }
    }
}
