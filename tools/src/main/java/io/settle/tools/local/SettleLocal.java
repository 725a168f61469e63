package io.settle.tools.local;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import io.settle.cli.BadOptionException;
import io.settle.cli.Parsed;
import io.settle.generator.Burst;
import io.settle.generator.GeneratorOptions;
import io.settle.generator.KafkaLoad;
import io.settle.generator.TrafficOptions;
import io.settle.jobs.SettleOptions;
import io.settle.jobs.SettlementJob;
import io.settle.report.Report;
import io.settle.report.ReportJob;
import io.settle.report.ReportOptions;
import io.settle.testkit.EmbeddedKafka;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code ./settle local|replay|generate|report}: Settle on this machine, with nothing installed but
 * Java.
 *
 * <p>{@code local} starts a real Kafka broker (KRaft) in this JVM, creates the topics, starts the
 * load generator and submits the live job to a local Flink cluster with its web UI and the
 * Prometheus reporter, then prints progress until Ctrl-C (or {@code --duration}). With {@code
 * --prometheus} it also starts a real Prometheus that scrapes the reporter and evaluates the
 * project's alert rules ({@link LocalPrometheus}).
 */
public final class SettleLocal {
    private SettleLocal() {}

    static final String EVENTS = "settle.events";
    static final String RESULTS = "settle.results";
    static final String ALERTS = "settle.alerts";
    static final String DEAD_LETTERS = "settle.dead-letters";

    // ---------------------------------------------------------------------------------------
    // ./settle local

