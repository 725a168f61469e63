package io.settle.report;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.functions.MapPartitionFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.assigners.GlobalWindows;
import org.apache.flink.streaming.api.windowing.windows.GlobalWindow;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;

import io.settle.cli.BadOptionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The SLA and KPI report: a bounded job (BATCH) over the job's outputs of a period, from a replay
 * folder or the Kafka topics, that sums them up into a compact set of figures and open items,
 * collected to the client and written there as {@code report.json} and {@code report.html}.
 *
 * <pre>
 * flink run settle-report.jar --replay out/ --out report/
 * flink run settle-report.jar --out report/ \
 *     --kafka.bootstrap-servers broker:9092 --from 2026-11-25T07:00:00Z --to 2026-11-25T18:00:00Z
 * </pre>
 *
 * <p>The topology: decode each output record and place it in or out of the period; count what each
 * record says on its own (dead letters, unreadable records); put each settlement's results, alerts
 * and open-book entry together (the only grouping by settlement), then count what the settlement
 * says (statuses, alerts by party and currency, its state at the end) and its latency; latencies
 * become percentiles per hour; every figure is summed by metric and key.
 */
public class ReportJob {
    private static final Logger LOG = LoggerFactory.getLogger(ReportJob.class);

    public static final String UID_DECODE = "report-decode";
    public static final String UID_RECORD_FIGURES = "report-record-figures";
    public static final String UID_SETTLEMENT_RECORDS = "report-settlement-records";
    public static final String UID_SETTLEMENTS = "report-settlements";
    public static final String UID_SETTLEMENT_FIGURES = "report-settlement-figures";
    public static final String UID_LATENCIES = "report-latencies";
    public static final String UID_PERCENTILES = "report-percentiles";
    public static final String UID_COMBINE = "report-combine-figures";
    public static final String UID_FIGURES = "report-figures";
    public static final String UID_OPEN_ITEMS = "report-open-items";
    public static final String UID_PARTS = "report-parts";

    public static final String REPORT_HTML = "report.html";
    public static final String REPORT_JSON = "report.json";

    private final ReportSource source;
    private final ReportSettings settings;

    public ReportJob(ReportSource source, ReportSettings settings) {
        this.source = source;
        this.settings = settings;
    }

    /** Wires the topology into {@code env}; returns what is to be collected. */
    public DataStream<ReportPart> build(StreamExecutionEnvironment env) {
        DataStream<ReportRecord> records =
                source.outputs(env)
                        .map(new Decode(settings))
                        .uid(UID_DECODE)
                        .name("Decode outputs, place them in the period");
        DataStream<Figure> recordFigures =
                records.flatMap(new RecordFigures())
                        .uid(UID_RECORD_FIGURES)
                        .name("Count records and dead letters");
        DataStream<SettlementFacts> settlements =
                records.flatMap(new SettlementRecords())
                        .uid(UID_SETTLEMENT_RECORDS)
                        .name("Results, alerts and open book by settlement")
                        .keyBy(f -> f.settlementId)
                        .reduce(SettlementFacts::merge)
                        .uid(UID_SETTLEMENTS)
                        .name("Put each settlement together");
        DataStream<Figure> settlementFigures =
                settlements
                        .flatMap(new SettlementFigures(settings))
                        .uid(UID_SETTLEMENT_FIGURES)
                        .name("Count what each settlement says");
        DataStream<Figure> percentiles =
                settlements
                        .flatMap(new Latencies())
                        .uid(UID_LATENCIES)
                        .name("Booked-to-settled latencies")
                        .keyBy(l -> l.bucket)
                        .window(GlobalWindows.createWithEndOfStreamTrigger())
                        .process(new Percentiles())
                        .uid(UID_PERCENTILES)
                        .name("Latency percentiles per hour and period");
        DataStream<Figure> figures =
                recordFigures
                        .union(settlementFigures)
                        .fullWindowPartition()
                        .mapPartition(new CombineFigures())
                        .uid(UID_COMBINE)
                        .name("Sum figures within each subtask")
                        .union(percentiles)
                        .keyBy(Figure::id)
                        .reduce(Figure::combine)
                        .uid(UID_FIGURES)
                        .name("Sum figures by metric and key");
        DataStream<ReportPart> openItems =
                settlements
                        .flatMap(new OpenItems(settings))
                        .uid(UID_OPEN_ITEMS)
                        .name("Settlements open at the end");
        return figures.map(ReportPart::of)
                .returns(ReportPart.class)
                .uid(UID_PARTS)
                .name("Figures to collect")
                .union(openItems);
    }

