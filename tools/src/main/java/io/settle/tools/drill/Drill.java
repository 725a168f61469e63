package io.settle.tools.drill;

import org.apache.flink.util.TimeUtils;

import io.settle.jobs.SettleOptions;
import io.settle.operators.core.SettlementConfig;
import io.settle.testkit.Kafka;
import io.settle.testkit.OracleCheck;
import io.settle.testkit.TopicReader;
import io.settle.testkit.Topics;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Java side of {@code ./settle drill} (drill/run): small commands the script calls.
 *
 * <pre>
 * Drill await-broker --bootstrap B [--timeout 60s]
 * Drill topics       --bootstrap B --prefix P [--partitions 4]
 * Drill await        --bootstrap B --prefix P [--timeout 180s] [-- JOB OPTIONS]
 * Drill schedule     --seed S [--duration 300s]
 * Drill hostile      --bootstrap B --topic T --round K [--max-events 1000]
 * Drill taskmanagers --rest URL --job ID
 * Drill check        --bootstrap B --prefix P [--timeout 180s] [--grace 8s] [--clock input|outputs]
 *                    [--open-book FILE] [--report FILE] [-- JOB OPTIONS]
 * </pre>
 *
 * {@code schedule} prints the soak's plan of faults and hostile rounds ({@link SoakSchedule}), one
 * per line: second, kind, argument. {@code hostile} sends one round of hostile records ({@link
 * SoakHostile}) to the events topic. {@code taskmanagers} prints the resource ids of the
 * TaskManagers that run a task of a job (the soak kills one of those).
 *
 * <p>{@code await} waits until the job has written everything the events topic calls for (exit 1 at
 * the timeout), so a savepoint taken next holds the final open book.
 *
 * <p>{@code check} reads the events topic whole, computes what the job must have written ({@link
 * OracleCheck}, with the SLA durations of the job's own options after {@code --}), reads the output
 * topics read_committed until everything expected has arrived or the timeout, keeps reading for the
 * grace period (a duplicate written late is still seen), then prints the report and exits 1 on any
 * loss, duplicate or difference. What the job must have written follows what it wrote where only
 * the running job can know: the events it found late ({@code LATE_EVENT} alerts) and, with {@code
 * --clock outputs} (a job that has stopped), the clock's end: see {@link OracleCheck#expected(
 * OracleCheck.Decoded, SettlementConfig, OracleCheck.Actual, boolean)}.
 */
public final class Drill {
    private Drill() {}

    static final String USAGE =
            "usage: Drill await-broker --bootstrap B [--timeout 60s]\n"
                    + "       Drill topics --bootstrap B --prefix P [--partitions 4]\n"
                    + "       Drill await --bootstrap B --prefix P [--timeout 180s] [-- JOB OPTIONS]\n"
                    + "       Drill schedule --seed S [--duration 300s]\n"
                    + "       Drill hostile --bootstrap B --topic T --round K [--max-events 1000]\n"
                    + "       Drill taskmanagers --rest URL --job ID\n"
                    + "       Drill check --bootstrap B --prefix P [--timeout 180s] [--grace 8s] [--clock input|outputs]\n"
                    + "                   [--open-book FILE] [--report FILE] [-- JOB OPTIONS]\n";

    public static void main(String[] args) throws Exception {
        int status;
        try {
            status = run(args, System.out, System.err);
        } catch (IllegalArgumentException e) {
            System.err.println("drill: " + e.getMessage());
            status = 2;
        }
        System.exit(status);
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (args.length == 0) {
            err.print(USAGE);
            return 2;
        }
        String command = args[0];
        List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
        List<String> jobOptions = new ArrayList<>();
        int dashes = rest.indexOf("--");
        if (dashes >= 0) {
            jobOptions.addAll(rest.subList(dashes + 1, rest.size()));
            rest = new ArrayList<>(rest.subList(0, dashes));
        }
        Map<String, String> o = options(rest);
        switch (command) {
            case "await-broker":
                {
                    Duration timeout = duration(o, "timeout", "60s");
                    String bootstrap = required(o, "bootstrap");
                    if (!Kafka.awaitBroker(bootstrap, timeout)) {
                        err.println(
                                "drill: the broker at "
                                        + bootstrap
                                        + " did not answer in "
                                        + timeout);
                        return 1;
                    }
                    return 0;
                }
            case "topics":
                {
                    Topics topics = Topics.named(required(o, "prefix"));
                    int partitions = Integer.parseInt(o.getOrDefault("partitions", "4"));
                    topics.create(required(o, "bootstrap"), partitions);
                    out.println("drill: topics " + topics);
                    return 0;
                }
            case "schedule":
                {
                    long seed = Long.parseLong(required(o, "seed"));
                    for (SoakSchedule.Step step :
                            SoakSchedule.plan(seed, duration(o, "duration", "300s"))) {
                        out.println(step.line());
                    }
                    return 0;
                }
            case "hostile":
                return hostile(o, out);
            case "taskmanagers":
                for (String id : taskManagersOf(required(o, "rest"), required(o, "job"))) {
                    out.println(id);
                }
                return 0;
            case "check":
                return check(o, jobOptions, out, true);
            case "await":
                return check(o, jobOptions, out, false);
            default:
                throw new IllegalArgumentException("unknown command '" + command + "'\n" + USAGE);
        }
    }

