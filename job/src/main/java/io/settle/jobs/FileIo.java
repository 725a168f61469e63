package io.settle.jobs;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringEncoder;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;

import io.settle.operators.codec.OutputCodec;
import io.settle.operators.codec.ReplayLayout;
import io.settle.operators.model.Alert;
import io.settle.operators.model.DeadLetter;
import io.settle.operators.model.OpenBookEntry;
import io.settle.operators.model.SettlementResult;

/**
 * Replay IO: JSON Lines in (a file or a folder of them), JSON Lines out under {@code results/},
 * {@code alerts/}, {@code dlq/} and {@code open/} of the output folder. No watermarks: everything
 * applies when the input ends. Files are committed at checkpoints and at the end of the input.
 */
public final class FileIo implements JobIo {
    public static final String UID_SOURCE = "events-file-source";
    public static final String UID_RESULTS_SINK = "results-file-sink";
    public static final String UID_ALERTS_SINK = "alerts-file-sink";
    public static final String UID_DEAD_LETTERS_SINK = "dead-letters-file-sink";
    public static final String UID_OPEN_BOOK_SINK = "open-book-file-sink";

    public static final String RESULTS = ReplayLayout.RESULTS;
    public static final String ALERTS = ReplayLayout.ALERTS;
    public static final String DEAD_LETTERS = ReplayLayout.DEAD_LETTERS;
    public static final String OPEN_BOOK = ReplayLayout.OPEN_BOOK;

    private final String input;
    private final String output;

    public FileIo(String input, String output) {
        this.input = input;
        this.output = output;
    }

    /** The bounded source over the input, shared with the replay clock's first pass. */
    static FileSource<Decoded> source(String input) {
        return FileSource.forBulkFileFormat(new EventLinesFormat(), new Path(input)).build();
    }

    @Override
    public DataStream<Decoded> events(StreamExecutionEnvironment env) {
        return env.fromSource(source(input), WatermarkStrategy.noWatermarks(), "Files: " + input)
                .uid(UID_SOURCE);
    }

    private void write(DataStream<String> lines, String folder, String uid) {
        FileSink<String> sink =
                FileSink.forRowFormat(
                                new Path(output, folder), new SimpleStringEncoder<String>("UTF-8"))
                        .withBucketAssigner(new BasePathBucketAssigner<>())
                        .withRollingPolicy(OnCheckpointRollingPolicy.build())
                        .withOutputFileConfig(
                                OutputFileConfig.builder()
                                        .withPartPrefix("part")
                                        .withPartSuffix(".jsonl")
                                        .build())
                        .build();
        lines.sinkTo(sink).uid(uid).name("Files: " + folder + "/");
    }

    @Override
    public void results(DataStream<SettlementResult> results) {
        write(
                results.map(r -> Codec.get().result(r))
                        .returns(Types.STRING)
                        .uid(UID_RESULTS_SINK + "-json")
                        .name("Results as JSON"),
                RESULTS,
                UID_RESULTS_SINK);
    }

    @Override
    public void alerts(DataStream<Alert> alerts) {
        write(
                alerts.map(a -> Codec.get().alert(a))
                        .returns(Types.STRING)
                        .uid(UID_ALERTS_SINK + "-json")
                        .name("Alerts as JSON"),
                ALERTS,
                UID_ALERTS_SINK);
    }

    @Override
    public void deadLetters(DataStream<DeadLetter> deadLetters) {
        write(
                deadLetters
                        .map(d -> Codec.get().deadLetter(d))
                        .returns(Types.STRING)
                        .uid(UID_DEAD_LETTERS_SINK + "-json")
                        .name("Dead letters as JSON"),
                DEAD_LETTERS,
                UID_DEAD_LETTERS_SINK);
    }

    @Override
    public void openBook(DataStream<OpenBookEntry> openBook) {
        write(
                openBook.map(o -> Codec.get().openBook(o))
                        .returns(Types.STRING)
                        .uid(UID_OPEN_BOOK_SINK + "-json")
                        .name("Open book as JSON"),
                OPEN_BOOK,
                UID_OPEN_BOOK_SINK);
    }

    /** One output codec per task thread. */
    private static final class Codec {
        private static final ThreadLocal<OutputCodec> CODEC =
                ThreadLocal.withInitial(OutputCodec::new);

        static OutputCodec get() {
            return CODEC.get();
        }
    }
}
