package io.settle.jobs;

import org.apache.flink.api.common.BatchShuffleMode;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import io.settle.operators.codec.ReplayLayout;
import io.settle.operators.core.SettlementConfig;
import io.settle.operators.flink.EventWireTypeInfo;
import io.settle.operators.flink.ReplayClockEnd;
import io.settle.operators.flink.SettleOutputs;
import io.settle.operators.flink.SettlementTopology;
import io.settle.operators.model.DeadLetter;
import io.settle.operators.model.SettlementEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Properties;

/**
 * The Settle job: decode, deduplicate and settle, write results, alerts, dead letters (and, in
 * replay, the open book). Sources and sinks come in through a {@link JobIo}: Kafka live, files in
 * replay, collecting sinks in tests.
 *
 * <pre>
 * flink run settle-job.jar --kafka.bootstrap-servers broker:9092           (live)
 * flink run settle-job.jar --mode replay --input day.jsonl --output out/   (replay)
 * </pre>
 */
public class SettlementJob {
    private static final Logger LOG = LoggerFactory.getLogger(SettlementJob.class);

    public static final String UID_ROUTE = "route-decoded";

    private final SettlementConfig config;
    private final JobIo io;

    public SettlementJob(SettlementConfig config, JobIo io) {
        this.config = config;
        this.io = io;
    }

    /** Wires the topology into {@code env}. */
    public void build(StreamExecutionEnvironment env) {
        SingleOutputStreamOperator<SettlementEvent> events =
                io.events(env)
                        .process(new RouteDecoded(), EventWireTypeInfo.INSTANCE)
                        .uid(UID_ROUTE)
                        .name("Decode and validate: dead letters aside");
        SettlementTopology.Streams settled = SettlementTopology.settle(events, config);
        io.results(settled.results());
        io.alerts(settled.alerts());
        DataStream<DeadLetter> deadLetters =
                events.getSideOutput(SettleOutputs.DEAD_LETTERS).union(settled.deadLetters());
        io.deadLetters(deadLetters);
        io.openBook(settled.openBook());
    }

    // ---------------------------------------------------------------------------------------
    // Environment, in small named steps. Only what the job's guarantees rest on is set here; how
    // state is stored and checkpointed (RocksDB, incremental and retained checkpoints, unaligned
    // checkpoints, timeouts, restarts) is the cluster's, in flink-conf/config.yaml and the
    // FlinkDeployment (JobSettingsTest keeps the two homes apart).

    /** Exactly-once checkpoints every {@code interval}: results commit at each. */
    static void configureCheckpointing(StreamExecutionEnvironment env, Duration interval) {
        env.enableCheckpointing(interval.toMillis(), CheckpointingMode.EXACTLY_ONCE);
        env.getCheckpointConfig()
                .setMinPauseBetweenCheckpoints(Math.min(interval.toMillis() / 2, 5_000));
    }