    private static int check(
            Map<String, String> o, List<String> jobOptions, PrintStream out, boolean judge)
            throws Exception {
        String bootstrap = required(o, "bootstrap");
        Topics topics = Topics.named(required(o, "prefix"));
        Duration timeout = duration(o, "timeout", "180s");
        Duration grace = duration(o, "grace", "8s");
        String clock = o.getOrDefault("clock", "input");
        if (!clock.equals("input") && !clock.equals("outputs")) {
            throw new IllegalArgumentException(
                    "option '--clock' must be input or outputs, got '" + clock + "'");
        }
        boolean clockToOutputs = clock.equals("outputs");
        SettleOptions.Parsed job = SettleOptions.parse(jobOptions.toArray(new String[0]), Map.of());
        SettlementConfig live = job.settlementConfig(null);

        List<OracleCheck.EventRecord> records =
                Kafka.readAll(bootstrap, topics.events(), Duration.ofSeconds(60));
        OracleCheck.Decoded input =
                OracleCheck.decode(records, live, job.get(SettleOptions.MAX_FUTURE));
        OracleCheck.Expected expected = OracleCheck.expected(input, live, null, false);
        out.printf(
                Locale.ROOT,
                "drill check: %d records on %s; expecting %d results, %d alerts, %d dead letters%n",
                records.size(),
                topics.events(),
                expected.results().size(),
                expected.alerts().size(),
                expected.deadLetters().size());

        long start = System.nanoTime();
        OracleCheck.Actual actual;
        try (TopicReader results = new TopicReader(bootstrap, topics.results());
                TopicReader alerts = new TopicReader(bootstrap, topics.alerts());
                TopicReader deadLetters = new TopicReader(bootstrap, topics.deadLetters())) {
            long deadline = start + timeout.toNanos();
            long nextProgress = start + Duration.ofSeconds(10).toNanos();
            long nextResolve = 0;
            int outputsResolved = -1;
            boolean complete = false;
            long nextLook = 0;
            int read = 0;
            while (!complete && System.nanoTime() < deadline) {
                // While records come, poll without waiting on the topics that have none.
                Duration wait = Duration.ofMillis(read > 0 ? 5 : 100);
                read =
                        results.poll(read > 0 ? wait : Duration.ofMillis(300))
                                + alerts.poll(wait)
                                + deadLetters.poll(wait);
                // Read what is there first; look (parse, resolve, compare) once caught up, or
                // every few seconds while the job still writes.
                if (read > 0 && System.nanoTime() < nextLook) {
                    continue;
                }
                nextLook = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                OracleCheck.Actual soFar =
                        new OracleCheck.Actual(
                                results.values(), alerts.values(), deadLetters.values(), null);
                // What the job found late, and the clock, are known from what it wrote: the
                // expectation follows the outputs (at most every few seconds: a whole oracle run).
                int outputs = results.values().size() + alerts.values().size();
                if (outputs != outputsResolved && System.nanoTime() >= nextResolve) {
                    expected = OracleCheck.expected(input, live, soFar, clockToOutputs);
                    outputsResolved = outputs;
                    nextResolve = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                }
                complete = outputs == outputsResolved && OracleCheck.complete(expected, soFar);
                if (!complete && System.nanoTime() > nextProgress) {
                    nextProgress += Duration.ofSeconds(10).toNanos();
                    out.printf(
                            Locale.ROOT,
                            "drill check: waiting for the job to catch up: %d results, %d alerts, %d dead letters read%n",
                            results.values().size(),
                            alerts.values().size(),
                            deadLetters.values().size());
                }
            }
            if (!judge) {
                if (!complete) { // what is still missing, for whoever reads the log
                    OracleCheck.Actual soFar =
                            new OracleCheck.Actual(
                                    results.values(), alerts.values(), deadLetters.values(), null);
                    OracleCheck.compare(expected, soFar).lines().stream()
                            .filter(l -> l.contains(" missing"))
                            .forEach(out::println);
                }
                out.printf(
                        Locale.ROOT,
                        "drill await: %s after %.1fs%n",
                        complete ? "everything expected has arrived" : "timed out",
                        (System.nanoTime() - start) / 1e9);
                return complete ? 0 : 1;
            }
            out.printf(
                    Locale.ROOT,
                    "drill check: %s after %.1fs; reading %ss more for late duplicates%n",
                    complete ? "everything expected has arrived" : "timed out",
                    (System.nanoTime() - start) / 1e9,
                    grace.toSeconds());
            long graceEnd = System.nanoTime() + grace.toNanos();
            while (System.nanoTime() < graceEnd) {
                results.poll(Duration.ofMillis(200));
                alerts.poll(Duration.ofMillis(100));
                deadLetters.poll(Duration.ofMillis(100));
            }
            List<String> openBook = null;
            if (o.containsKey("open-book")) {
                openBook = new ArrayList<>();
                for (String line :
                        Files.readAllLines(Path.of(o.get("open-book")), StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        openBook.add(line);
                    }
                }
            }
            actual =
                    new OracleCheck.Actual(
                            new ArrayList<>(results.values()),
                            new ArrayList<>(alerts.values()),
                            new ArrayList<>(deadLetters.values()),
                            openBook);
        }
        expected = OracleCheck.expected(input, live, actual, clockToOutputs);
        OracleCheck.Report report = OracleCheck.compare(expected, actual);
        List<String> lines = report.lines();
        lines.forEach(out::println);
        if (o.containsKey("report")) {
            Files.write(Path.of(o.get("report")), lines, StandardCharsets.UTF_8);
        }
        return report.ok() ? 0 : 1;
    }

