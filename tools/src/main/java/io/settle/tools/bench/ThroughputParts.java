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
            List<double[]> rate,
            long records) {

        /** Records over the time from submission to the job's end: the rate a user waits for. */
        double wall() {
            return records / wallSeconds;
        }

        Map<String, Object> describe(long input) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("wall_s", BenchReport.round(wallSeconds));
            m.put("wall_events_per_s", BenchReport.round(wall()));
            m.put("cpu_cores_wall", BenchReport.round(wallCores));
            m.put("cpu_us_per_event", BenchReport.round(1e6 * wallCores * wallSeconds / records));
            // The source's own read rate (10-90% of the input): on the batch runtime the source
            // stage runs before the keyed one, so this is the reading stage's pace, not the job's.
            m.put("source_read_events_per_s", BenchReport.round(steady.perSecond()));
            m.put(
                    "source_read_window_s",
                    List.of(
                            BenchReport.round(steady.fromSeconds()),
                            BenchReport.round(steady.toSeconds())));
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
    private SettleOptions.Parsed settings(int parallelism, String... more) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--parallelism",
                                Integer.toString(parallelism),
                                "--checkpoint.interval",
                                options.checkpointInterval.toMillis() + " ms"));
        args.addAll(List.of(more));
        return SettleOptions.parse(args.toArray(new String[0]), Map.of());
    }

    /** The options of a job on the batch runtime, as a replay runs (Settle's own steps). */
    private SettleOptions.Parsed batch(String... more) {
        return batch(options.parallelism, more);
    }

    private SettleOptions.Parsed batch(int parallelism, String... more) {
        List<String> args = new ArrayList<>(List.of("--mode", "replay"));
        args.addAll(List.of(more));
        return settings(parallelism, args.toArray(new String[0]));
    }

    void run() throws Exception {
        Measured floor = null;
        Measured ceiling = null;
        Measured settle = null;
        Measured settleLarge = null;
        Measured settleP1 = null;
        Measured sql = null;
        Measured naive = null;
        warmUp();
        if (options.runs(BenchOptions.Part.CEILING)) {
            floor =
                    attempt(
                            "floor",
                            "decode-only floor",
                            env -> {
                                SettlementJob.configure(env, batch());
                                Ceilings.decodeOnly(env, input.folder);
                                return env.executeAsync("Bench: decode-only floor");
                            });
            ceiling =
                    attempt(
                            "ceiling",
                            "dedup ceiling",
                            env -> {
                                SettlementJob.configure(env, batch());
                                Ceilings.dedupOnly(env, input.folder);
                                return env.executeAsync("Bench: dedup ceiling");
                            });
        }
        if (options.runs(BenchOptions.Part.REPLAY)) {
            settle = replay(input, "replay", options.parallelism);
            if (options.parallelism > 1) {
                // The same input at parallelism 1, on the same cluster shape: how it scales.
                settleP1 = replay(input, "replay_p1", 1);
            }
            if (!options.quick) {
                System.out.printf(
                        Locale.ROOT,
                        "bench: generating %,d records of input ...%n",
                        2 * input.records);
                BenchInput large =
                        BenchInput.prepare(
                                options.work,
                                2 * input.records,
                                options.seed,
                                4 * options.parallelism);
                settleLarge = replay(large, "replay_large", options.parallelism);
            }
        }
        if (options.runs(BenchOptions.Part.SQL)) {
            sql = sql("sql", "SQL peer (good)", false);
            naive = sql("sql_naive", "SQL peer (naive join)", true);
            explain("sql", false);
            explain("sql_naive", true);
            report.part("sql").put("table_config", SqlPeer.TABLE_CONFIG);
            report.part("sql").put("good_shape", SqlPeer.GOOD);
            report.part("sql_naive").put("naive_shape", SqlPeer.NAIVE);
        }
        summarize(floor, ceiling, settle, settleLarge, sql, naive);
        scaling(settle, settleP1);
        plot();
    }

    private Measured sql(String key, String label, boolean naive) throws IOException {
        Path output = options.work.resolve(key + "-out-" + System.currentTimeMillis());
        Measured m =
                attempt(
                        key,
                        label,
                        env -> {
                            SettlementJob.configure(env, batch());
                            return SqlPeer.submit(env, input.folder, output, naive);
                        });
        if (m != null) {
            report.part(key).put("results", lines(output));
        }
        return m;
    }

    /**
     * Unmeasured runs of the dedup ceiling and of Settle's replay over the first input file, so
     * that no measured job pays for this JVM's JIT compiling the code it runs (on two cores the C2
     * compiler took 30% of the CPU of a cold one-million-record replay): a cluster's TaskManagers
     * are long-lived and warm.
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
                SettlementJob.configure(env, batch());
                Ceilings.dedupOnly(env, first);
                env.executeAsync("Bench: warm-up").getJobExecutionResult().get(1, TimeUnit.HOURS);
                submitReplay(
                                cluster.env(),
                                first,
                                options.work.resolve("warm-up-out-" + System.currentTimeMillis()),
                                options.parallelism)
                        .getJobExecutionResult()
                        .get(1, TimeUnit.HOURS);
            }
        } catch (Exception e) {
            System.out.println("bench: the warm-up failed (measuring anyway): " + e);
        }
    }

    /** Writes the optimized plan of a SQL shape and counts the deduplications in it. */
    private void explain(String key, boolean naive) {
        try {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            SettlementJob.configure(env, batch());
            String plan =
                    SqlPeer.explain(env, input.folder, options.work.resolve("sql-explain"), naive);
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

    /**
     * Submits Settle's replay of {@code input} into {@code output}, the clock's end found in it.
     */
    private JobClient submitReplay(
            StreamExecutionEnvironment env, Path input, Path output, int parallelism)
            throws Exception {
        SettleOptions.Parsed o =
                batch(
                        parallelism,
                        "--input",
                        input.toAbsolutePath().toString(),
                        "--output",
                        output.toAbsolutePath().toString());
        return env.executeAsync(SettlementJob.prepare(env, o));
    }

    /** Settle's replay of {@code in}, the clock's end found in the input (the default). */
    private Measured replay(BenchInput in, String key, int parallelism) throws Exception {
        Path output = options.work.resolve(key + "-out-" + System.currentTimeMillis());
        Measured m =
                attempt(
                        key,
                        "Settle replay at parallelism " + parallelism,
                        in,
                        env -> submitReplay(env, in.folder, output, parallelism));
        if (m != null) {
            Map<String, Object> part = report.part(key);
            part.put("records", in.records);
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
        return attempt(key, label, input, submit);
    }

    private Measured attempt(String key, String label, BenchInput in, Submit submit) {
        try {
            System.out.printf(Locale.ROOT, "bench: %s on %,d records ...%n", label, in.records);
            Measured m = measure(key, label, in, submit);
            long restarts = lastRestarts;
            measured.add(m);
            report.part(key).putAll(m.describe(in.records));
            report.part(key).put("job_restarts", restarts);
            System.out.printf(
                    Locale.ROOT,
                    "bench: %s: %,.0f events/s wall (%.1f s), %.2f cores%n",
                    label,
                    m.wall(),
                    m.wallSeconds(),
                    m.wallCores());
            return m;
        } catch (Exception e) {
            System.out.println("bench: " + label + " failed: " + e);
            e.printStackTrace(System.out);
            report.failed(key, e);
            return null;
        }
    }

    private Measured measure(String key, String label, BenchInput in, Submit submit)
            throws Exception {
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
            SteadyRate.Window steady = SteadyRate.of(source, finalCount, in.records);
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
                    SteadyRate.perInterval(source, in.records / Math.max(1, finalCount), 1.0),
                    in.records);
        }
    }

    /**
     * Parallelism 1 against the run's parallelism on the same input and cluster: the rate of each
     * and the efficiency, pN / (N x p1) (issue target at least 0.85), and per core busy: on two
     * cores a job at parallelism 1 already keeps about one and a half busy (its stages' reading,
     * sorting and writing threads, the garbage collector, the JIT), so the machine caps pN / p1
     * near 2 / 1.5, and the rate per busy core says how the work itself scales.
     */
    private void scaling(Measured pN, Measured p1) {
        if (pN == null || p1 == null) {
            return;
        }
        double efficiency = pN.wall() / (options.parallelism * p1.wall());
        double perCoreN = pN.wall() / pN.wallCores();
        double perCore1 = p1.wall() / p1.wallCores();
        report.headline("replay_p1_events_per_s", p1.wall());
        if (options.parallelism == 2) {
            report.headline("replay_p2_events_per_s", pN.wall());
        }
        report.headline("scaling_efficiency", efficiency);
        Map<String, Object> part = report.part("replay_p1");
        part.put("events_per_busy_core", Math.round(perCore1));
        part.put("events_per_busy_core_at_run_parallelism", Math.round(perCoreN));
        part.put("per_core_efficiency", BenchReport.round(perCoreN / perCore1));
        report.row(
                "replay",
                "Settle at parallelism 1, same input",
                rate(p1.wall()),
                String.format(
                        Locale.ROOT,
                        "%,d records, %.1f s; %.2f cores; parallelism %d is %.2fx (efficiency %.2f, target >= 0.85); per busy core %,.0f/s against %,.0f/s (%.2f)",
                        p1.records(),
                        p1.wallSeconds(),
                        p1.wallCores(),
                        options.parallelism,
                        pN.wall() / p1.wall(),
                        efficiency,
                        perCoreN,
                        perCore1,
                        perCoreN / perCore1));
    }

    private void summarize(
            Measured floor,
            Measured ceiling,
            Measured settle,
            Measured settleLarge,
            Measured sql,
            Measured naive) {
        if (settle != null) {
            report.headline("replay_events_per_s", settle.wall());
            report.row(
                    "replay",
                    "Settle, full job (batch runtime)",
                    rate(settle.wall()),
                    String.format(
                            Locale.ROOT,
                            "%,d records, submission to finish, %.1f s; %.2f cores; target >= 150,000/s (stretch 200,000/s)",
                            settle.records(),
                            settle.wallSeconds(),
                            settle.wallCores()));
        }
        if (settleLarge != null) {
            report.headline("replay_8m_events_per_s", settleLarge.wall());
            report.row(
                    "replay",
                    "Settle, twice the records",
                    rate(settleLarge.wall()),
                    String.format(
                            Locale.ROOT,
                            "%,d records, %.1f s; %.2f of the rate at half the size (target >= 1.0)",
                            settleLarge.records(),
                            settleLarge.wallSeconds(),
                            settle == null ? Double.NaN : settleLarge.wall() / settle.wall()));
        }
        if (sql != null) {
            report.headline("sql_peer_events_per_s", sql.wall());
            report.row(
                    "sql",
                    "SQL peer, good shape (batch)",
                    rate(sql.wall()),
                    String.format(
                            Locale.ROOT,
                            "ROW_NUMBER + one GROUP BY, JSON out; %.1f s; %.2f cores",
                            sql.wallSeconds(),
                            sql.wallCores()));
        }
        if (naive != null) {
            report.row(
                    "sql",
                    "SQL peer, naive join (batch)",
                    rate(naive.wall()),
                    String.format(
                            Locale.ROOT,
                            "bookings JOIN confirmations, JSON out; %.1f s; %.2f cores",
                            naive.wallSeconds(),
                            naive.wallCores()));
        }
        if (ceiling != null) {
            report.headline("dedup_ceiling_events_per_s", ceiling.wall());
            report.row(
                    "ceiling",
                    "dedup-only DataStream (batch)",
                    rate(ceiling.wall()),
                    String.format(
                            Locale.ROOT,
                            "keyed MapState of event ids; %.1f s; %.2f cores",
                            ceiling.wallSeconds(),
                            ceiling.wallCores()));
        }
        if (floor != null) {
            report.headline("decode_floor_events_per_s", floor.wall());
            report.row(
                    "ceiling",
                    "decode-only floor (batch)",
                    rate(floor.wall()),
                    String.format(
                            Locale.ROOT,
                            "read and decode, nothing else; %.1f s; %.2f cores",
                            floor.wallSeconds(),
                            floor.wallCores()));
        }
        if (settle != null && sql != null) {
            double ratio = settle.wall() / sql.wall();
            report.put("settle_over_sql", BenchReport.round(ratio));
            report.row(
                    "replay",
                    "Settle / SQL (good)",
                    String.format(Locale.ROOT, "%.2fx", ratio),
                    "wall rates; target >= 1.0x");
        }
        if (settle != null && ceiling != null) {
            double share = settle.wall() / ceiling.wall();
            report.put("settle_over_ceiling", BenchReport.round(share));
            report.row(
                    "replay",
                    "Settle / dedup ceiling",
                    String.format(Locale.ROOT, "%.0f%%", 100 * share),
                    "wall rates");
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
