package io.settle.tools.inspect;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;

import io.settle.jobs.Its;
import io.settle.jobs.SettleOptions;
import io.settle.jobs.SettlementJob;
import io.settle.operators.codec.OutputCodec;
import io.settle.operators.model.OpenBookEntry;
import io.settle.operators.model.SettlementEvent;
import io.settle.operators.model.SettlementStatus;
import io.settle.testkit.Await;
import io.settle.testkit.BrokerExtension;
import io.settle.testkit.Flink;
import io.settle.testkit.JsonLines;
import io.settle.testkit.Kafka;
import io.settle.testkit.LiveBook;
import io.settle.testkit.OracleCheck;
import io.settle.testkit.TopicReader;
import io.settle.testkit.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./settle inspect} on a savepoint of the live job and on its retained checkpoint: the open
 * book it reads out of the {@code settle-settle} operator's state is the oracle's open book for the
 * events the job has seen, and its counts add up.
 */
class SavepointInspectorITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster();

    @RegisterExtension static final BrokerExtension BROKER = new BrokerExtension();

    private static final int EVENT_PARTITIONS = 4;

    @Test
    void readsTheOracleOpenBookFromASavepointAndARetainedCheckpoint(
            @InjectMiniCluster MiniCluster cluster,
            @TempDir Path checkpoints,
            @TempDir Path savepoints)
            throws Exception {
        Topics topics = Topics.named("insp").create(BROKER.kafka(), EVENT_PARTITIONS);
        SettleOptions.Parsed options = Its.liveOptions(BROKER.kafka(), topics, "settle-insp");
        LiveBook book = new LiveBook(11L, 400, "IN");

        List<SettlementEvent> half1 = book.half(1, Instant.now());
        List<SettlementEvent> distinct = book.distinct();
        List<OpenBookEntry> oracleOpen = OracleCheck.oracle(distinct).openBook();
        List<String> wanted = JsonLines.of(oracleOpen, new OutputCodec()::openBook);
        long wantedOpen =
                oracleOpen.stream().filter(o -> o.getStatus() == SettlementStatus.OPEN).count();
        assertThat(wanted).isNotEmpty();

        StreamExecutionEnvironment env = Flink.env(checkpoints, null);
        SettlementJob.prepare(env, options);
        JobClient job = env.executeAsync("settle inspector ITCase");
        try (KafkaProducer<byte[], byte[]> producer = Kafka.producer(BROKER.bootstrap());
                TopicReader results = new TopicReader(BROKER.kafka(), topics.results())) {
            Flink.awaitAllTasksRunning(cluster, job.getJobID());
            Kafka.send(producer, topics.events(), EVENT_PARTITIONS, half1, new Random(11L), 0);
            results.awaitCount(book.endedBy(1), Duration.ofSeconds(60));

            // Every event applied (none pending for the watermark): then the state is the book.
            SavepointInspector.Inspection fromSavepoint = null;
            for (int attempt = 0; attempt < 5; attempt++) {
                Thread.sleep(
                        3_000); // past the 2 s allowance: the caught-up watermark applies the rest
                String savepoint =
                        job.triggerSavepoint(
                                        savepoints.toUri().toString(),
                                        SavepointFormatType.CANONICAL)
                                .get(60, TimeUnit.SECONDS);
                fromSavepoint = SavepointInspector.inspect(savepoint);
                if (fromSavepoint.summary().pendingEvents() == 0) {
                    break;
                }
            }
            SavepointInspector.Summary summary = fromSavepoint.summary();
            assertThat(summary.pendingEvents()).as("events still pending").isZero();
            assertThat(fromSavepoint.openBook()).isEqualTo(wanted);
            assertThat(summary.open()).isEqualTo(wantedOpen);
            assertThat(summary.awaitingBooking()).isEqualTo(wanted.size() - wantedOpen);
            assertThat(summary.endedRetained()).isEqualTo(book.endedBy(1));
            assertThat(summary.keys())
                    .isEqualTo(
                            summary.open() + summary.awaitingBooking() + summary.endedRetained());
            assertThat(summary.folderBytes()).isPositive();
            assertThat(summary.settleStateBytes()).isPositive();
            assertThat(summary.allStateBytes()).isGreaterThanOrEqualTo(summary.settleStateBytes());

            // A checkpoint after the savepoint, then cancel: it is retained, and reads the same.
            long done = Flink.completedCheckpoints(cluster, job.getJobID());
            Await.until(
                    Duration.ofSeconds(30),
                    () -> "a checkpoint after the savepoint",
                    () -> Flink.completedCheckpoints(cluster, job.getJobID()) > done + 1);
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }

        Path checkpoint = Flink.latestCheckpoint(checkpoints.resolve(job.getJobID().toString()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status =
                SavepointInspector.run(
                        new String[] {"--savepoint", checkpoint.toString()},
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        String errText = err.toString(StandardCharsets.UTF_8);
        assertThat(status).as(errText).isZero();
        assertThat(Arrays.asList(out.toString(StandardCharsets.UTF_8).split("\n")))
                .isEqualTo(wanted);
        assertThat(errText)
                .contains("open: " + wantedOpen)
                .contains("ended-retained: " + book.endedBy(1))
                .contains("pending-events: 0");
    }

    @Test
    void failsFastNamingTheOption() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true);
        assertThat(SavepointInspector.run(new String[] {}, out, errStream)).isEqualTo(2);
        assertThat(
                        SavepointInspector.run(
                                new String[] {"--savepoint", "/no/such/dir"}, out, errStream))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("option '--savepoint' is required")
                .contains("option '--savepoint' names no such folder '/no/such/dir'");
    }
}