    /** The resource ids of the TaskManagers that run a task of the job (REST API). */
    private static java.util.Set<String> taskManagersOf(String rest, String job) throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json =
                new com.fasterxml.jackson.databind.ObjectMapper();
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.util.function.Function<String, com.fasterxml.jackson.databind.JsonNode> get =
                path -> {
                    try {
                        return json.readTree(
                                http.send(
                                                java.net.http.HttpRequest.newBuilder(
                                                                java.net.URI.create(rest + path))
                                                        .timeout(Duration.ofSeconds(10))
                                                        .build(),
                                                java.net.http.HttpResponse.BodyHandlers.ofString())
                                        .body());
                    } catch (Exception e) {
                        throw new IllegalStateException("GET " + rest + path + ": " + e, e);
                    }
                };
        java.util.Set<String> ids = new java.util.TreeSet<>();
        for (com.fasterxml.jackson.databind.JsonNode v :
                get.apply("/jobs/" + job).path("vertices")) {
            String path = "/jobs/" + job + "/vertices/" + v.path("id").asText() + "/taskmanagers";
            for (com.fasterxml.jackson.databind.JsonNode tm :
                    get.apply(path).path("taskmanagers")) {
                ids.add(tm.path("taskmanager-id").asText());
            }
        }
        return ids;
    }

    private static int hostile(Map<String, String> o, PrintStream out) throws Exception {
        String topic = required(o, "topic");
        int round = Integer.parseInt(required(o, "round"));
        int maxEvents = Integer.parseInt(o.getOrDefault("max-events", "1000"));
        List<SoakHostile.Hostile> records =
                SoakHostile.round(round, java.time.Instant.now(), maxEvents);
        Map<String, Integer> kinds = new java.util.LinkedHashMap<>();
        try (org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]> producer =
                Kafka.producer(required(o, "bootstrap"))) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (SoakHostile.Hostile h : records) {
                sent.add(
                        producer.send(
                                new org.apache.kafka.clients.producer.ProducerRecord<>(
                                        topic, h.key(), h.value())));
                kinds.merge(h.what(), 1, Integer::sum);
            }
            for (java.util.concurrent.Future<?> f : sent) {
                f.get(); // every one on the topic, or a failure here
            }
        }
        out.printf(Locale.ROOT, "hostile round %d: %d records: %s%n", round, records.size(), kinds);
        return 0;
    }

    private static Map<String, String> options(List<String> args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'\n" + USAGE);
            }
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException("option '" + a + "' needs a value");
            }
            o.put(a.substring(2), args.get(++i));
        }
        return o;
    }

    private static String required(Map<String, String> o, String key) {
        String v = o.get(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("option '--" + key + "' is required\n" + USAGE);
        }
        return v;
    }

    private static Duration duration(Map<String, String> o, String key, String fallback) {
        String v = o.getOrDefault(key, fallback);
        try {
            return TimeUtils.parseDuration(v);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "option '--" + key + "' must be a duration like 90s, got '" + v + "'");
        }
    }
}