    /**
     * No silent Kryo: every type in flight and in state is a POJO whose serializer evolves. Object
     * reuse: chained operators hand records on without a copy. Safe here because no function of the
     * job changes a record it received or emitted, or keeps one past the call except through keyed
     * state (RocksDB stores a serialized copy).
     */
    static void configureTypes(StreamExecutionEnvironment env) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        env.configure(conf);
    }

    /**
     * The number of key groups the keyed state is cut into, fixed in every checkpoint and
     * savepoint: a savepoint restores only at the same maximum parallelism, and the job cannot
     * scale past it. Pinned, so it is never derived from a first deployment's parallelism: 128 is
     * what Flink derived for every deployment before it was pinned (any parallelism up to 85), so
     * their savepoints restore; it allows 128 subtasks, about four times what a billion events a
     * day with a 10x peak needs. flink-conf/config.yaml and the FlinkDeployment say the same.
     */
    public static final int MAX_PARALLELISM = 128;

    static void configureParallelism(StreamExecutionEnvironment env, int parallelism) {
        env.setMaxParallelism(MAX_PARALLELISM);
        if (parallelism > 0) {
            env.setParallelism(parallelism);
        }
    }

    /**
     * A replay runs on Flink's batch runtime: the keyed input sorted by settlement, one
     * settlement's events handed to the settle operator together with its state on the heap, no
     * RocksDB and no checkpoints (a failed task runs again from its stage's input). Exchanges are
     * blocking, so the keyed stage starts once the whole input is read: the replay clock's end is
     * known by then ({@link ReplayClockEnd}).
     */
    static void configureBatch(StreamExecutionEnvironment env) {
        Configuration conf = new Configuration();
        conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
        conf.set(ExecutionOptions.BATCH_SHUFFLE_MODE, BatchShuffleMode.ALL_EXCHANGES_BLOCKING);
        env.configure(conf);
    }

    /** Configures {@code env} for the options: the job's own settings, nothing of the cluster's. */
    public static void configure(StreamExecutionEnvironment env, SettleOptions.Parsed options) {
        if (options.mode() == SettleOptions.Mode.REPLAY) {
            configureBatch(env);
        } else {
            configureCheckpointing(env, options.get(SettleOptions.CHECKPOINT_INTERVAL));
        }
        configureTypes(env);
        configureParallelism(env, options.get(SettleOptions.PARALLELISM));
    }

    /**
     * Builds the job for the options into {@code env} and returns its name. A replay's output
     * folder must be new or empty; it is marked {@value ReplayLayout#INCOMPLETE} until {@link
     * #completeReplay} marks it done.
     */
    public static String prepare(StreamExecutionEnvironment env, SettleOptions.Parsed options)
            throws Exception {
        options.validate();
        configure(env, options);
        JobIo io;
        SettlementConfig config;
        if (options.mode() == SettleOptions.Mode.REPLAY) {
            String input = options.get(SettleOptions.INPUT);
            String output = options.get(SettleOptions.OUTPUT);
            requireEmptyOutput(output);
            Instant until = options.until(); // null: the greatest valid event time of the input
            config = options.settlementConfig(until);
            io = new FileIo(input, output, until == null, options.get(SettleOptions.MAX_FUTURE));
            ReplayMarkers.started(output);
        } else {
            TransactionTimeoutCheck.check(env.getConfiguration(), options);
            config = options.settlementConfig(null);
            io = new KafkaIo(options);
        }
        new SettlementJob(config, io).build(env);
        LOG.info("Settle {} with {} ({})", options.mode(), config, options.describe());
        return "Settle " + options.mode().name().toLowerCase(Locale.ROOT) + " " + build();
    }

    /**
     * Builds and runs the job, and waits for it (a live job runs until cancelled). A replay that
     * finishes gets its {@value ReplayLayout#SUCCESS} marker with its counts.
     */
    public static JobExecutionResult execute(
            StreamExecutionEnvironment env, SettleOptions.Parsed options) throws Exception {
        JobExecutionResult result = env.execute(prepare(env, options));
        if (options.mode() == SettleOptions.Mode.REPLAY) {
            completeReplay(options, result);
        }
        return result;
    }

    /** Marks a replay's output complete, with the counts the finished job accumulated. */
    public static void completeReplay(SettleOptions.Parsed options, JobExecutionResult result)
            throws IOException {
        ReplayMarkers.complete(
                options.get(SettleOptions.OUTPUT),
                options.until(),
                result.getAllAccumulatorResults());
    }

    /**
     * Which build of the job jar this is, as {@code [VERSION build NAME]} (from build.properties,
     * filled in by Maven): the job's name carries it, so the web UI and the REST API tell an
     * upgraded job from the one before.
     */
    public static String build() {
        Properties p = new Properties();
        try (InputStream in = SettlementJob.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // unknown build
        }
        return "[" + p.getProperty("version", "?") + " build " + p.getProperty("build", "?") + "]";
    }

    /** Replay refuses to mix its output with an earlier run's. */
    static void requireEmptyOutput(String output) throws Exception {
        Path path = new Path(output);
        FileSystem fs = path.getFileSystem();
        if (fs.exists(path)) {
            var listing = fs.listStatus(path);
            if (listing != null && listing.length > 0) {
                throw new io.settle.cli.BadOptionException(
                        "option '--output': folder '"
                                + output
                                + "' is not empty; replay writes into a new or empty folder");
            }
        }
    }

    public static void main(String[] args) throws Exception {
        SettleOptions.Parsed options;
        try {
            options = SettleOptions.parse(args, System.getenv());
            if (options.help()) {
                System.out.println(SettleOptions.help());
                return;
            }
            options.validate();
        } catch (io.settle.cli.BadOptionException e) {
            System.err.println("settle: " + e.getMessage());
            System.err.println("Run with --help for the options.");
            System.exit(2);
            return;
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        execute(env, options);
    }
}