    /** Runs the report job on {@code env} (BATCH) and collects its aggregates. */
    public Aggregates run(StreamExecutionEnvironment env) throws Exception {
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        Aggregates aggregates = new Aggregates();
        try (CloseableIterator<ReportPart> parts =
                build(env).executeAndCollect("Settle report (" + source.mode() + ")")) {
            parts.forEachRemaining(aggregates::add);
        }
        return aggregates;
    }

    // ---------------------------------------------------------------------------------------
    // The functions: glue around Tally.

    static final class Decode implements MapFunction<RawOutput, ReportRecord> {
        private static final long serialVersionUID = 1L;
        private final ReportSettings settings;
        private transient OutputDecoder decoder;

        Decode(ReportSettings settings) {
            this.settings = settings;
        }

        @Override
        public ReportRecord map(RawOutput raw) {
            if (decoder == null) {
                decoder = new OutputDecoder(settings);
            }
            return decoder.decode(raw);
        }
    }

    static final class RecordFigures implements FlatMapFunction<ReportRecord, Figure> {
        private static final long serialVersionUID = 1L;

        @Override
        public void flatMap(ReportRecord r, Collector<Figure> out) {
            Tally.record(r, out::collect);
        }
    }

    static final class SettlementRecords implements FlatMapFunction<ReportRecord, SettlementFacts> {
        private static final long serialVersionUID = 1L;

        @Override
        public void flatMap(ReportRecord r, Collector<SettlementFacts> out) {
            if (r.readable && r.kind != OutputKind.DEAD_LETTER) {
                out.collect(SettlementFacts.of(r));
            }
        }
    }

    static final class SettlementFigures implements FlatMapFunction<SettlementFacts, Figure> {
        private static final long serialVersionUID = 1L;
        private final ReportSettings settings;

        SettlementFigures(ReportSettings settings) {
            this.settings = settings;
        }

        @Override
        public void flatMap(SettlementFacts f, Collector<Figure> out) {
            Tally.settlement(f, settings, out::collect);
        }
    }

    static final class Latencies implements FlatMapFunction<SettlementFacts, LatencySample> {
        private static final long serialVersionUID = 1L;

        @Override
        public void flatMap(SettlementFacts f, Collector<LatencySample> out) {
            Tally.latencies(f, out::collect);
        }
    }

    /** A combiner: the figures of a subtask summed before the shuffle, one per metric and key. */
    static final class CombineFigures implements MapPartitionFunction<Figure, Figure> {
        private static final long serialVersionUID = 1L;

        @Override
        public void mapPartition(Iterable<Figure> figures, Collector<Figure> out) {
            Map<String, Figure> sums = new HashMap<>();
            for (Figure f : figures) {
                sums.merge(f.id(), f, Figure::combine);
            }
            sums.values().forEach(out::collect);
        }
    }

    static final class Percentiles
            extends ProcessWindowFunction<LatencySample, Figure, String, GlobalWindow> {
        private static final long serialVersionUID = 1L;

        @Override
        public void process(
                String bucket,
                Context context,
                Iterable<LatencySample> samples,
                Collector<Figure> out) {
            List<Long> values = new ArrayList<>();
            samples.forEach(s -> values.add(s.millis));
            long[] millis = new long[values.size()];
            for (int i = 0; i < millis.length; i++) {
                millis[i] = values.get(i);
            }
            Tally.percentiles(bucket, millis, out::collect);
        }
    }

    static final class OpenItems implements FlatMapFunction<SettlementFacts, ReportPart> {
        private static final long serialVersionUID = 1L;
        private final ReportSettings settings;

        OpenItems(ReportSettings settings) {
            this.settings = settings;
        }

