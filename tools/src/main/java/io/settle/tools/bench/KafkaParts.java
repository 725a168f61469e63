package io.settle.tools.bench;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import io.settle.generator.GeneratedRecord;
import io.settle.generator.GeneratorOptions;
import io.settle.generator.TrafficGenerator;
import io.settle.jobs.SettleOptions;
import io.settle.jobs.SettlementJob;
import io.settle.operators.codec.DecodeResult;
import io.settle.operators.codec.EventCodec;
import io.settle.operators.model.EventType;
import io.settle.operators.model.Origin;
import io.settle.operators.model.SettlementEvent;
import io.settle.testkit.EmbeddedKafka;
import io.settle.testkit.FlinkCluster;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The parts with the real Kafka broker (in a JVM of its own): catch-up of a backlog beside the
 * Kafka ceiling, state (bytes per open settlement, savepoint and restore), and live end to end with
 * the burst and the TaskManager kill. Every Settle job here is the live job as {@code flink run}
 * starts it ({@link SettlementJob#prepare}), exactly once.
 */
final class KafkaParts implements AutoCloseable {
    static final int PARTITIONS = 4;
    static final double BACKLOG_RATE = 10_000; // the backlog's event times: ~a billion a day

    private final BenchOptions options;
    private final BenchReport report;
    private final BenchBroker broker;
    private final String runId = Long.toString(System.currentTimeMillis(), 36);

    private KafkaParts(BenchOptions options, BenchReport report, BenchBroker broker) {
        this.options = options;
        this.report = report;
        this.broker = broker;
    }

    static KafkaParts start(BenchOptions options, BenchReport report) throws Exception {
        System.out.println("bench: starting the Kafka broker in its own JVM ...");
        Path log = options.work.toAbsolutePath().resolve("broker.log");
        return new KafkaParts(options, report, BenchBroker.start(log));
    }

    void run() {
        if (options.runs(BenchOptions.Part.CATCHUP)) {
            attempt("catchup", this::catchUp);
        }
        if (options.runs(BenchOptions.Part.STATE)) {
            attempt("state", this::state);
        }
        if (options.runs(BenchOptions.Part.LIVE)
                || options.runs(BenchOptions.Part.BURST)
                || options.runs(BenchOptions.Part.RECOVERY)) {
            attempt("live", () -> new LivePart(this).run());
        }
    }

    interface Step {
        void run() throws Exception;
    }

    private void attempt(String part, Step step) {
        try {
            step.run();
        } catch (Exception e) {
            System.out.println("bench: " + part + " failed: " + e);
            e.printStackTrace(System.out);
            report.failed(part, e);
        }
    }

    BenchOptions options() {
        return options;
    }

    BenchReport report() {
        return report;
    }

    String bootstrap() {
        return broker.bootstrap();
    }

    long brokerPid() {
        return broker.pid();
    }

    /** Topic names for one use, unique to this run. */
    String topic(String use, String kind) {
        return "bench." + runId + "." + use + "." + kind;
    }

    Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        return Admin.create(p);
    }

    void createTopics(int partitions, String... topics) throws Exception {
        try (Admin admin = admin()) {
            List<NewTopic> list = new ArrayList<>();
            for (String t : topics) {
                list.add(
                        new NewTopic(t, partitions, (short) 1)
                                .configs(
                                        Map.of(
                                                "max.message.bytes",
                                                Integer.toString(
                                                        EmbeddedKafka.MAX_MESSAGE_BYTES))));
            }
            admin.createTopics(list).all().get(60, TimeUnit.SECONDS);
        }
    }

    /** Settle's live options for a use of the bench: its topics, group and transactional ids. */
    SettleOptions.Parsed settleOptions(String use) {
        return SettleOptions.parse(
                new String[] {
                    "--kafka.bootstrap-servers", bootstrap(),
                    "--topic.events", topic(use, "events"),
                    "--topic.results", topic(use, "results"),
                    "--topic.alerts", topic(use, "alerts"),
                    "--topic.dead-letters", topic(use, "dlq"),
                    "--kafka.group-id", "settle-" + runId + "-" + use,
                    "--kafka.transactional-id-prefix", "settle-" + runId + "-" + use,
                    "--parallelism", Integer.toString(options.parallelism),
                    "--checkpoint.interval", options.checkpointInterval.toMillis() + " ms",
                    "--start-from", "earliest"
                },
                Map.of());
    }

    void createSettleTopics(String use) throws Exception {
        createTopics(PARTITIONS, topic(use, "events"));
        createTopics(1, topic(use, "results"), topic(use, "alerts"), topic(use, "dlq"));
    }

    JobClient submitSettle(FlinkCluster cluster, String use, Configuration extra) throws Exception {
        StreamExecutionEnvironment env = cluster.env(extra);
        return env.executeAsync(SettlementJob.prepare(env, settleOptions(use)));
    }

    // ---------------------------------------------------------------------------------------
    // Loading a topic as fast as the producer goes.

    /** Sends {@code records} records to {@code topic}; returns how long it took, in seconds. */
    double preload(String topic, long records, RecordSource source) throws Exception {
        return preload(
                        topic,
                        new java.util.Iterator<GeneratedRecord>() {
                            long i;

                            @Override
                            public boolean hasNext() {
                                return i < records;
                            }

                            @Override
                            public GeneratedRecord next() {
                                return source.next(i++);
                            }
                        })
                .seconds();
    }

    /** What a preload sent. */
    record Preloaded(long records, double seconds) {}

    /** Sends every record of {@code records} to {@code topic}, as fast as the producer goes. */
    Preloaded preload(String topic, java.util.Iterator<GeneratedRecord> records) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        p.put(
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                org.apache.kafka.common.serialization.StringSerializer.class.getName());
        p.put(
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                org.apache.kafka.common.serialization.ByteArraySerializer.class.getName());
        long start = System.nanoTime();
        long sent = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            while (records.hasNext()) {
                GeneratedRecord r = records.next();
                producer.send(new ProducerRecord<>(topic, r.key(), r.value()));
                sent++;
            }
            producer.flush();
        }
        return new Preloaded(sent, (System.nanoTime() - start) / 1e9);
    }

    interface RecordSource {
        GeneratedRecord next(long index);
    }

    /** The generator's mix, stamped as if sent at {@value #BACKLOG_RATE}/s up to now. */
    RecordSource backlog(long records, long seed) {
        // Stamped at 10,000/s, a settlement's confirmations (1 s to 5 min after its booking) go
        // out when the generator's pool of open settlements is full: a pool in proportion to the
        // backlog keeps the mix at 2-3 events per settlement from the start.
        TrafficGenerator generator =
                new TrafficGenerator(
                        GeneratorOptions.defaults(seed)
                                .withMaxInFlight(inFlight((long) (records / 2.4))));
        Instant start = Instant.now().minusMillis((long) (records / BACKLOG_RATE * 1000));
        return i -> generator.next(start.plusNanos((long) (i * 1e9 / BACKLOG_RATE)));
    }

    /** The generator's pool for a load of {@code settlements}: 1/50 of it, 1,000 to 20,000. */
    static int inFlight(long settlements) {
        return (int)
                Math.max(1_000, Math.min(GeneratorOptions.DEFAULT_MAX_IN_FLIGHT, settlements / 50));
    }

    // ---------------------------------------------------------------------------------------
    // Catch-up.

    /**
     * Runs both catch-up jobs on a small backlog first, not measured: on two cores the JIT compiles
     * Kafka's and Flink's hot paths for tens of seconds, and neither job should pay for it (nor the
     * second one profit from the first one's).
     */
    private void warmUpCatchUp() throws Exception {
        String use = "catchup-warm-up";
        long n = Math.min(200_000, Math.max(20_000, options.backlog / 5));
        System.out.printf(Locale.ROOT, "bench: warming up on %,d records (not measured) ...%n", n);
        createSettleTopics(use);
        preload(topic(use, "events"), n, backlog(n, options.seed + 1));
        drain(
                "catchup-warm-up-settle",
                n,
                cluster -> submitSettle(cluster, use, new Configuration()));
        drainCeiling("catchup-warm-up-ceiling", use, n);
    }

    private Drain drainCeiling(String name, String use, long n) throws Exception {
        String out = topic(use, "ceiling-out");
        createTopics(1, out);
        return drain(
                name,
                n,
                cluster -> {
                    StreamExecutionEnvironment env = cluster.env(new Configuration());
                    SettlementJob.configure(env, settleOptions(use));
                    Ceilings.kafkaOneValuePerKey(
                            env, bootstrap(), topic(use, "events"), out, name + "-" + runId);
                    return env.executeAsync("Bench: Kafka ceiling");
                });
    }

    private void catchUp() throws Exception {
        warmUpCatchUp();
        String use = "catchup";
        createSettleTopics(use);
        String events = topic(use, "events");
        long n = options.backlog;
        System.out.printf(Locale.ROOT, "bench: loading a backlog of %,d records ...%n", n);
        double loadSeconds = preload(events, n, backlog(n, options.seed));
        Map<String, Object> part = report.part("catchup");
        part.put("backlog_records", n);
        part.put("backlog_load_s", BenchReport.round(loadSeconds));

        System.out.println("bench: Settle catching up ...");
        Drain settle =
                drain(
                        "catchup-settle",
                        n,
                        cluster -> submitSettle(cluster, use, new Configuration()));
        Committed results = committed(topic(use, "results"));
        part.putAll(settle.describe());
        part.put("results_committed", results.records);
        part.put("results_duplicates", results.records - results.distinctKeys);

        System.out.println("bench: the Kafka ceiling job catching up ...");
        Drain ceiling = drainCeiling("catchup-ceiling", use, n);
        Committed keys = committed(topic(use, "ceiling-out"));
        Map<String, Object> c = report.part("kafka_ceiling");
        c.putAll(ceiling.describe());
        c.put("keys_committed", keys.records);
        c.put("keys_duplicates", keys.records - keys.distinctKeys);

        report.headline("kafka_catchup_events_per_s", settle.steady.perSecond());
        report.headline("kafka_ceiling_events_per_s", ceiling.steady.perSecond());
        report.row(
                "catchup",
                "Settle live job, backlog",
                ThroughputParts.rate(settle.steady.perSecond()),
                String.format(
                        Locale.ROOT,
                        "%,d records; drained in %.1f s; %,d results, %d duplicates; %.2f cores",
                        n,
                        settle.drainSeconds,
                        results.records,
                        results.records - results.distinctKeys,
                        settle.cores));
        report.row(
                "catchup",
                "Kafka ceiling job",
                ThroughputParts.rate(ceiling.steady.perSecond()),
                String.format(
                        Locale.ROOT,
                        "parse, one RocksDB value per key, exactly-once sink; drained in %.1f s; %.2f cores",
                        ceiling.drainSeconds,
                        ceiling.cores));
        double share = settle.steady.perSecond() / ceiling.steady.perSecond();
        report.row(
                "catchup",
                "Settle / Kafka ceiling",
                String.format(Locale.ROOT, "%.0f%%", 100 * share),
                "Settle's target: >= 100,000/s (stretch 125,000/s)");
        report.put("catchup_over_kafka_ceiling", BenchReport.round(share));
        Plot plot =
                new Plot(
                        "Catch-up of a " + String.format(Locale.ROOT, "%,d", n) + "-record backlog",
                        "seconds since submission",
                        "records/s");
        plot.line("Settle", settle.rate).line("Kafka ceiling", ceiling.rate);
        plot.write(options.out.resolve("throughput-catchup.png"));
        report.plot("throughput-catchup.png");
    }

    interface Submit {
        JobClient submit(FlinkCluster cluster) throws Exception;
    }

    /** A job reading a pre-loaded topic to its end. */
    record Drain(
            SteadyRate.Window steady,
            double drainSeconds,
            double committedSeconds,
            double cores,
            long restarts,
            List<double[]> rate) {
        Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("steady_events_per_s", BenchReport.round(steady.perSecond()));
            m.put(
                    "steady_window_s",
                    List.of(
                            BenchReport.round(steady.fromSeconds()),
                            BenchReport.round(steady.toSeconds())));
            m.put("drain_s", BenchReport.round(drainSeconds));
            m.put("committed_s", BenchReport.round(committedSeconds));
            m.put("cpu_cores_steady", BenchReport.round(cores));
            m.put("job_cpu_us_per_event", BenchReport.round(1e6 * cores / steady.perSecond()));
            m.put("job_restarts", restarts);
            return m;
        }
    }

    /**
     * Submits a job on a fresh cluster, waits for its sources to have read {@code records} and for
     * the checkpoint after that (its output committed), then cancels it.
     */
    private Drain drain(String name, long records, Submit submit) throws Exception {
        try (FlinkCluster cluster =
                        BenchCluster.start(
                                options.work.resolve("cluster-" + name),
                                options.parallelism,
                                options.managedMemory);
                Sampler sampler = new Sampler(250);
                Profiler profiler = Profiler.start(options, name)) {
            sampler.track("source", BenchMetrics::sourceRecordsOut).start();
            JobClient job = submit.submit(cluster);
            long timeoutNanos = TimeUnit.SECONDS.toNanos(120 + records / 2_000);
            long deadline = System.nanoTime() + timeoutNanos;
            while (BenchMetrics.sourceRecordsOut() < records) {
                failIfEnded(job, name);
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            name
                                    + ": read "
                                    + BenchMetrics.sourceRecordsOut()
                                    + " of "
                                    + records
                                    + " records in time ("
                                    + BenchMetrics.summary()
                                    + ")");
                }
                Thread.sleep(50);
            }
            double drained = sampler.now();
            long checkpoints = BenchMetrics.jobGauge("numberOfCompletedCheckpoints");
            while (BenchMetrics.jobGauge("numberOfCompletedCheckpoints") <= checkpoints) {
                failIfEnded(job, name);
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            name + ": no checkpoint completed after the backlog");
                }
                Thread.sleep(50);
            }
            double committed = sampler.now();
            sampler.sampleOnce();
            List<double[]> source = sampler.series("source").points();
            SteadyRate.Window steady = SteadyRate.of(source, records, records);
            double cores = sampler.coresBetween(steady.fromSeconds(), steady.toSeconds());
            job.cancel().get(60, TimeUnit.SECONDS);
            return new Drain(
                    steady,
                    drained,
                    committed,
                    cores,
                    BenchMetrics.jobGauge("numRestarts"),
                    SteadyRate.perInterval(source, 1, 1.0));
        }
    }

    static void failIfEnded(JobClient job, String name) throws Exception {
        var status = job.getJobStatus().get(10, TimeUnit.SECONDS);
        if (status.isGloballyTerminalState()) {
            throw new IllegalStateException(name + ": the job ended: " + status);
        }
    }

    /** What a topic holds for a read_committed reader: records and distinct keys. */
    record Committed(long records, long distinctKeys) {}

    Committed committed(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        LatencyProbe.readCommitted(
                                bootstrap(), "bench-count-" + topic + "-" + System.nanoTime()))) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic)
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long records = 0;
            Set<String> keys = new HashSet<>();
            long deadline = System.currentTimeMillis() + 120_000;
            while (System.currentTimeMillis() < deadline) {
                boolean done = true;
                for (TopicPartition tp : partitions) {
                    done &= consumer.position(tp) >= end.get(tp);
                }
                if (done) {
                    break;
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    records++;
                    keys.add(r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8));
                }
            }
            return new Committed(records, keys.size());
        }
    }

    // ---------------------------------------------------------------------------------------
    // State.

    private void state() throws Exception {
        String use = "state";
        createSettleTopics(use);
        String events = topic(use, "events");
        long target = options.open;
        // The generator's mix without the confirmations of each settlement's first leg: every
        // settlement that is not cancelled stays open, as a day's book does before the money moves.
        TrafficGenerator generator =
                new TrafficGenerator(
                        GeneratorOptions.defaults(options.seed + 7)
                                .withMaxInFlight(inFlight(target)));
        EventCodec codec = new EventCodec();
        Instant start = Instant.now().minusSeconds(600);
        System.out.printf(
                Locale.ROOT,
                "bench: loading the events of %,d settlements, first legs never confirmed ...%n",
                target);
        java.util.Iterator<GeneratedRecord> book =
                new java.util.Iterator<>() {
                    long made;
                    GeneratedRecord next;

                    @Override
                    public boolean hasNext() {
                        while (next == null && generator.settlementsStarted() < target) {
                            GeneratedRecord r = generator.next(start.plusMillis(made++ / 10));
                            if (!isFirstLegConfirmation(codec, r)) {
                                next = r;
                            }
                        }
                        return next != null;
                    }

                    @Override
                    public GeneratedRecord next() {
                        hasNext();
                        GeneratedRecord r = next;
                        next = null;
                        return r;
                    }
                };
        long records = preload(events, book).records();

        Map<String, Object> part = report.part("state");
        part.put("records", records);
        Path savepoints = options.work.toAbsolutePath().resolve("savepoints-" + runId);
        String savepoint;
        long open;
        try (FlinkCluster cluster =
                BenchCluster.start(
                        options.work.resolve("cluster-state"),
                        options.parallelism,
                        options.managedMemory)) {
            JobClient job = submitSettle(cluster, use, new Configuration());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120 + records / 2_000);
            while (BenchMetrics.sourceRecordsOut() < records) {
                failIfEnded(job, "state");
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "state: the job read "
                                    + BenchMetrics.sourceRecordsOut()
                                    + " of "
                                    + records
                                    + " records in time ("
                                    + BenchMetrics.summary()
                                    + ")");
                }
                Thread.sleep(100);
            }
            // Events apply once the watermark (or the wall clock, 2 s on) passes them.
            open = settledGauge("openSettlements", Duration.ofSeconds(5), deadline);
            long checkpoints = BenchMetrics.jobGauge("numberOfCompletedCheckpoints");
            while (BenchMetrics.jobGauge("numberOfCompletedCheckpoints") <= checkpoints
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            long checkpointFull = BenchMetrics.jobGauge("lastCheckpointFullSize");
            long heap = ProcessStats.heapUsedAfterGc();
            long rss = ProcessStats.rssBytes();
            long started = System.nanoTime();
            savepoint =
                    job.triggerSavepoint(
                                    savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                            .get(30, TimeUnit.MINUTES);
            double savepointSeconds = (System.nanoTime() - started) / 1e9;
            long savepointBytes = folderBytes(Path.of(java.net.URI.create(savepoint)));
            job.cancel().get(60, TimeUnit.SECONDS);

            double perOpen = (double) savepointBytes / open;
            part.put("open_settlements", open);
            part.put("savepoint_bytes", savepointBytes);
            part.put("savepoint_s", BenchReport.round(savepointSeconds));
            part.put("checkpoint_full_bytes", checkpointFull);
            part.put("bytes_per_open_settlement_savepoint", BenchReport.round(perOpen));
            part.put(
                    "bytes_per_open_settlement_checkpoint",
                    BenchReport.round((double) checkpointFull / open));
            part.put("heap_used_after_gc_bytes", heap);
            part.put("rss_bytes", rss);
            part.put("broker_rss_bytes", ProcessStats.rssBytes(brokerPid()));
            report.headline("bytes_per_open_settlement", perOpen);
            report.row(
                    "state",
                    "bytes per open settlement",
                    BenchReport.number(perOpen),
                    String.format(
                            Locale.ROOT,
                            "canonical savepoint %s / %,d open; checkpoint %s; target <= 350 B",
                            mib(savepointBytes),
                            open,
                            BenchReport.number((double) checkpointFull / open)));
            report.row(
                    "state",
                    "heap / RSS (Flink JVM)",
                    mib(heap) + " / " + mib(rss),
                    "heap after GC and resident set of the bench JVM (JobManager, TaskManager, bench)");
            report.row(
                    "recovery",
                    "savepoint",
                    String.format(Locale.ROOT, "%.1f s", savepointSeconds),
                    String.format(
                            Locale.ROOT,
                            "%s with %,d open settlements",
                            mib(savepointBytes),
                            open));
        }
        // Restore: a new cluster, the job from the savepoint, until every task runs.
        try (FlinkCluster cluster =
                BenchCluster.start(
                        options.work.resolve("cluster-restore"),
                        options.parallelism,
                        options.managedMemory)) {
            Configuration restore = new Configuration();
            restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
            long started = System.nanoTime();
            JobClient job = submitSettle(cluster, use, restore);
            cluster.awaitAllTasksRunning(job.getJobID(), Duration.ofMinutes(30));
            double restoreSeconds = (System.nanoTime() - started) / 1e9;
            long restoredOpen =
                    settledGauge(
                            "openSettlements",
                            Duration.ofSeconds(2),
                            System.nanoTime() + TimeUnit.SECONDS.toNanos(60));
            job.cancel().get(60, TimeUnit.SECONDS);
            part.put("restore_s", BenchReport.round(restoreSeconds));
            report.headline("restore_s", restoreSeconds);
            part.put("open_settlements_after_restore", restoredOpen);
            report.row(
                    "recovery",
                    "restore from savepoint",
                    String.format(Locale.ROOT, "%.1f s", restoreSeconds),
                    String.format(
                            Locale.ROOT,
                            "submit to every task running; %,d open after restore; target <= 15 s",
                            restoredOpen));
        }
    }

    private static boolean isFirstLegConfirmation(EventCodec codec, GeneratedRecord r) {
        if (r.kind().isMalformed()) {
            return false;
        }
        DecodeResult d = codec.decode(r.value(), Origin.kafka("bench", 0, 0));
        SettlementEvent e = d.event();
        return e != null && e.getType() == EventType.LEG_CONFIRMED && "L1".equals(e.getLegId());
    }

    /** A gauge summed over subtasks, once it has not moved for {@code quiet}. */
    static long settledGauge(String name, Duration quiet, long deadlineNanos)
            throws InterruptedException {
        Predicate<BenchMetrics.Registered> any = r -> true;
        long value = BenchMetrics.sum(name, any);
        long since = System.nanoTime();
        while (System.nanoTime() < deadlineNanos) {
            Thread.sleep(200);
            long v = BenchMetrics.sum(name, any);
            if (v != value) {
                value = v;
                since = System.nanoTime();
            } else if (System.nanoTime() - since >= quiet.toNanos() && v > 0) {
                return v;
            }
        }
        return value;
    }

    static long folderBytes(Path folder) throws java.io.IOException {
        if (Files.isRegularFile(folder)) {
            return Files.size(folder);
        }
        long n = 0;
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f)) {
                    n += Files.size(f);
                }
            }
        }
        return n;
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%,.1f MiB", bytes / (1024.0 * 1024));
    }

    @Override
    public void close() throws InterruptedException {
        broker.close();
    }
}
