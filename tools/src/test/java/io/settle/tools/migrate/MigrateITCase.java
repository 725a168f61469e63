package io.settle.tools.migrate;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.SavepointWriter;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;

import io.settle.jobs.Its;
import io.settle.jobs.KafkaIo;
import io.settle.jobs.SettleOptions;
import io.settle.jobs.SettlementJob;
import io.settle.operators.core.SettlementMachine;
import io.settle.operators.flink.SettleOperator;
import io.settle.operators.flink.SettlementRecord;
import io.settle.operators.flink.SettlementTopology;
import io.settle.testkit.BrokerExtension;
import io.settle.testkit.Flink;
import io.settle.testkit.JsonLines;
import io.settle.testkit.Kafka;
import io.settle.testkit.OracleCheck;
import io.settle.testkit.TopicReader;
import io.settle.testkit.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The upgrade from release 0.1.0: a savepoint it took under load (see {@code
 * compat/v0.1.0/README.md}) goes through {@code settle migrate} and restores into this build. The
 * events topic is rebuilt record for record; the job resumes from the savepoint's offsets and its
 * migrated state; what 0.1.0 committed before the savepoint plus what this build commits after it
 * is exactly what the pure core says the whole topic gives: results and dead letters exactly once,
 * every alert, the same content.
 *
 * <p>Release 0.1.0 itself could not pass this (its wall clock applied a restored event before an
 * earlier-stamped one still in the backlog); the one-clock engine does.
 */
class MigrateITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = Flink.twoTaskManagers();
    @RegisterExtension static final BrokerExtension BROKER = new BrokerExtension();

    static final String FIXTURE = "/compat/v0.1.0/";

    /** The job options 0.1.0 ran with when it took the savepoint. */
    static final String[] OPTIONS = {
        "--sla.settlement-window", "36500d", "--settlement.orphan-timeout", "30d"
    };

    @Test
    void aSavepointOfReleaseZeroOneMigratesRestoresAndSettlesTheRestAsTheOracleSays(
            @InjectMiniCluster MiniCluster cluster, @TempDir Path work) throws Exception {
        // The topic names the savepoint's source offsets refer to.
        Topics topics = Topics.named("v01").create(BROKER.kafka(), 4);
        List<OracleCheck.EventRecord> records = rebuildEventsTopic(topics);
        SettleOptions.Parsed options =
                Its.liveOptions(BROKER.kafka(), topics, "settle-v01", OPTIONS);
        OracleCheck.Expected expected =
                OracleCheck.expected(records, options.settlementConfig(null));

        String stripped =
                withoutPendingCommits(
                        getClass().getResource(FIXTURE + "savepoint").toURI().toString(),
                        work.resolve("stripped").toUri().toString());
        String migrated = work.resolve("migrated").toUri().toString();
        List<String> args = new ArrayList<>(List.of("--from", stripped, "--to", migrated));
        args.addAll(List.of(OPTIONS));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status =
                Migrate.run(
                        args.toArray(new String[0]), new PrintStream(out), new PrintStream(err));
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).trim()).isEqualTo(migrated);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("settlements").contains("open");
        assertWrittenAsTheSettleOperatorKeepsThem(migrated, options);

        StreamExecutionEnvironment env = Flink.env(work.resolve("checkpoints"), migrated);
        SettlementJob.prepare(env, options);
        JobClient job = env.executeAsync("settle: restored from a migrated 0.1.0 savepoint");
        try (TopicReader results = new TopicReader(BROKER.kafka(), topics.results());
                TopicReader alerts = new TopicReader(BROKER.kafka(), topics.alerts());
                TopicReader deadLetters = new TopicReader(BROKER.kafka(), topics.deadLetters())) {
            Flink.awaitAllTasksRunning(cluster, job.getJobID());
            List<String> resultsBefore = lines("results-before.jsonl");
            List<String> deadLettersBefore = lines("dead-letters-before.jsonl");
            int more = expected.results().size() - resultsBefore.size();
            assertThat(more).as("results still to come after the savepoint").isPositive();
            results.awaitCount(more, Duration.ofSeconds(60));
            deadLetters.awaitCount(
                    expected.deadLetters().size() - deadLettersBefore.size(),
                    Duration.ofSeconds(30));
            results.pollFor(Duration.ofSeconds(3));
            List<String> allResults = new ArrayList<>(resultsBefore);
            allResults.addAll(results.values());
            List<String> allAlerts = new ArrayList<>(lines("alerts-before.jsonl"));
            allAlerts.addAll(alerts.pollFor(Duration.ofSeconds(1)));
            List<String> allDeadLetters = new ArrayList<>(deadLettersBefore);
            allDeadLetters.addAll(deadLetters.values());
            OracleCheck.Report report =
                    OracleCheck.compare(
                            expected,
                            new OracleCheck.Actual(allResults, allAlerts, allDeadLetters, null));
            assertThat(report.ok()).as(String.join("\n", report.lines())).isTrue();
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSavepointOfThisReleaseIsRefusedNamingWhy(@TempDir Path work) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status =
                Migrate.run(
                        new String[] {"--from", work.toString()},
                        new PrintStream(new ByteArrayOutputStream()),
                        new PrintStream(err));
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("option '--to' is required");
    }

    /** Produces every record of the fixture's topic to the same partition, at the same offset. */
    private List<OracleCheck.EventRecord> rebuildEventsTopic(Topics topics) throws Exception {
        List<OracleCheck.EventRecord> records = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = Kafka.producer(BROKER.bootstrap());
                BufferedReader in =
                        new BufferedReader(
                                new InputStreamReader(
                                        new GZIPInputStream(
                                                getClass()
                                                        .getResourceAsStream(
                                                                FIXTURE + "events.jsonl.gz")),
                                        StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                var r = JsonLines.parse(line);
                int partition = r.path("partition").asInt();
                long offset = r.path("offset").asLong();
                byte[] value = Base64.getDecoder().decode(r.path("value").asText());
                long written =
                        producer.send(
                                        new ProducerRecord<>(
                                                topics.events(),
                                                partition,
                                                Base64.getDecoder().decode(r.path("key").asText()),
                                                value))
                                .get()
                                .offset();
                assertThat(written).as("offset of the rebuilt record").isEqualTo(offset);
                records.add(new OracleCheck.EventRecord(topics.events(), partition, offset, value));
            }
        }
        return records;
    }

    /**
     * The savepoint without the exactly-once sinks' committables: they name transactions of the
     * broker the fixture was taken on, which this test's fresh broker does not know (a commit of an
     * unknown producer id fails the job). Sources, keyed state and everything else stay as taken.
     */
    static String withoutPendingCommits(String savepoint, String target) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        SavepointWriter.fromExistingSavepoint(env, savepoint)
                .removeOperator(
                        OperatorIdentifier.forUid("Sink Committer: " + KafkaIo.UID_RESULTS_SINK))
                .removeOperator(
                        OperatorIdentifier.forUid(
                                "Sink Committer: " + KafkaIo.UID_DEAD_LETTERS_SINK))
                .write(target);
        env.execute("strip pending commits");
        return target;
    }

    /**
     * Every migrated settlement as the settle operator itself would have left it: the one timer it
     * wants ({@link SettleOperator#liveTimer}), and, for one with events waiting for the watermark
     * (the fixture has some), an entry in the pending index at its earliest waiting event, which is
     * what applies them: a timer alone would be moved away by the settlement's next event.
     */
    private static void assertWrittenAsTheSettleOperatorKeepsThem(
            String migrated, SettleOptions.Parsed options) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        SavepointReader savepoint =
                SavepointReader.read(env, migrated, new EmbeddedRocksDBStateBackend());
        OperatorIdentifier settle = OperatorIdentifier.forUid(SettlementTopology.UID_SETTLE);
        Map<String, Long> index = new HashMap<>();
        try (CloseableIterator<Tuple2<String, Long>> it =
                savepoint
                        .readUnionState(
                                settle,
                                SettleOperator.indexDescriptor().getName(),
                                Types.<Tuple2<String, Long>>TUPLE(Types.STRING, Types.LONG))
                        .executeAndCollect()) {
            it.forEachRemaining(e -> assertThat(index.put(e.f0, e.f1)).isNull());
        }
        Map<String, Long> waiting = new HashMap<>();
        SettlementMachine machine = new SettlementMachine(options.settlementConfig(null));
        try (CloseableIterator<Tuple2<String, SettlementRecord>> it =
                savepoint.readKeyedState(settle, new Records()).executeAndCollect()) {
            it.forEachRemaining(
                    keyed -> {
                        SettlementRecord rec = keyed.f1;
                        assertThat(rec.timer())
                                .as("timer of %s", rec.machine())
                                .isEqualTo(SettleOperator.liveTimer(machine, rec));
                        if (!rec.pending().isEmpty()) {
                            waiting.put(keyed.f0, rec.earliestPendingMillis());
                        }
                    });
        }
        assertThat(waiting).as("settlements with events waiting").isNotEmpty();
        assertThat(index).isEqualTo(waiting);
    }

    /** The settle operator's records, as they are in a savepoint. */
    static final class Records
            extends KeyedStateReaderFunction<String, Tuple2<String, SettlementRecord>> {
        private static final long serialVersionUID = 1L;
        private transient ValueState<SettlementRecord> record;

        @Override
        public void open(OpenContext openContext) {
            record = getRuntimeContext().getState(SettleOperator.recordDescriptor());
        }

        @Override
        public void readKey(
                String key, Context ctx, Collector<Tuple2<String, SettlementRecord>> out)
                throws Exception {
            out.collect(Tuple2.of(key, record.value()));
        }
    }

    private List<String> lines(String name) throws Exception {
        return Files.readAllLines(Path.of(getClass().getResource(FIXTURE + name).toURI()));
    }
}
