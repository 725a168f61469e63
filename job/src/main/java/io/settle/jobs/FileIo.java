package io.settle.jobs;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;

import io.settle.operators.codec.OutputCodec;
import io.settle.operators.codec.ReplayLayout;
import io.settle.operators.model.Alert;
import io.settle.operators.model.DeadLetter;
import io.settle.operators.model.OpenBookEntry;
import io.settle.operators.model.SettlementResult;

import java.time.Duration;

/**
 * Replay IO: JSON Lines in (a file or a folder of them), JSON Lines out under {@code results/},
 * {@code alerts/}, {@code dlq/} and {@code open/} of the output folder. No watermarks: a replay
 * runs on Flink's batch runtime, and a settlement's events apply together when its key's input
 * ends. Files are committed when the job ends.
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

    public static final String UID_REPLAY_INPUT = "replay-input";

    private final String input;
    private final String output;
    private final boolean findClockEnd;
    private final Duration maxFuture;

    /**
     * @param findClockEnd whether the replay's clock stops at the greatest valid event time of the
     *     input, which the reading subtasks then report ({@link ReplayInput})
     * @param maxFuture events stamped more than this after the wall clock are {@code FUTURE_EVENT}
     */
    public FileIo(String input, String output, boolean findClockEnd, Duration maxFuture) {
        this.input = input;
        this.output = output;
        this.findClockEnd = findClockEnd;
        this.maxFuture = maxFuture;
    }

    /** The bounded source over the input. */
    static FileSource<Decoded> source(String input, Duration maxFuture) {
        return FileSource.forBulkFileFormat(new EventLinesFormat(maxFuture), new Path(input))
                .build();
    }

    @Override
    public DataStream<Decoded> events(StreamExecutionEnvironment env) {
        return env.fromSource(
                        source(input, maxFuture),
                        WatermarkStrategy.noWatermarks(),
                        "Files: " + input)
                .uid(UID_SOURCE)
                .transform(
                        findClockEnd ? "Count, find the clock's end" : "Count",
                        TypeInformation.of(Decoded.class),
                        new ReplayInput(findClockEnd))
                .uid(UID_REPLAY_INPUT);
    }

    private void write(DataStream<String> lines, String folder, String uid) {
        FileSink<String> sink =
                FileSink.forBulkFormat(new Path(output, folder), new LinesWriter())
                        .withBucketAssigner(new BasePathBucketAssigner<>())
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
                results.map(new Json<SettlementResult>(RESULTS, OutputCodec::result))
                        .returns(Types.STRING)
                        .uid(UID_RESULTS_SINK + "-json")
                        .name("Results as JSON"),
                RESULTS,
                UID_RESULTS_SINK);
    }

    @Override
    public void alerts(DataStream<Alert> alerts) {
        write(
                alerts.map(new Json<Alert>(ALERTS, OutputCodec::alert))
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
                        .map(new Json<DeadLetter>(DEAD_LETTERS, OutputCodec::deadLetter))
                        .returns(Types.STRING)
                        .uid(UID_DEAD_LETTERS_SINK + "-json")
                        .name("Dead letters as JSON"),
                DEAD_LETTERS,
                UID_DEAD_LETTERS_SINK);
    }

    @Override
    public void openBook(DataStream<OpenBookEntry> openBook) {
        write(
                openBook.map(new Json<OpenBookEntry>(OPEN_BOOK, OutputCodec::openBook))
                        .returns(Types.STRING)
                        .uid(UID_OPEN_BOOK_SINK + "-json")
                        .name("Open book as JSON"),
                OPEN_BOOK,
                UID_OPEN_BOOK_SINK);
    }

    /**
     * One kind of output as JSON lines, counted: the count of each folder is an accumulator named
     * after it, for the {@code _SUCCESS} marker.
     */
    private static final class Json<T> extends RichMapFunction<T, String> {
        private static final long serialVersionUID = 1L;

        interface Encode<T> extends java.io.Serializable {
            String apply(OutputCodec codec, T value);
        }

        private final String folder;
        private final Encode<T> encode;
        private transient OutputCodec codec;
        private transient LongCounter count;

        Json(String folder, Encode<T> encode) {
            this.folder = folder;
            this.encode = encode;
        }

        @Override
        public void open(OpenContext context) {
            codec = new OutputCodec();
            count = getRuntimeContext().getLongCounter(folder);
        }

        @Override
        public String map(T value) {
            count.add(1);
            return encode.apply(codec, value);
        }
    }
}
