package io.settle.tools.bench;

import io.settle.cli.BadOptionException;
import io.settle.cli.Cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code ./settle bench}: measures Settle on this machine the way its users will judge it, against
 * the Flink SQL a user would write instead and against bare jobs that bound what the machine gives.
 * Prints a table and writes {@code latest.json}, {@code latest.md} and PNG plots; {@code --help}
 * lists the parts and options.
 *
 * <p>Every Flink job runs on a cluster in this JVM (one JobManager, one TaskManager, a slot per
 * unit of parallelism), submitted over REST; the Kafka broker of the Kafka parts runs in a JVM of
 * its own. Each part gets a fresh cluster, so no part inherits another's state or metrics.
 */
public final class Bench {
    private Bench() {}

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (BadOptionException e) {
            Cli.exit(BenchOptions.OPTIONS, System.err, e);
            return;
        }
        if (options.help) {
            System.out.print(BenchOptions.help());
            return;
        }
        int status;
        try {
            status = run(options);
        } catch (Throwable e) {
            System.err.println("settle bench: failed: " + e);
            e.printStackTrace();
            status = 1;
        }
        System.exit(status); // Kafka and Flink client threads would keep the JVM alive
    }

    static int run(BenchOptions options) throws Exception {
        BenchReport report = new BenchReport();
        report.headline("checkpoint_interval_ms", options.checkpointInterval.toMillis());
        report.put("machine", Machine.describe());
        Map<String, Object> settings = new LinkedHashMap<>(options.describe());
        settings.put("state_backend", "rocksdb, incremental checkpoints");
        settings.put("checkpointing", "exactly once");
        report.put("settings", settings);
        report.put("started_at", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        String busy = Machine.contention();
        report.put("contended", busy != null);
        report.put("load_average_at_start", Machine.loadAverage());
        report.put("other_jvms_at_start", Machine.otherJvms());
        if (busy != null) {
            System.out.println(
                    "settle bench: WARNING: the machine is busy ("
                            + busy
                            + "): these figures are for development only, not to be quoted.");
        }
        Files.createDirectories(options.work);
        Files.createDirectories(options.out);
        removeEarlierPlots(options.out);
        removeEarlierRuns(options.work);

        if (options.runs(BenchOptions.Part.CEILING)
                || options.runs(BenchOptions.Part.REPLAY)
                || options.runs(BenchOptions.Part.SQL)) {
            System.out.printf("bench: generating %,d records of input ...%n", options.events);
            BenchInput input =
                    BenchInput.prepare(
                            options.work, options.events, options.seed, 2 * options.parallelism);
            report.put(
                    "input",
                    Map.of("records", input.records, "bytes", input.bytes(), "mix", input.summary));
            new ThroughputParts(options, report, input).run();
        }
        if (options.needsKafka()) {
            try (KafkaParts kafka = KafkaParts.start(options, report)) {
                kafka.run();
            }
        }

        report.put("finished_at", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        report.put("load_average_at_end", Machine.loadAverage());
        report.put("other_jvms_at_end", Machine.otherJvms());
        if (!Machine.otherJvms().isEmpty()) {
            report.put("contended", true);
        }
        report.write(options.out);
        System.out.println();
        if (Boolean.TRUE.equals(report.document().get("contended"))) {
            System.out.println(
                    "CONTENDED RUN: other work shared the machine; not a figure to quote.");
        }
        System.out.print(report.table());
        System.out.println();
        System.out.println("bench: wrote " + options.out.resolve("latest.json") + " and latest.md");
        if (options.docs) {
            Path doc = Path.of("docs", "performance.md");
            String text = Files.readString(doc);
            String updated =
                    BenchReport.replaceBetweenMarkers(
                            text, report.markdown().replace("](", "](" + linkTo(options.out, doc)));
            if (updated.equals(text)) {
                System.out.println("bench: " + doc + " has no bench markers; left alone");
            } else {
                Files.writeString(doc, updated);
                System.out.println("bench: " + doc + " updated");
            }
        }
        return report.failures().isEmpty() ? 0 : 1;
    }

    /** A run that leaves out a part must not leave that part's old plot beside its results. */
    private static void removeEarlierPlots(Path out) throws java.io.IOException {
        try (var files = Files.list(out)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (name.endsWith(".png") || name.endsWith("-plan.txt")) {
                    Files.delete(f);
                }
            }
        }
    }

    /**
     * Checkpoints, savepoints and replay outputs of earlier runs (the generated input is kept):
     * retained checkpoints would otherwise pile up run after run.
     */
    private static void removeEarlierRuns(Path work) throws java.io.IOException {
        try (var files = Files.list(work)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (name.startsWith("cluster-")
                        || name.startsWith("replay-out-")
                        || name.startsWith("savepoints-")) {
                    org.apache.flink.util.FileUtils.deleteDirectory(f.toFile());
                }
            }
        }
    }

    /** The folder {@code out} as a link from {@code doc}'s folder, ending in a slash. */
    static String linkTo(Path out, Path doc) {
        Path from = doc.toAbsolutePath().normalize().getParent();
        String p = from.relativize(out.toAbsolutePath().normalize()).toString().replace('\\', '/');
        return p.isEmpty() ? "" : p.endsWith("/") ? p : p + "/";
    }
}
