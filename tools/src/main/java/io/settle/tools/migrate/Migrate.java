package io.settle.tools.migrate;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.OperatorTransformation;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.SavepointWriter;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
import org.apache.flink.state.api.runtime.SavepointLoader;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;

import io.settle.cli.BadOptionException;
import io.settle.cli.OptionSet;
import io.settle.cli.Parsed;
import io.settle.jobs.SettleOptions;
import io.settle.operators.core.SettlementConfig;
import io.settle.operators.core.SettlementState;
import io.settle.operators.flink.SettlementRecord;
import io.settle.operators.flink.SettlementRecordSerializer;
import io.settle.operators.flink.SettlementTopology;
import io.settle.operators.model.SettlementEvent;
import io.settle.operators.model.SettlementStatus;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./settle migrate --from SAVEPOINT --to DIR}: turns a savepoint of release 0.1.0, whose
 * deduplication ({@value #UID_DEDUPLICATE}) and settlement ({@value #UID_SETTLE}) were two keyed
 * operators, into a savepoint of the one settle operator ({@value SettlementTopology#UID_SETTLE}),
 * with the State Processor API. Every other operator (the Kafka source's offsets, the sinks'
 * transactions) is carried over as it was.
 *
 * <p>Per settlement, the accepted event ids and their fingerprints, the machine's state and the
 * events still waiting for the watermark become one {@link SettlementRecord}, with the one timer
 * the settle operator would keep: the settlement's next tick, or its earliest waiting event (so the
 * events that waited in 0.1.0 apply as soon as the new watermark passes them). 0.1.0 kept its
 * deduplication's cleanup time by the wall clock (the horizon plus the allowance); the record keeps
 * the horizon itself.
 */
public final class Migrate {
    private Migrate() {}

    /** The uids and state names of release 0.1.0. */
    static final String UID_DEDUPLICATE = "settle-deduplicate";

    static final String UID_SETTLE = "settle-settle";
    static final String STATE_SEEN = "dedup-seen";
    static final String STATE_CLEANUP_AT = "dedup-cleanup-at";
    static final String STATE_SETTLEMENT = "settlement";
    static final String STATE_PENDING = "pending-events";

    public static final ConfigOption<String> FROM =
            ConfigOptions.key("from")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "The savepoint of release 0.1.0 (a folder or a file: URI). Required.");

    public static final ConfigOption<String> TO =
            ConfigOptions.key("to")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("A new folder for the migrated savepoint. Required.");

    public static final ConfigOption<Integer> PARALLELISM =
            ConfigOptions.key("parallelism")
                    .intType()
                    .defaultValue(2)
                    .withDescription("Parallelism of the migration job.");

    /**
     * The command line: the two folders, and the job's settlement options, which must be those the
     * migrated job will run with (they decide each settlement's next tick).
     */
    public static final OptionSet OPTIONS =
            OptionSet.command("settle migrate")
                    .usage("settle migrate --from SAVEPOINT --to DIR [job options]")
                    .about(
                            "Turns a savepoint of release 0.1.0 (deduplication and settlement in two keyed operators) into a savepoint of this release's one settle operator, carrying every other operator's state over. Give the settlement options the job will run with.")
                    .options(List.of(FROM, TO, PARALLELISM))
                    .options(
                            List.of(
                                    SettleOptions.SETTLEMENT_WINDOW,
                                    SettleOptions.AT_RISK_LEAD,
                                    SettleOptions.EXPIRY,
                                    SettleOptions.RETENTION,
                                    SettleOptions.ORPHAN_TIMEOUT,
                                    SettleOptions.MAX_OUT_OF_ORDERNESS))
                    .valueName(FROM, "SAVEPOINT")
                    .valueName(TO, "DIR")
                    .build();

    /** What a migration did. */
    public record Summary(long settlements, long open, long pendingEvents, String savepoint) {}

    /** {@code ./settle migrate}: returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        Parsed p;
        try {
            p = OPTIONS.parse(args, Map.of());
            if (p.help()) {
                out.print(OPTIONS.help());
                return 0;
            }
            p.require(FROM, "");
            p.require(TO, "");
            p.atLeast(PARALLELISM, 1);
        } catch (BadOptionException e) {
            err.println(OPTIONS.command() + ": " + e.getMessage());
            err.println("Run '" + OPTIONS.command() + " --help' for the options.");
            return 2;
        }
        SettlementConfig config =
                SettlementConfig.builder()
                        .settlementWindow(p.get(SettleOptions.SETTLEMENT_WINDOW))
                        .atRiskLead(p.get(SettleOptions.AT_RISK_LEAD))
                        .expiry(p.get(SettleOptions.EXPIRY))
                        .retention(p.get(SettleOptions.RETENTION))
                        .orphanTimeout(p.get(SettleOptions.ORPHAN_TIMEOUT))
                        .maxOutOfOrderness(p.get(SettleOptions.MAX_OUT_OF_ORDERNESS))
                        .build();
        long start = System.nanoTime();
        Summary s;
        try {
            s = migrate(p.get(FROM), p.get(TO), config, p.get(PARALLELISM));
        } catch (IllegalArgumentException e) {
            err.println(OPTIONS.command() + ": " + e.getMessage());
            return 2;
        }
        out.println(s.savepoint());
        err.printf(
                "settle migrate: %s -> %s in %.1fs: %d settlements (%d open, %d events waiting for the watermark)%n",
                p.get(FROM),
                s.savepoint(),
                (System.nanoTime() - start) / 1e9,
                s.settlements(),
                s.open(),
                s.pendingEvents());
        return 0;
    }

    /** Migrates the savepoint at {@code from} into a new one at {@code to}. */
    public static Summary migrate(String from, String to, SettlementConfig config, int parallelism)
            throws Exception {
        CheckpointMetadata metadata = SavepointLoader.loadSavepointMetadata(from);
        Set<Object> operators = new HashSet<>();
        for (OperatorState op : metadata.getOperatorStates()) {
            operators.add(op.getOperatorID());
        }
        if (operators.contains(
                OperatorIdentifier.forUid(SettlementTopology.UID_SETTLE).getOperatorId())) {
            throw new IllegalArgumentException(
                    "'" + from + "' is a savepoint of this release already: nothing to migrate");
        }
        if (!operators.contains(OperatorIdentifier.forUid(UID_SETTLE).getOperatorId())) {
            throw new IllegalArgumentException(
                    "'"
                            + from
                            + "' holds no state of operator uid '"
                            + UID_SETTLE
                            + "': not a savepoint of Settle 0.1.0");
        }

        Configuration conf = new Configuration();
        conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
        // The State Processor API's writer moves Flink's own OperatorState through Kryo.
        conf.set(PipelineOptions.GENERIC_TYPES, true);
        conf.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        SavepointReader reader = SavepointReader.read(env, from, new EmbeddedRocksDBStateBackend());
        TypeInformation<Tuple2<String, SettlementRecord>> part =
                Types.TUPLE(Types.STRING, SettlementRecordSerializer.TYPE);
        long allowance = config.maxOutOfOrderness().toMillis();
        DataStream<Tuple2<String, SettlementRecord>> dedup =
                reader.readKeyedState(
                        OperatorIdentifier.forUid(UID_DEDUPLICATE),
                        new DedupReader(allowance),
                        Types.STRING,
                        part);
        DataStream<Tuple2<String, SettlementRecord>> settle =
                reader.readKeyedState(
                        OperatorIdentifier.forUid(UID_SETTLE),
                        new SettleReader(),
                        Types.STRING,
                        part);
        DataStream<Tuple2<String, SettlementRecord>> records =
                dedup.union(settle)
                        .keyBy(t -> t.f0, Types.STRING)
                        .reduce(Migrate::merge)
                        .returns(part)
                        .map(new Count())
                        .returns(part);
        SavepointWriter.fromExistingSavepoint(env, from, new EmbeddedRocksDBStateBackend())
                .removeOperator(OperatorIdentifier.forUid(UID_DEDUPLICATE))
                .removeOperator(OperatorIdentifier.forUid(UID_SETTLE))
                .withOperator(
                        OperatorIdentifier.forUid(SettlementTopology.UID_SETTLE),
                        OperatorTransformation.bootstrapWith(records)
                                .keyBy(t -> t.f0, Types.STRING)
                                .transform(new SettleBootstrap.Factory(config)))
                .write(to);
        JobExecutionResult result = env.execute("Settle migrate " + from + " -> " + to);
        return new Summary(
                count(result, Count.SETTLEMENTS),
                count(result, Count.OPEN),
                count(result, Count.PENDING),
                to);
    }

    private static long count(JobExecutionResult result, String accumulator) {
        Object v = result.getAccumulatorResult(accumulator);
        return v instanceof Number ? ((Number) v).longValue() : 0;
    }

    /** One settlement's two halves (deduplication, settlement) into one record. */
    static Tuple2<String, SettlementRecord> merge(
            Tuple2<String, SettlementRecord> a, Tuple2<String, SettlementRecord> b) {
        SettlementRecord ids = a.f1.seenIds().isEmpty() ? b.f1 : a.f1;
        SettlementRecord machine = ids == a.f1 ? b.f1 : a.f1;
        machine.seenIds().addAll(ids.seenIds());
        machine.seenFingerprints().addAll(ids.seenFingerprints());
        machine.setForgetAt(ids.forgetAt());
        return Tuple2.of(a.f0, machine);
    }

    /** Counts what is migrated (the bootstrap's own task has no accumulators). */
    static final class Count
            extends RichMapFunction<
                    Tuple2<String, SettlementRecord>, Tuple2<String, SettlementRecord>> {
        private static final long serialVersionUID = 1L;
        static final String SETTLEMENTS = "settle-migrate-settlements";
        static final String OPEN = "settle-migrate-open";
        static final String PENDING = "settle-migrate-pending-events";
        private transient LongCounter settlements;
        private transient LongCounter open;
        private transient LongCounter pending;

        @Override
        public void open(OpenContext openContext) {
            settlements = getRuntimeContext().getLongCounter(SETTLEMENTS);
            open = getRuntimeContext().getLongCounter(OPEN);
            pending = getRuntimeContext().getLongCounter(PENDING);
        }

        @Override
        public Tuple2<String, SettlementRecord> map(Tuple2<String, SettlementRecord> t) {
            if (!t.f1.isEmpty()) {
                settlements.add(1L);
                pending.add((long) t.f1.pending().size());
                if (t.f1.machine() != null && t.f1.machine().getStatus() == SettlementStatus.OPEN) {
                    open.add(1L);
                }
            }
            return t;
        }
    }

    /** 0.1.0's deduplication state: the accepted ids, their fingerprints, the cleanup time. */
    static final class DedupReader
            extends KeyedStateReaderFunction<String, Tuple2<String, SettlementRecord>> {
        private static final long serialVersionUID = 1L;
        private final long allowance;
        private transient MapState<String, byte[]> seen;
        private transient ValueState<Long> cleanupAt;

        DedupReader(long allowance) {
            this.allowance = allowance;
        }

        @Override
        public void open(OpenContext openContext) {
            seen =
                    getRuntimeContext()
                            .getMapState(
                                    new MapStateDescriptor<>(
                                            STATE_SEEN,
                                            Types.STRING,
                                            PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
            cleanupAt =
                    getRuntimeContext()
                            .getState(new ValueStateDescriptor<>(STATE_CLEANUP_AT, Types.LONG));
        }

        @Override
        public void readKey(
                String key, Context ctx, Collector<Tuple2<String, SettlementRecord>> out)
                throws Exception {
            SettlementRecord r = new SettlementRecord();
            for (Map.Entry<String, byte[]> e : seen.entries()) {
                r.seenIds().add(e.getKey());
                r.seenFingerprints().add(e.getValue());
            }
            Long cleanup = cleanupAt.value();
            if (!r.seenIds().isEmpty()) {
                // 0.1.0 cleaned up by the wall clock, the allowance after the horizon.
                r.setForgetAt(cleanup == null ? Long.MAX_VALUE : cleanup - allowance);
            }
            out.collect(Tuple2.of(key, r));
        }
    }

    /** 0.1.0's settlement state: the machine's state and the events waiting for the watermark. */
    static final class SettleReader
            extends KeyedStateReaderFunction<String, Tuple2<String, SettlementRecord>> {
        private static final long serialVersionUID = 1L;
        private transient ValueState<SettlementState> settlement;
        private transient ListState<SettlementEvent> pending;

        @Override
        public void open(OpenContext openContext) {
            settlement =
                    getRuntimeContext()
                            .getState(
                                    new ValueStateDescriptor<>(
                                            STATE_SETTLEMENT,
                                            TypeInformation.of(SettlementState.class)));
            pending =
                    getRuntimeContext()
                            .getListState(
                                    new ListStateDescriptor<>(
                                            STATE_PENDING,
                                            TypeInformation.of(SettlementEvent.class)));
        }

        @Override
        public void readKey(
                String key, Context ctx, Collector<Tuple2<String, SettlementRecord>> out)
                throws Exception {
            SettlementRecord r = new SettlementRecord();
            SettlementState s = settlement.value();
            if (s != null) {
                s.setSettlementId(key);
                r.setMachine(s);
            }
            List<SettlementEvent> waiting = new ArrayList<>();
            for (SettlementEvent e : pending.get()) {
                waiting.add(e.withOrigin(null));
            }
            r.pending().addAll(waiting);
            out.collect(Tuple2.of(key, r));
        }
    }
}
