package io.settle.tools.bench;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import io.settle.jobs.SettleOptions;
import io.settle.jobs.SettlementJob;
import io.settle.testkit.FlinkCluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Replay throughput of the full job, the SQL peer (good and naive shapes) and the dedup ceiling,
 * one after another on the same generated files, each on a fresh cluster with the same settings.
 *
 * <p>How a rate is measured: the records out of the job's source operators, summed over subtasks,
 * are sampled every {@value #SAMPLE_MILLIS} ms; the steady rate is the input records per second
 * between the moments the count passes 10% and 90% of its final value ({@link SteadyRate}). The
 * wall rate is the input over the job's net run time, end of input included (for Settle's replay,
 * every settlement applies then). CPU is this process's CPU time over the same windows, in cores.
 */
final class ThroughputParts {
    static final long SAMPLE_MILLIS = 250;

    /** A deduplication node of a plan, after the tree's indentation ({@code +- }, {@code :- }). */
    static final java.util.regex.Pattern PLAN_DEDUP =
            java.util.regex.Pattern.compile("^[\\s:+|-]*(Deduplicate|Rank)\\(");

    /** One job's run. */
    record Measured(
            String label,
            SteadyRate.Window steady,
            double wallSeconds,
            double steadyCores,
            double wallCores,
            long sourceRecords,
            List<double[]> rate) {

        double wallPerSecond(long input) {
            return input / wallSeconds;
        }

        Map<String, Object> describe(long input) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("steady_events_per_s", BenchReport.round(steady.perSecond()));
            m.put(
                    "steady_window_s",
                    List.of(
                            BenchReport.round(steady.fromSeconds()),
                            BenchReport.round(steady.toSeconds())));
            m.put("wall_s", BenchReport.round(wallSeconds));
            m.put("wall_events_per_s", BenchReport.round(wallPerSecond(input)));
            m.put("cpu_cores_steady", BenchReport.round(steadyCores));
            m.put("cpu_cores_wall", BenchReport.round(wallCores));
            m.put("source_records_out", sourceRecords);
            return m;
        }
    }

    private final BenchOptions options;
    private final BenchReport report;
    private final BenchInput input;
    private final List<Measured> measured = new ArrayList<>();
    private long lastRestarts;

    ThroughputParts(BenchOptions options, BenchReport report, BenchInput input) {
        this.options = options;
        this.report = report;
        this.input = input;
    }

    /** The options every job shares: Settle's own environment steps apply to all of them. */
    private SettleOptions.Parsed settings(String... more) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--parallelism",
                                Integer.toString(options.parallelism),
                                "--checkpoint.interval",
                                options.checkpointInterval.toMillis() + " ms"));
        args.addAll(List.of(more));
        return SettleOptions.parse(args.toArray(new String[0]), Map.of());
    }

    void run() throws Exception {
        Measured ceiling = null;
        Measured settle = null;
        Measured sql = null;
        Measured naive = null;
        warmUp();
        if (options.runs(BenchOptions.Part.CEILING)) {
            ceiling =
                    attempt(
                            "ceiling",
                            "dedup ceiling",
                            env -> {
                                SettlementJob.configure(env, settings());
                                Ceilings.dedupOnly(env, input.folder);
                                return env.executeAsync("Bench: dedup ceiling");
                            });
        }
        if (options.runs(BenchOptions.Part.REPLAY)) {
            settle = replay();
        }
        if (options.runs(BenchOptions.Part.SQL)) {
            sql =
                    attempt(
                            "sql",
                            "SQL peer (good)",
                            env -> {
                                SettlementJob.configure(env, settings());
                                return SqlPeer.submit(env, input.folder, false);
                            });
            naive =
                    attempt(
                            "sql_naive",
                            "SQL peer (naive join)",
                            env -> {
                                SettlementJob.configure(env, settings());
                                return SqlPeer.submit(env, input.folder, true);
                            });
            explain("sql", false);
            explain("sql_naive", true);
            report.part("sql").put("table_config", SqlPeer.TABLE_CONFIG);
            report.part("sql").put("good_shape", SqlPeer.GOOD);
            report.part("sql_naive").put("naive_shape", SqlPeer.NAIVE);
        }
        summarize(ceiling, settle, sql, naive);
        plot();
    }

    /**
     * One unmeasured run of the dedup ceiling over the first input file, so that the first measured
     * job does not pay for this JVM's JIT compiling the shared code (the reader, the codec, the
     * state backend) alone.
     */
    private void warmUp() {
        try (var files = Files.list(input.folder)) {
            Path first =
                    files.filter(f -> !f.getFileName().toString().startsWith("."))
                            .sorted()
                            .findFirst()
                            .orElseThrow();
            System.out.println(
                    "bench: warming up on " + first.getFileName() + " (not measured) ...");
            try (FlinkCluster cluster =
                    BenchCluster.start(
                            options.work.resolve("cluster-warm-up"),
                            options.parallelism,
                            options.managedMemory)) {
                StreamExecutionEnvironment env = cluster.env();
                SettlementJob.configure(env, settings());
                Ceilings.dedupOnly(env, first);
                env.executeAsync("Bench: warm-up").getJobExecutionResult().get(1, TimeUnit.HOURS);
            }
        } catch (Exception e) {
            System.out.println("bench: the warm-up failed (measuring anyway): " + e);
        }
    }

    /** Writes the optimized plan of a SQL shape and counts the deduplications in it. */
    private void explain(String key, boolean naive) {
        try {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            SettlementJob.configure(env, settings());
            String plan = SqlPeer.explain(env, input.folder, naive);
            Path file = options.out.resolve(key + "-plan.txt");
            Files.writeString(file, plan);
            String optimized =
                    plan.contains("== Optimized Execution Plan ==")
                            ? plan.substring(plan.indexOf("== Optimized Execution Plan =="))
                            : plan;
            long dedups = optimized.lines().filter(l -> PLAN_DEDUP.matcher(l).find()).count();
            report.part(key).put("deduplications_in_plan", dedups);
            report.part(key).put("plan_file", file.getFileName().toString());
        } catch (Exception e) {
            report.part(key).put("plan_error", String.valueOf(e));
        }
    }

    private Measured replay() throws Exception {
        Path output = options.work.resolve("replay-out-" + System.currentTimeMillis());
        Measured m =
                attempt(
                        "replay",
                        "Settle replay",
                        env -> {
                            SettleOptions.Parsed o =
                                    settings(
                                            "--mode", "replay",
                                            "--input", input.folder.toAbsolutePath().toString(),
                                            "--output", output.toAbsolutePath().toString(),
                                            "--until", BenchInput.UNTIL.toString());
                            return env.executeAsync(SettlementJob.prepare(env, o));
                        });
        if (m != null) {
            Map<String, Object> part = report.part("replay");
            part.put("results", lines(output.resolve("results")));
            part.put("alerts", lines(output.resolve("alerts")));
            part.put("dead_letters", lines(output.resolve("dlq")));
            part.put("open_at_end", lines(output.resolve("open")));
        }
        return m;
    }

    interface Submit {
        JobClient submit(StreamExecutionEnvironment env) throws Exception;
    }

    /** Runs one job, or records its failure and goes on with the next. */
    private Measured attempt(String key, String label, Submit submit) {
        try {
            System.out.printf(Locale.ROOT, "bench: %s on %,d records ...%n", label, input.records);
            Measured m = measure(key, label, submit);
            long restarts = lastRestarts;
            measured.add(m);
            report.part(key).putAll(m.describe(input.records));
            report.part(key).put("job_restarts", restarts);
            System.out.printf(
                    Locale.ROOT,
                    "bench: %s: steady %,.0f events/s, wall %.1f s, %.2f cores%n",
                    label,
                    m.steady().perSecond(),
                    m.wallSeconds(),
                    m.steadyCores());
            return m;
        } catch (Exception e) {
            System.out.println("bench: " + label + " failed: " + e);
            e.printStackTrace(System.out);
            report.failed(key, e);
            return null;
        }
    }

    private Measured measure(String key, String label, Submit submit) throws Exception {
        Path folder = options.work.resolve("cluster-" + key);
        try (FlinkCluster cluster =
                        BenchCluster.start(folder, options.parallelism, options.managedMemory);
                Sampler sampler = new Sampler(SAMPLE_MILLIS);
                Profiler profiler = Profiler.start(options, key)) {
            sampler.track("source", BenchMetrics::sourceRecordsOut).start();
            JobClient job = submit.submit(cluster.env());
            JobExecutionResult result = job.getJobExecutionResult().get(2, TimeUnit.HOURS);
            lastRestarts = BenchMetrics.jobGauge("numRestarts");
            sampler.sampleOnce();
            List<double[]> source = sampler.series("source").points();
            double finalCount = sampler.series("source").max();
            if (!(finalCount > 0)) {
                throw new IllegalStateException(
                        "no source records counted: " + BenchMetrics.summary());
            }
            SteadyRate.Window steady = SteadyRate.of(source, finalCount, input.records);
            double wall = result.getNetRuntime(TimeUnit.MILLISECONDS) / 1000.0;
            double end = sampler.now();
            double cores = sampler.coresBetween(steady.fromSeconds(), steady.toSeconds());
            double wallCores = sampler.coresBetween(Math.max(0, end - wall), end);
            return new Measured(
                    label,
                    steady,
                    wall,
                    cores,
                    wallCores,
                    (long) finalCount,
                    SteadyRate.perInterval(source, input.records / Math.max(1, finalCount), 1.0));
        }
    }

    private void summarize(Measured ceiling, Measured settle, Measured sql, Measured naive) {
        long n = input.records;
        if (settle != null) {
            report.headline("replay_events_per_s", settle.steady().perSecond());
            report.row(
                    "replay",
                    "Settle, full job",
                    rate(settle.steady().perSecond()),
                    String.format(
                            Locale.ROOT,
                            "steady 10-90%%; %s wall incl. end-of-input apply; %.2f cores",
                            rate(settle.wallPerSecond(n)),
                            settle.steadyCores()));
        }
        if (sql != null) {
            report.headline("sql_peer_events_per_s", sql.steady().perSecond());
            report.row(
                    "sql",
                    "SQL peer, good shape",
                    rate(sql.steady().perSecond()),
                    String.format(
                            Locale.ROOT,
                            "ROW_NUMBER + one GROUP BY; %s wall; %.2f cores",
                            rate(sql.wallPerSecond(n)),
                            sql.steadyCores()));
        }
        if (naive != null) {
            report.row(
                    "sql",
                    "SQL peer, naive join",
                    rate(naive.steady().perSecond()),
                    String.format(
                            Locale.ROOT,
                            "bookings JOIN confirmations; %s wall; %.2f cores",
                            rate(naive.wallPerSecond(n)),
                            naive.steadyCores()));
        }
        if (ceiling != null) {
            report.headline("dedup_ceiling_events_per_s", ceiling.steady().perSecond());
            report.row(
                    "ceiling",
                    "dedup-only DataStream",
                    rate(ceiling.steady().perSecond()),
                    String.format(
                            Locale.ROOT,
                            "keyed MapState on RocksDB; %s wall; %.2f cores",
                            rate(ceiling.wallPerSecond(n)),
                            ceiling.steadyCores()));
        }
        if (settle != null && sql != null) {
            double ratio = settle.steady().perSecond() / sql.steady().perSecond();
            report.put("settle_over_sql", BenchReport.round(ratio));
            report.row(
                    "replay",
                    "Settle / SQL (good)",
                    String.format(Locale.ROOT, "%.2fx", ratio),
                    String.format(
                            Locale.ROOT,
                            "target >= 2x; wall ratio %.2fx",
                            settle.wallPerSecond(n) / sql.wallPerSecond(n)));
        }
        if (settle != null && naive != null) {
            report.row(
                    "replay",
                    "Settle / SQL (naive)",
                    String.format(
                            Locale.ROOT,
                            "%.2fx",
                            settle.steady().perSecond() / naive.steady().perSecond()),
                    "");
        }
        if (settle != null && ceiling != null) {
            double share = settle.steady().perSecond() / ceiling.steady().perSecond();
            report.put("settle_over_ceiling", BenchReport.round(share));
            report.row(
                    "replay",
                    "Settle / dedup ceiling",
                    String.format(Locale.ROOT, "%.0f%%", 100 * share),
                    "target >= 75%");
        }
    }

    private void plot() throws IOException {
        if (measured.isEmpty()) {
            return;
        }
        Plot plot =
                new Plot(
                        "Replay throughput over time ("
                                + String.format(Locale.ROOT, "%,d", input.records)
                                + " records, parallelism "
                                + options.parallelism
                                + ")",
                        "seconds since the job was submitted (SQL: after planning)",
                        "input records/s");
        for (Measured m : measured) {
            plot.line(m.label(), m.rate());
        }
        String file = "throughput-replay.png";
        plot.write(options.out.resolve(file));
        report.plot(file);
    }

    static String rate(double perSecond) {
        return Double.isFinite(perSecond) ? String.format(Locale.ROOT, "%,.0f/s", perSecond) : "-";
    }

    static long lines(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        long n = 0;
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f) && !f.getFileName().toString().startsWith(".")) {
                    try (Stream<String> l = Files.lines(f)) {
                        n += l.count();
                    }
                }
            }
        }
        return n;
    }
}