        @Override
        public void flatMap(SettlementFacts f, Collector<ReportPart> out) {
            OpenItem item = Tally.openItem(f, settings);
            if (item != null) {
                out.collect(ReportPart.of(item));
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // Running it.

    /** BATCH, no silent Kryo, the parallelism asked for. */
    public static void configure(StreamExecutionEnvironment env, int parallelism) {
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        env.configure(conf);
        if (parallelism > 0) {
            env.setParallelism(parallelism);
        }
    }

    /** The settings the options ask for; {@code now} ends a Kafka period without --to. */
    public static ReportSettings settings(ReportOptions.Parsed options, Instant now) {
        ReportSettings.Builder b =
                ReportSettings.builder()
                        .onTimeTargetPercent(options.onTimeTarget())
                        .settlementWindow(options.get(ReportOptions.SETTLEMENT_WINDOW))
                        .explainedReasons(options.explainedReasons());
        if (options.kafka()) {
            Instant to = options.to() == null ? now : options.to();
            if (!options.from().isBefore(to)) {
                throw new BadOptionException(
                        "option '--from' (" + options.from() + ") must be before now (" + to + ")");
            }
            return b.kafka().period(options.from(), to).build();
        }
        return b.replay().period(options.from(), options.to()).build();
    }

    /** Where the options say the outputs are. */
    public static ReportSource source(ReportOptions.Parsed options, ReportSettings settings) {
        if (options.kafka()) {
            return new KafkaOutputsSource(
                    options.get(ReportOptions.BOOTSTRAP_SERVERS),
                    options.get(ReportOptions.TOPIC_RESULTS),
                    options.get(ReportOptions.TOPIC_ALERTS),
                    options.get(ReportOptions.TOPIC_DEAD_LETTERS),
                    options.get(ReportOptions.GROUP_ID),
                    options.kafkaProperties(),
                    settings.from(),
                    options.get(ReportOptions.READ_MARGIN));
        }
        return new ReplayFolderSource(options.get(ReportOptions.REPLAY));
    }

    /** Validates the options, runs the report job on {@code env} and builds the report. */
    public static Report report(
            StreamExecutionEnvironment env, ReportOptions.Parsed options, Instant now)
            throws Exception {
        options.validate();
        requireWritable(Path.of(options.get(ReportOptions.OUT)));
        ReportSettings settings = settings(options, now);
        ReportSource source = source(options, settings);
        configure(env, options.get(ReportOptions.PARALLELISM));
        LOG.info("Settle report from {} {}: {}", source.mode(), source.location(), settings);
        Aggregates aggregates = new ReportJob(source, settings).run(env);
        return ReportBuilder.build(
                aggregates, settings, new Report.Source(source.mode(), source.location()), now);
    }

    /** Writes report.json and report.html into {@code folder}, creating it. */
    public static void write(Report report, Path folder) throws IOException {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve(REPORT_JSON), ReportJson.write(report));
        Files.writeString(folder.resolve(REPORT_HTML), ReportPage.render(report));
    }

    /** The report's folder must be a folder, or not exist yet. */
    static void requireWritable(Path out) {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new BadOptionException(
                    "option '--out': '" + out + "' is a file; the report writes into a folder");
        }
    }

    /** One line for the console: the verdicts. */
    public static String verdicts(Report report) {
        StringBuilder b = new StringBuilder();
        for (Report.Sla s : report.slas()) {
            b.append(b.length() == 0 ? "" : "; ")
                    .append(s.title())
                    .append(": ")
                    .append(s.verdict());
        }
        return b.toString();
    }

    public static void main(String[] args) throws Exception {
        ReportOptions.Parsed options;
        try {
            options = ReportOptions.parse(args, System.getenv());
            if (options.help()) {
                System.out.println(ReportOptions.help());
                return;
            }
            options.validate();
        } catch (BadOptionException e) {
            System.err.println("settle report: " + e.getMessage());
            System.err.println("Run with --help for the options.");
            System.exit(2);
            return;
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Report report = report(env, options, Instant.now());
        Path out = Path.of(options.get(ReportOptions.OUT));
        write(report, out);
        System.out.println(
                "settle report: "
                        + out.resolve(REPORT_HTML)
                        + " and "
                        + REPORT_JSON
                        + ": "
                        + verdicts(report));
    }
}
