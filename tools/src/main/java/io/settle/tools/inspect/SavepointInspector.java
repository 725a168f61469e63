package io.settle.tools.inspect;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
import org.apache.flink.state.api.runtime.SavepointLoader;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;

import io.settle.cli.BadOptionException;
import io.settle.cli.OptionSet;
import io.settle.cli.Parsed;
import io.settle.operators.codec.OutputCodec;
import io.settle.operators.core.SettlementMachine;
import io.settle.operators.core.SettlementState;
import io.settle.operators.flink.SettleOperator;
import io.settle.operators.flink.SettlementRecord;
import io.settle.operators.flink.SettlementTopology;
import io.settle.operators.model.OpenBookEntry;
import io.settle.operators.model.SettlementStatus;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code ./settle inspect --savepoint PATH}: reads the {@value SettlementTopology#UID_SETTLE}
 * operator's keyed {@value SettleOperator#STATE_SETTLEMENT} state (the machine's state and the
 * events still waiting for the watermark) from a savepoint or a retained checkpoint with the State
 * Processor API, and prints the open book in the contract's shape, one JSON line per settlement,
 * sorted, on stdout; then summary counts on stderr.
 *
 * <p>Works on canonical and native savepoints and on retained (incremental RocksDB) checkpoints:
 * the reader restores with the RocksDB backend. It runs on a local Flink cluster in this JVM.
 */
public final class SavepointInspector {
    private SavepointInspector() {}

    /** What one key holds, as the reader sees it. A Flink POJO. */
    public static class KeyState {
        public String settlementId;
        public String status;
        public String openBook;
        public int pendingEvents;
        public int waitingEvents;

        public KeyState() {}
    }

    /** The counts printed after the open book. */
    public record Summary(
            long keys,
            long open,
            long awaitingBooking,
            long endedRetained,
            long pendingEvents,
            long waitingEvents,
            long folderBytes,
            long settleStateBytes,
            long allStateBytes) {

        /** Lines of {@code name: value}, for people and scripts alike. */
        public List<String> lines() {
            return List.of(
                    "keys: " + keys,
                    "open: " + open,
                    "awaiting-booking: " + awaitingBooking,
                    "ended-retained: " + endedRetained,
                    "pending-events: " + pendingEvents,
                    "waiting-for-booking-events: " + waitingEvents,
                    "folder-bytes: " + folderBytes,
                    "settle-state-bytes: " + settleStateBytes,
                    "all-state-bytes: " + allStateBytes);
        }
    }

    /** The open book (JSON lines, sorted) and the summary. */
    public record Inspection(List<String> openBook, Summary summary) {}

    /** Reads the open book out of the savepoint or retained checkpoint at {@code path}. */
    public static Inspection inspect(String path) throws Exception {
        Path local = localFolder(path);
        CheckpointMetadata metadata = SavepointLoader.loadSavepointMetadata(path);
        OperatorID settle =
                OperatorIdentifier.forUid(SettlementTopology.UID_SETTLE).getOperatorId();
        long settleBytes = 0;
        long allBytes = 0;
        boolean found = false;
        for (OperatorState op : metadata.getOperatorStates()) {
            allBytes += op.getStateSize();
            if (op.getOperatorID().equals(settle)) {
                settleBytes = op.getStateSize();
                found = true;
            }
        }
        if (!found) {
            throw new IllegalArgumentException(
                    "'"
                            + path
                            + "' holds no state of operator uid '"
                            + SettlementTopology.UID_SETTLE
                            + "': not a savepoint of the Settle job");
        }

        Configuration conf = new Configuration();
        conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(CoreOptions.DEFAULT_PARALLELISM, 2);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        SavepointReader savepoint =
                SavepointReader.read(env, path, new EmbeddedRocksDBStateBackend());

        List<String> openBook = new ArrayList<>();
        long keys = 0;
        long open = 0;
        long awaiting = 0;
        long ended = 0;
        long pending = 0;
        long waiting = 0;
        try (CloseableIterator<KeyState> it =
                savepoint
                        .readKeyedState(
                                OperatorIdentifier.forUid(SettlementTopology.UID_SETTLE),
                                new Reader(),
                                TypeInformation.of(String.class),
                                TypeInformation.of(KeyState.class))
                        .executeAndCollect("Settle inspect " + path)) {
            while (it.hasNext()) {
                KeyState k = it.next();
                keys++;
                pending += k.pendingEvents;
                waiting += k.waitingEvents;
                if (k.openBook != null) {
                    openBook.add(k.openBook);
                }
                if (SettlementStatus.OPEN.name().equals(k.status)) {
                    open++;
                } else if (SettlementStatus.AWAITING_BOOKING.name().equals(k.status)) {
                    awaiting++;
                } else if (k.status != null) {
                    ended++;
                }
            }
        }
        Collections.sort(openBook);
        return new Inspection(
                openBook,
                new Summary(
                        keys,
                        open,
                        awaiting,
                        ended,
                        pending,
                        waiting,
                        folderBytes(local),
                        settleBytes,
                        allBytes));
    }

