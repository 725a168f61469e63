package io.settle.tools.bench;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;

import io.settle.generator.KafkaLoad;
import io.settle.testkit.FlinkCluster;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Live end to end with the real broker: the generator ({@link KafkaLoad} in a JVM of its own,
 * {@link LoadProcess}: the generator's mix, stamped with the wall clock) at fixed rates in steps
 * into the events topic, the live job, and a read_committed reader of its results ({@link
 * LatencyProbe}); then, on the same job, the burst at three times the highest sustained rate and
 * the TaskManager kill.
 *
 * <p>The lag is what the broker acknowledged minus what the job's sources read. A step is sustained
 * when the generator sent at least 95% of its rate and the lag grew over the step's second half by
 * no more than 1% of the rate per second ({@link SteadyRate#sustained}); stepping stops at the
 * first step that is not.
 */
final class LivePart {
    static final double MIN_SENT_SHARE = 0.95;
    static final double MAX_LAG_GROWTH_SHARE = 0.01;

    /** The job's default allowance (--watermark.max-out-of-orderness), which the bench keeps. */
    static final long ALLOWANCE_MS = 2_000;

    /** CPU seconds of this process but the bench's own threads: the job's (see ProcessStats). */
    static final String JOB_CPU = "jobCpuSeconds";

    private final KafkaParts kafka;
    private final BenchOptions options;
    private final BenchReport report;
    private final Loads loads = new Loads();
    private final List<double[]> markers = new ArrayList<>();
    private final List<String> markerLabels = new ArrayList<>();
    private int loadIndex;

    LivePart(KafkaParts kafka) {
        this.kafka = kafka;
        this.options = kafka.options();
        this.report = kafka.report();
    }

    void run() throws Exception {
        String use = "live";
        kafka.createSettleTopics(use);
        String results = kafka.topic(use, "results");
        try (FlinkCluster cluster =
                        BenchCluster.start(
                                options.work.resolve("cluster-live"),
                                options.parallelism,
                                options.managedMemory);
                LatencyProbe probe =
                        new LatencyProbe(kafka.bootstrap(), results, kafka.topic(use, "alerts"));
                Sampler sampler = new Sampler(500);
                Profiler profiler = Profiler.start(options, "live")) {
            JobClient job = kafka.submitSettle(cluster, use, new Configuration());
            cluster.awaitAllTasksRunning(job.getJobID(), Duration.ofMinutes(2));
            sampler.track("sent", loads::sent)
                    .track("acked", loads::acked)
                    .track("consumed", BenchMetrics::sourceRecordsOut)
                    .track("lag", () -> loads.acked() - BenchMetrics.sourceRecordsOut())
                    .track(JOB_CPU, ProcessStats::jobCpuSeconds)
                    .track(
                            "checkpoints",
                            () -> BenchMetrics.jobGauge("numberOfCompletedCheckpoints"))
                    .track(
                            "failedCheckpoints",
                            () -> BenchMetrics.jobGauge("numberOfFailedCheckpoints"))
                    .track(
                            "lastCheckpointMs",
                            () -> BenchMetrics.jobGauge("lastCheckpointDuration"))
                    .start();

            double sustained = Double.NaN;
            if (options.runs(BenchOptions.Part.LIVE)) {
                sustained = steps(job, probe, sampler);
            }
            double base = Double.isNaN(sustained) ? options.rates.get(0) : sustained;
            if (options.runs(BenchOptions.Part.BURST)) {
                burst(job, sampler, base);
            }
            if (options.runs(BenchOptions.Part.RECOVERY)) {
                recovery(cluster, job, probe, sampler, base, results);
            }
            loads.stopAll();
            KafkaParts.Committed committed = kafka.committed(results);
            Map<String, Object> part = report.part("live");
            part.put("results_committed", committed.records());
            part.put("results_duplicates", committed.records() - committed.distinctKeys());
            report.row(
                    "live",
                    "exactly once",
                    committed.records() - committed.distinctKeys() + " duplicates",
                    String.format(
                            Locale.ROOT,
                            "%,d results read_committed over the whole live run",
                            committed.records()));
            job.cancel().get(60, TimeUnit.SECONDS);
            plots(sampler, probe);
        } finally {
            loads.stopAll();
        }
    }

    // ---------------------------------------------------------------------------------------

    private double steps(JobClient job, LatencyProbe probe, Sampler sampler) throws Exception {
        List<Map<String, Object>> steps = new ArrayList<>();
        double sustained = Double.NaN;
        String sustainedStep = null;
        List<String> names = new ArrayList<>();
        for (double rate : options.rates) {
            String name = String.format(Locale.ROOT, "%.0f/s", rate);
            System.out.printf(
                    Locale.ROOT,
                    "bench: live step %s for %ds ...%n",
                    name,
                    options.step.toSeconds());
            double t0 = sampler.now();
            mark(t0, name);
            probe.startWindow(name);
            loads.run(rate, options.step, nextSeed());
            probe.endWindow(name);
            double t1 = sampler.now();
            KafkaParts.failIfEnded(job, "live");
            // Judged on the step's second half: the producer's start and the step before are over.
            double mid = (t0 + t1) / 2;
            double sent = rateBetween(sampler.series("acked").points(), mid, t1);
            double consumed = rateBetween(sampler.series("consumed").points(), mid, t1);
            double slope = SteadyRate.slope(sampler.series("lag").points(), mid, t1);
            boolean ok =
                    SteadyRate.sustained(rate, sent, slope, MIN_SENT_SHARE, MAX_LAG_GROWTH_SHARE);
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("target_per_s", rate);
            step.put("sent_per_s", BenchReport.round(sent));
            step.put("consumed_per_s", BenchReport.round(consumed));
            step.put("lag_growth_per_s", BenchReport.round(slope));
            step.put("lag_at_end", (long) sampler.series("lag").last());
            step.put("cpu_cores", BenchReport.round(sampler.coresBetween(t0, t1)));
            double usPerEvent =
                    1e6 * rateBetween(sampler.series(JOB_CPU).points(), mid, t1) / consumed;
            step.put("job_cpu_us_per_event", BenchReport.round(usPerEvent));
            step.put("sustained", ok);
            steps.add(step);
            names.add(name);
            System.out.printf(
                    Locale.ROOT,
                    "bench: step %s: sent %,.0f/s, read %,.0f/s, lag growth %,.0f/s: %s%n",
                    name,
                    sent,
                    consumed,
                    slope,
                    ok ? "sustained" : "NOT sustained");
            if (!ok) {
                break;
            }
            sustained = rate;
            sustainedStep = name;
        }
        // Let the last step's results commit before reading its latencies.
        awaitLagBelow(sampler, Math.max(1_000, options.rates.get(0)), Duration.ofSeconds(120));
        Thread.sleep(options.checkpointInterval.toMillis() * 2 + 1_000);
        for (int i = 0; i < steps.size(); i++) {
            Histogram r = probe.results(names.get(i));
            Histogram a = probe.alerts(names.get(i));
            Map<String, Object> step = steps.get(i);
            step.put("results", r.getTotalCount());
            step.put("latency_p50_ms", p(r, 50));
            step.put("latency_p99_ms", p(r, 99));
            step.put("latency_p999_ms", p(r, 99.9));
            step.put("alerts", a.getTotalCount());
            step.put("alert_latency_p99_ms", p(a, 99));
            report.row(
                    "live",
                    "step " + names.get(i),
                    Boolean.TRUE.equals(step.get("sustained")) ? "sustained" : "not sustained",
                    String.format(
                            Locale.ROOT,
                            "sent %s, read %s; results p50/p99/p99.9 %s/%s/%s ms; alerts p99 %s ms",
                            ThroughputParts.rate((double) step.get("sent_per_s")),
                            ThroughputParts.rate((double) step.get("consumed_per_s")),
                            ms(step.get("latency_p50_ms")),
                            ms(step.get("latency_p99_ms")),
                            ms(step.get("latency_p999_ms")),
                            ms(step.get("alert_latency_p99_ms"))));
        }
        report.part("live").put("steps", steps);
        report.headline("kafka_sustained_events_per_s", sustained);
        if (sustainedStep != null) {
            Histogram r = probe.results(sustainedStep);
            Histogram a = probe.alerts(sustainedStep);
            report.headline("latency_p99_ms", p(r, 99));
            report.headline("alert_latency_p99_ms", p(a, 99));
            report.headline(
                    "job_cpu_us_per_event",
                    (double) steps.get(names.indexOf(sustainedStep)).get("job_cpu_us_per_event"));
            report.row(
                    "live",
                    "sustained rate",
                    ThroughputParts.rate(sustained),
                    String.format(
                            Locale.ROOT,
                            "highest step with lag not growing; target >= 50,000/s; committed p99 %s ms (target <= %d: allowance + checkpoint interval + 1 s), alert p99 %s ms (target <= %d: allowance + 0.5 s)",
                            ms(p(r, 99)),
                            ALLOWANCE_MS + options.checkpointInterval.toMillis() + 1_000,
                            ms(p(a, 99)),
                            ALLOWANCE_MS + 500));
        } else {
            report.row("live", "sustained rate", "-", "no step was sustained");
        }
        return sustained;
    }

    private void burst(JobClient job, Sampler sampler, double base) throws Exception {
        System.out.printf(
                Locale.ROOT,
                "bench: burst: %,.0f/s, then %,.0f/s for %ds, then back ...%n",
                base,
                3 * base,
                options.burst.toSeconds());
        double start = sampler.now();
        mark(start, "burst");
        long failedBefore = (long) Math.max(0, sampler.series("failedCheckpoints").last());
        loads.run(base, Duration.ofSeconds(Math.max(5, options.step.toSeconds() / 3)), nextSeed());
        double burstStart = sampler.now();
        loads.run(3 * base, options.burst, nextSeed());
        double burstEnd = sampler.now();
        double sentInBurst = rateBetween(sampler.series("acked").points(), burstStart, burstEnd);
        LoadProcess after = loads.start(base, nextSeed());
        double drained = Double.NaN;
        long deadline =
                System.nanoTime()
                        + Math.max(TimeUnit.SECONDS.toNanos(60), 3 * options.burst.toNanos());
        while (System.nanoTime() < deadline) {
            KafkaParts.failIfEnded(job, "burst");
            if (sampler.series("lag").last() <= base) { // at most a second of traffic behind
                drained = sampler.now() - burstEnd;
                break;
            }
            Thread.sleep(250);
        }
        Thread.sleep(options.checkpointInterval.toMillis() + 1_000);
        loads.stop(after);
        double end = sampler.now();
        List<Double> durations = checkpointDurations(sampler, start, end);
        long failed = (long) Math.max(0, sampler.series("failedCheckpoints").last()) - failedBefore;
        double longest =
                durations.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        Map<String, Object> part = report.part("burst");
        part.put("base_per_s", base);
        part.put("burst_target_per_s", 3 * base);
        part.put("burst_sent_per_s", BenchReport.round(sentInBurst));
        part.put("burst_s", options.burst.toSeconds());
        part.put("drain_s", Double.isNaN(drained) ? null : BenchReport.round(drained));
        report.headline("burst_drain_s", drained);
        part.put("checkpoint_durations_ms", durations);
        part.put("failed_checkpoints", failed);
        report.row(
                "burst",
                "time to drain",
                Double.isNaN(drained)
                        ? "not drained"
                        : String.format(Locale.ROOT, "%.1f s", drained),
                String.format(
                        Locale.ROOT,
                        "%s for %ds (sent %s), then %s; lag back under 1 s of traffic",
                        ThroughputParts.rate(3 * base),
                        options.burst.toSeconds(),
                        ThroughputParts.rate(sentInBurst),
                        ThroughputParts.rate(base)));
        report.row(
                "burst",
                "checkpoints",
                failed + " failed",
                String.format(
                        Locale.ROOT,
                        "%d completed, longest %s ms",
                        durations.size(),
                        BenchReport.number(longest)));
    }

    private void recovery(
            FlinkCluster cluster,
            JobClient job,
            LatencyProbe probe,
            Sampler sampler,
            double base,
            String results)
            throws Exception {
        System.out.printf(
                Locale.ROOT, "bench: recovery: killing the TaskManager under %,.0f/s ...%n", base);
        LoadProcess load = loads.start(base, nextSeed());
        long checkpoints = (long) sampler.series("checkpoints").last();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (BenchMetrics.jobGauge("numberOfCompletedCheckpoints") < checkpoints + 1
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        mark(sampler.now(), "TM killed");
        long killed = System.currentTimeMillis();
        cluster.killTaskManager();
        // Read what is committed only once the old TaskManager is gone: a commit of the
        // checkpoint before the kill can still land until then, and is not a recovered result.
        Map<TopicPartition, Long> readable = readableEnd(results);
        cluster.startTaskManager();
        long first = probe.awaitResultPast(readable, Duration.ofMinutes(5));
        double seconds = first < 0 ? Double.NaN : (first - killed) / 1000.0;
        Thread.sleep(options.checkpointInterval.toMillis() + 2_000);
        loads.stop(load);
        report.part("recovery")
                .put(
                        "tm_kill_to_first_committed_result_s",
                        Double.isNaN(seconds) ? null : BenchReport.round(seconds));
        report.part("recovery").put("rate_per_s", base);
        report.headline("recovery_s", seconds);
        report.row(
                "recovery",
                "TaskManager killed -> first new committed result",
                Double.isNaN(seconds)
                        ? "none in 5 min"
                        : String.format(Locale.ROOT, "%.1f s", seconds),
                String.format(
                        Locale.ROOT,
                        "under %s; a new TaskManager started at once; target <= 10 s",
                        ThroughputParts.rate(base)));
    }

    /** What a read_committed reader can read of the results now: the end of each partition. */
    private Map<TopicPartition, Long> readableEnd(String topic) {
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(
                        LatencyProbe.readCommitted(
                                kafka.bootstrap(), "bench-end-" + System.nanoTime()))) {
            List<TopicPartition> partitions = new ArrayList<>();
            c.partitionsFor(topic)
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            return new LinkedHashMap<>(c.endOffsets(partitions));
        }
    }

    // ---------------------------------------------------------------------------------------

    private void plots(Sampler sampler, LatencyProbe probe) throws java.io.IOException {
        Plot throughput =
                new Plot("Live: events sent and read by the job", "seconds", "events/s")
                        .line(
                                "sent (acknowledged)",
                                SteadyRate.perInterval(sampler.series("acked").points(), 1, 1.0))
                        .line(
                                "read by the job",
                                SteadyRate.perInterval(
                                        sampler.series("consumed").points(), 1, 1.0));
        Plot latency =
                new Plot(
                                "Live: event created -> result readable (read_committed)",
                                "seconds",
                                "latency ms (log)")
                        .logY()
                        .line("p50 per second", probe.percentileBySecond(50))
                        .line("p99 per second", probe.percentileBySecond(99));
        Plot lag =
                new Plot("Live: consumer lag (acknowledged - read)", "seconds", "records")
                        .line("lag", sampler.series("lag").points());
        for (int i = 0; i < markers.size(); i++) {
            throughput.marker(markers.get(i)[0], markerLabels.get(i));
            latency.marker(markers.get(i)[0], markerLabels.get(i));
            lag.marker(markers.get(i)[0], markerLabels.get(i));
        }
        write(throughput, "live-throughput.png");
        write(latency, "live-latency.png");
        write(lag, "live-lag.png");
    }

    private void write(Plot plot, String file) throws java.io.IOException {
        if (!plot.isEmpty()) {
            plot.write(options.out.resolve(file));
            report.plot(file);
        }
    }

    private void mark(double t, String label) {
        markers.add(new double[] {t});
        markerLabels.add(label);
    }

    private long nextSeed() {
        return options.seed * 1_000 + 100 + loadIndex++;
    }

    private void awaitLagBelow(Sampler sampler, double records, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (sampler.series("lag").last() > records && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
    }

    /** Completed checkpoints' durations between two moments, from the sampled gauges. */
    static List<Double> checkpointDurations(Sampler sampler, double from, double to) {
        List<double[]> count = sampler.series("checkpoints").points();
        List<double[]> last = sampler.series("lastCheckpointMs").points();
        List<Double> durations = new ArrayList<>();
        for (int i = 1; i < count.size() && i < last.size(); i++) {
            if (count.get(i)[0] >= from
                    && count.get(i)[0] <= to
                    && count.get(i)[1] > count.get(i - 1)[1]) {
                durations.add(last.get(i)[1]);
            }
        }
        return durations;
    }

    static double rateBetween(List<double[]> cumulative, double from, double to) {
        double a = ProcessStats.valueAt(cumulative, from);
        double b = ProcessStats.valueAt(cumulative, to);
        if (Double.isNaN(b) && !cumulative.isEmpty()) {
            b = cumulative.get(cumulative.size() - 1)[1];
            to = cumulative.get(cumulative.size() - 1)[0];
        }
        return (b - a) / (to - from);
    }

    static double p(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile);
    }

    static String ms(Object v) {
        return v instanceof Double && Double.isFinite((Double) v)
                ? BenchReport.number((Double) v)
                : "-";
    }

    /**
     * The generator loads of the live run, one after another, counted together; each in a JVM of
     * its own ({@link LoadProcess}).
     */
    final class Loads {
        private long doneSent;
        private long doneAcked;
        private final List<LoadProcess> running = new ArrayList<>();

        private LoadProcess load(double rate, Duration duration, long seed) {
            try {
                return LoadProcess.start(
                        kafka.bootstrap(),
                        kafka.topic("live", "events"),
                        rate,
                        duration,
                        seed,
                        options.work.resolve("load.log"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** Starts a load that runs until {@link #stop}. */
        synchronized LoadProcess start(double rate, long seed) {
            LoadProcess h = load(rate, null, seed);
            running.add(h);
            return h;
        }

        /** Runs a load for {@code duration} and returns when it has flushed. */
        void run(double rate, Duration duration, long seed) throws InterruptedException {
            LoadProcess h;
            synchronized (this) {
                h = load(rate, duration, seed);
                running.add(h);
            }
            try {
                h.await();
            } finally {
                finished(h);
            }
        }

        void stop(LoadProcess h) throws InterruptedException {
            try {
                h.close();
            } finally {
                finished(h);
            }
        }

        void stopAll() throws InterruptedException {
            List<LoadProcess> all;
            synchronized (this) {
                all = new ArrayList<>(running);
            }
            for (LoadProcess h : all) {
                stop(h);
            }
        }

        private synchronized void finished(LoadProcess h) {
            if (running.remove(h)) {
                doneSent += h.sent();
                doneAcked += h.acked();
            }
        }

        synchronized long sent() {
            long n = doneSent;
            for (LoadProcess h : running) {
                n += h.sent();
            }
            return n;
        }

        synchronized long acked() {
            long n = doneAcked;
            for (LoadProcess h : running) {
                n += h.acked();
            }
            return n;
        }
    }
}