    public static void local(String[] args) throws Exception {
        Parsed p = LocalOptions.LOCAL.parse(args, System.getenv());
        if (p.help()) {
            System.out.print(LocalOptions.LOCAL.help());
            return;
        }
        double rate = p.get(LocalOptions.RATE);
        if (!(rate > 0)) {
            throw BadOptionException.of(LocalOptions.RATE.key(), "must be above 0, got " + rate);
        }
        Duration duration = p.has(LocalOptions.DURATION) ? p.positive(LocalOptions.DURATION) : null;
        Duration cycle = p.positive(LocalOptions.CYCLE);
        int uiPort = p.atLeast(LocalOptions.UI_PORT, 1);
        int metricsPort = p.atLeast(LocalOptions.METRICS_PORT, 1);
        int prometheusPort = p.atLeast(LocalOptions.PROMETHEUS_PORT, 1);
        boolean withPrometheus = p.get(LocalOptions.PROMETHEUS);
        int partitions = p.atLeast(LocalOptions.PARTITIONS, 1);
        GeneratorOptions generator = TrafficOptions.from(p, p.get(LocalOptions.SEED));
        List<String> jobArgs = p.argsOf(SettleOptions.SET);

        System.out.println("settle local: starting a Kafka broker (KRaft) in process ...");
        EmbeddedKafka kafka = EmbeddedKafka.start();
        kafka.createTopics(partitions, EVENTS);
        kafka.createTopics(1, RESULTS, ALERTS, DEAD_LETTERS);

        List<String> options =
                new ArrayList<>(
                        List.of(
                                "--kafka.bootstrap-servers", kafka.bootstrapServers(),
                                "--topic.events", EVENTS,
                                "--topic.results", RESULTS,
                                "--topic.alerts", ALERTS,
                                "--topic.dead-letters", DEAD_LETTERS));
        if (!jobArgs.contains("--parallelism")) {
            options.addAll(List.of("--parallelism", "2"));
        }
        if (!jobArgs.contains("--start-from")) {
            options.addAll(List.of("--start-from", "earliest")); // its own, new topics
        }
        options.addAll(jobArgs);
        SettleOptions.Parsed parsed =
                SettleOptions.parse(options.toArray(new String[0]), System.getenv());
        parsed.validate();
        int parallelism = parsed.get(SettleOptions.PARALLELISM);

        Path work = Files.createTempDirectory("settle-local-");
        StreamExecutionEnvironment env =
                LocalCluster.environment(uiPort, metricsPort, Math.max(parallelism, 1), work);
        String name = SettlementJob.prepare(env, parsed);
        JobClient job = env.executeAsync(name);
        LocalPrometheus prometheus = null;
        if (withPrometheus) {
            try {
                prometheus =
                        LocalPrometheus.start(
                                Path.of(System.getProperty("settle.root", ".")),
                                work,
                                metricsPort,
                                prometheusPort);
            } catch (IOException | RuntimeException e) {
                job.cancel().get(30, TimeUnit.SECONDS);
                kafka.close();
                throw e;
            }
        }

        KafkaLoad load =
                new KafkaLoad(
                        kafka.bootstrapServers(),
                        EVENTS,
                        generator,
                        rate,
                        duration,
                        new Properties(),
                        Burst.marketDay(cycle));
        Thread generatorThread = new Thread(load, "settle-generator");
        generatorThread.setDaemon(true);
        generatorThread.start();
        OutputCounts outputs =
                new OutputCounts(kafka.bootstrapServers(), RESULTS, ALERTS, DEAD_LETTERS);
        outputs.start();

        System.out.printf(
                Locale.ROOT,
                "settle local: job %s running%n  web UI      http://localhost:%d%n  metrics     http://localhost:%d/metrics%n  Kafka       %s (topics %s -> %s, %s, %s)%n  checkpoints %s%n",
                job.getJobID(),
                uiPort,
                metricsPort,
                kafka.bootstrapServers(),
                EVENTS,
                RESULTS,
                ALERTS,
                DEAD_LETTERS,
                work);
        if (prometheus != null) {
            System.out.printf(
                    Locale.ROOT,
                    "  Prometheus  %s (alerts: %s/classic/alerts, rules %s)%n",
                    prometheus.url(),
                    prometheus.url(),
                    LocalPrometheus.RULES);
        }
        System.out.println("  Ctrl-C stops everything.");

        LocalPrometheus prometheusToStop = prometheus;
        Runnable shutdown =
                () -> {
                    load.stop();
                    if (prometheusToStop != null) {
                        prometheusToStop.close();
                    }
                    try {
                        job.cancel().get(30, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        // already gone
                    }
                    outputs.close();
                    try {
                        kafka.close();
                    } catch (Exception e) {
                        // shutting down anyway
                    }
                };
        Thread hook = new Thread(shutdown, "settle-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        HttpClient http = HttpClient.newHttpClient();
        long lastSent = 0;
        long lastNanos = System.nanoTime();
        long drainUntil = Long.MAX_VALUE;
        while (true) {
            Thread.sleep(5_000);
            long now = System.nanoTime();
            long sent = load.sent();
            double perSecond = (sent - lastSent) / ((now - lastNanos) / 1e9);
            lastSent = sent;
            lastNanos = now;
            System.out.printf(
                    Locale.ROOT,
                    "%s | %,.0f events/s (%,d sent) | %s | open %s | alerts %,d | dead letters %,d%n",
                    java.time.LocalTime.now().withNano(0),
                    perSecond,
                    sent,
                    outputs.results(),
                    openSettlements(http, metricsPort),
                    outputs.alerts(),
                    outputs.deadLetters());
            if (job.getJobStatus().get().isTerminalState()) {
                System.out.println("settle local: the job ended: " + job.getJobStatus().get());
                break;
            }
            if (!generatorThread.isAlive()) {
                if (drainUntil == Long.MAX_VALUE) {
                    long drain =
                            3 * parsed.get(SettleOptions.CHECKPOINT_INTERVAL).toNanos()
                                    + TimeUnit.SECONDS.toNanos(5);
                    drainUntil = now + drain;
                    System.out.println(
                            "settle local: the generator finished; draining the last checkpoints ...");
                } else if (now > drainUntil) {
                    break;
                }
            }
        }
        Runtime.getRuntime().removeShutdownHook(hook);
        shutdown.run();
        System.out.println("settle local: stopped.");
        System.exit(0);
    }

    /** The sum of the openSettlements gauges the Prometheus reporter exports. */
    static String openSettlements(HttpClient http, int port) {
        try {
            HttpResponse<Stream<String>> r =
                    http.send(
                            HttpRequest.newBuilder(
                                            URI.create("http://localhost:" + port + "/metrics"))
                                    .timeout(Duration.ofSeconds(2))
                                    .build(),
                            HttpResponse.BodyHandlers.ofLines());
            double sum = 0;
            boolean found = false;
            for (String line : (Iterable<String>) r.body()::iterator) {
                if (!line.startsWith("#") && line.contains("openSettlements")) {
                    sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    found = true;
                }
            }
            return found ? String.format(Locale.ROOT, "%,.0f", sum) : "-";
        } catch (IOException | RuntimeException e) {
            return "-";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "-";
        }
    }

    // ---------------------------------------------------------------------------------------
    // ./settle replay

    public static void replay(String[] args) throws Exception {
        Parsed p = LocalOptions.REPLAY.parse(args, System.getenv());
        if (p.help()) {
            System.out.print(LocalOptions.REPLAY.help());
            return;
        }
        int uiPort = p.atLeast(LocalOptions.UI_PORT, 1);
        int metricsPort = p.atLeast(LocalOptions.METRICS_PORT, 1);
        List<String> options = new ArrayList<>(List.of("--mode", "replay"));
        options.addAll(p.argsOf(SettleOptions.SET));
        if (!options.contains("--parallelism")) {
            options.addAll(List.of("--parallelism", "2"));
        }
        SettleOptions.Parsed parsed =
                SettleOptions.parse(options.toArray(new String[0]), System.getenv());
        parsed.validate();
        Path work = Files.createTempDirectory("settle-replay-");
        StreamExecutionEnvironment env =
                LocalCluster.environment(
                        uiPort, metricsPort, parsed.get(SettleOptions.PARALLELISM), work);
        long start = System.nanoTime();
        SettlementJob.execute(env, parsed);
        double seconds = (System.nanoTime() - start) / 1e9;
        Path out = Path.of(parsed.get(SettleOptions.OUTPUT));
        System.out.printf(
                Locale.ROOT,
                "settle replay: done in %.1fs: %,d results, %,d alerts, %,d dead letters, %,d open in %s%n",
                seconds,
                lines(out.resolve("results")),
                lines(out.resolve("alerts")),
                lines(out.resolve("dlq")),
                lines(out.resolve("open")),
                out);
    }

    // ---------------------------------------------------------------------------------------
    // ./settle report

    public static void report(String[] args) throws Exception {
        ReportOptions.Parsed parsed = ReportOptions.parse(args, System.getenv());
        if (parsed.help()) {
            System.out.println(ReportOptions.help());
            return;
        }
        parsed.validate();
        int parallelism = parsed.get(ReportOptions.PARALLELISM);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(
                        parallelism > 0 ? parallelism : 2);
        long start = System.nanoTime();
        Report report = ReportJob.report(env, parsed, java.time.Instant.now());
        Path out = Path.of(parsed.get(ReportOptions.OUT));
        ReportJob.write(report, out);
        System.out.printf(
                Locale.ROOT,
                "settle report: done in %.1fs: %s and %s%n  %s%n",
                (System.nanoTime() - start) / 1e9,
                out.resolve(ReportJob.REPORT_HTML),
                out.resolve(ReportJob.REPORT_JSON),
                ReportJob.verdicts(report));
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