    /** Reads one key: its settlement (the open book entry) and its pending events. */
    static final class Reader extends KeyedStateReaderFunction<String, KeyState> {
        private static final long serialVersionUID = 1L;

        private transient ValueState<SettlementRecord> records;
        private transient OutputCodec codec;

        @Override
        public void open(OpenContext openContext) {
            // The settle operator's descriptor: same name, same serializer.
            records = getRuntimeContext().getState(SettleOperator.recordDescriptor());
            codec = new OutputCodec();
        }

        @Override
        public void readKey(String key, Context ctx, Collector<KeyState> out) throws Exception {
            KeyState k = new KeyState();
            k.settlementId = key;
            SettlementRecord rec = records.value();
            if (rec != null) {
                SettlementState s = rec.machine();
                if (s != null) {
                    s.setSettlementId(key);
                    k.status = s.getStatus() == null ? null : s.getStatus().name();
                    k.waitingEvents = s.getWaiting().size();
                    OpenBookEntry entry = SettlementMachine.openBookEntry(s);
                    k.openBook = entry == null ? null : codec.openBook(entry);
                }
                k.pendingEvents = rec.pending().size();
            }
            out.collect(k);
        }
    }

    /** The folder a savepoint or checkpoint path names (a folder, or its _metadata file). */
    static Path localFolder(String path) {
        String p = path;
        if (p.startsWith("file://")) {
            p = p.substring("file://".length());
        } else if (p.startsWith("file:")) {
            p = p.substring("file:".length());
        }
        Path folder = Path.of(p);
        if (Files.isRegularFile(folder)) {
            folder = folder.getParent();
        }
        return folder;
    }

    static long folderBytes(Path folder) throws IOException {
        if (folder == null || !Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(
                            f -> {
                                try {
                                    return Files.size(f);
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            })
                    .sum();
        }
    }

    static final ConfigOption<String> SAVEPOINT =
            ConfigOptions.key("savepoint")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "A savepoint folder, a checkpoint folder (chk-N), or its _metadata; a path or a file: URI. Required.");

    /** The command line of {@code settle inspect}. */
    public static final OptionSet OPTIONS =
            OptionSet.command("settle inspect")
                    .usage("settle inspect --savepoint PATH")
                    .about(
                            "Prints the open book held in a savepoint or retained checkpoint of the Settle job (operator uid '"
                                    + SettlementTopology.UID_SETTLE
                                    + "', keyed state '"
                                    + SettleOperator.STATE_SETTLEMENT
                                    + "'): one JSON line per open or awaiting-booking settlement, sorted, on stdout, in the contract's open-book shape; then counts on stderr (open, awaiting booking, ended and retained, pending events, the savepoint folder's size in bytes, the operator's state size from _metadata).")
                    .options(List.of(SAVEPOINT))
                    .valueName(SAVEPOINT, "PATH")
                    .build();

    /** {@code ./settle inspect}: returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        String path;
        try {
            Parsed p = OPTIONS.parse(args, Map.of());
            if (p.help()) {
                out.print(OPTIONS.help());
                return 0;
            }
            path = p.require(SAVEPOINT, "");
            if (!path.contains("://") && !Files.exists(localFolder(path))) {
                throw BadOptionException.of(SAVEPOINT.key(), "names no such folder '" + path + "'");
            }
        } catch (BadOptionException e) {
            err.println(OPTIONS.command() + ": " + e.getMessage());
            err.println("Run '" + OPTIONS.command() + " --help' for the options.");
            return 2;
        }
        long start = System.nanoTime();
        Inspection inspection;
        try {
            inspection = inspect(path);
        } catch (IllegalArgumentException e) {
            err.println("settle inspect: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            err.println("settle inspect: cannot read '" + path + "': " + root);
            return 1;
        }
        inspection.openBook().forEach(out::println);
        out.flush();
        err.printf(
                Locale.ROOT,
                "settle inspect: %s (%.1fs)%n",
                path,
                (System.nanoTime() - start) / 1e9);
        for (String line : inspection.summary().lines()) {
            err.println("  " + line);
        }
        return 0;
    }

    public static void main(String[] args) throws Exception {
        int status = run(args, System.out, System.err);
        System.exit(status);
    }
}
