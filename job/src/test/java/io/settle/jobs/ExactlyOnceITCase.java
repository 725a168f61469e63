package io.settle.jobs;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterRESTAddress;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;

import io.settle.operators.codec.OutputCodec;
import io.settle.operators.core.ReplayOracle;
import io.settle.operators.model.Alert;
import io.settle.operators.model.DeadLetter;
import io.settle.operators.model.OpenBookEntry;
import io.settle.operators.model.SettlementEvent;
import io.settle.operators.model.SettlementResult;
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

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Results exactly once through two failures mid-stream: an exception thrown in the job after a
 * checkpoint completed, then one of two TaskManagers lost and replaced. The job's two subtasks run
 * on different TaskManagers, so the keyed exchange crosses the network. Shuffled input over four
 * partitions, with re-sent copies, in two halves around the failures; the read_committed results
 * topic must hold the oracle's results, each once.
 */
class ExactlyOnceITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = Flink.twoTaskManagers();

    private static final int EVENT_PARTITIONS = 4;
    private static final int SETTLEMENTS = 2000;

    @RegisterExtension static final BrokerExtension BROKER = new BrokerExtension();

    @Test
    void resultsExactlyOnceThroughAnExceptionAndALostTaskManager(
            @InjectMiniCluster MiniCluster cluster,
            @InjectClusterRESTAddress URI rest,
            @TempDir Path checkpoints)
            throws Exception {
        Topics topics = Topics.named("eo").create(BROKER.kafka(), EVENT_PARTITIONS);
        SettleOptions.Parsed options = Its.liveOptions(BROKER.kafka(), topics, "settle-eo");
        options.validate();
        StreamExecutionEnvironment env = Flink.env(checkpoints, null);
        SettlementJob.configure(env, options);
        FailOnce.reset(1200);
        new SettlementJob(options.settlementConfig(null), new FailingOnce(new KafkaIo(options)))
                .build(env);
        JobClient job = env.executeAsync("settle exactly-once ITCase");
        JobID jobId = job.getJobID();
        Flink.awaitAllTasksRunning(cluster, jobId);

        assertThat(Flink.taskManagersOf(cluster, jobId))
                .as("the subtasks of the job run on two TaskManagers")
                .hasSize(2);

        LiveBook book = new LiveBook(42L, SETTLEMENTS, "EO");
        Random random = new Random(42L);
        try (KafkaProducer<byte[], byte[]> producer = Kafka.producer(BROKER.bootstrap());
                TopicReader results = new TopicReader(BROKER.kafka(), topics.results())) {
            // Half 1, paced over a few seconds: the injected exception fires while it flows, a
            // few seconds in, when results are being written between checkpoints.
            List<SettlementEvent> half1 = book.half(1, Instant.now());
            Kafka.send(producer, topics.events(), EVENT_PARTITIONS, half1, random, 800);
            Await.until(Duration.ofSeconds(30), () -> "the injected failure", FailOnce.FIRED::get);
            Flink.awaitAllTasksRunning(cluster, jobId);
            int endedInHalf1 = book.endedBy(1);
            results.awaitCount(endedInHalf1, Duration.ofSeconds(45));

            // Half 2, paced; once its first results are committed (more are on their way), the
            // TaskManager is lost and a new one started.
            List<SettlementEvent> half2 = book.half(2, Instant.now());
            CompletableFuture<Void> sending =
                    CompletableFuture.runAsync(
                            () -> {
                                try {
                                    Kafka.send(
                                            producer,
                                            topics.events(),
                                            EVENT_PARTITIONS,
                                            half2,
                                            random,
                                            800);
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                            });
            results.awaitCount(endedInHalf1 + 1, Duration.ofSeconds(30));
            cluster.terminateTaskManager(0).get(30, TimeUnit.SECONDS);
            cluster.startTaskManager();
            sending.get(60, TimeUnit.SECONDS);
            Flink.awaitAllTasksRunning(cluster, jobId);

            // Every expected result, then a few checkpoints more: nothing else may come.
            List<SettlementEvent> distinct = book.distinct();
            ReplayOracle.Outcome expected = OracleCheck.oracle(distinct);
            assertThat(expected.results()).hasSize(book.endedBy(2));
            OutputCodec codec = new OutputCodec();
            List<String> wanted = JsonLines.of(expected.results(), codec::result);

            OracleCheck.assertResultsExactlyOnce(
                    results, wanted, Duration.ofSeconds(60), Duration.ofSeconds(4));

            Await.until(
                    Duration.ofSeconds(20),
                    () -> "numRestarts >= 2",
                    () -> Flink.numRestarts(rest, jobId) >= 2);
            assertThat(FailOnce.OPENED.get())
                    .as("the injection map's subtasks opened: first run and two restarts")
                    .isGreaterThanOrEqualTo(3 * Its.PARALLELISM);
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    /** Kafka IO with, after the source, a map that fails once (see {@link FailOnce}). */
    private static final class FailingOnce implements JobIo {
        private final JobIo kafka;

        FailingOnce(JobIo kafka) {
            this.kafka = kafka;
        }

        @Override
        public DataStream<Decoded> events(StreamExecutionEnvironment env) {
            return kafka.events(env).map(new FailOnce()).uid("inject-failure").name("Fail once");
        }

        @Override
        public void results(DataStream<SettlementResult> results) {
            kafka.results(results);
        }

        @Override
        public void alerts(DataStream<Alert> alerts) {
            kafka.alerts(alerts);
        }

        @Override
        public void deadLetters(DataStream<DeadLetter> deadLetters) {
            kafka.deadLetters(deadLetters);
        }

        @Override
        public void openBook(DataStream<OpenBookEntry> openBook) {
            kafka.openBook(openBook);
        }
    }

    /**
     * Passes records through; throws once in the whole JVM (the MiniCluster shares it), in the
     * first subtask that has seen {@link #afterRecords} records after a checkpoint completed.
     */
    static final class FailOnce extends RichMapFunction<Decoded, Decoded>
            implements CheckpointListener {
        private static final long serialVersionUID = 1L;

        static final AtomicBoolean ARMED = new AtomicBoolean();
        static final AtomicBoolean FIRED = new AtomicBoolean();
        static final AtomicInteger OPENED = new AtomicInteger();
        static volatile int afterRecords;

        private transient long records;
        private transient boolean checkpointed;

        static void reset(int records) {
            afterRecords = records;
            FIRED.set(false);
            OPENED.set(0);
            ARMED.set(true);
        }

        @Override
        public void open(OpenContext openContext) {
            OPENED.incrementAndGet();
        }

        @Override
        public Decoded map(Decoded d) {
            records++;
            if (checkpointed && records >= afterRecords && ARMED.compareAndSet(true, false)) {
                FIRED.set(true);
                throw new IllegalStateException(
                        "injected failure after " + records + " records and a checkpoint");
            }
            return d;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            checkpointed = true;
        }
    }
}
