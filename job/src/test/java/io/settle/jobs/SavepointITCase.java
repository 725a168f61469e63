package io.settle.jobs;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;

import io.settle.operators.codec.OutputCodec;
import io.settle.operators.model.SettlementEvent;
import io.settle.testkit.BrokerExtension;
import io.settle.testkit.Flink;
import io.settle.testkit.JsonLines;
import io.settle.testkit.Kafka;
import io.settle.testkit.LiveBook;
import io.settle.testkit.OracleCheck;
import io.settle.testkit.TopicReader;
import io.settle.testkit.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stop-with-savepoint mid-stream at parallelism 2 and a new job restored from it at parallelism 2,
 * 1, 3 and 4 (the keyed state's key groups, the pending index and the offset watch redistribute):
 * the read_committed results topic holds every result of both halves once, none lost, none
 * re-emitted (the second half re-sends copies of the first's events, which only the restored
 * deduplication state can drop), as the oracle says.
 */
class SavepointITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = Flink.twoTaskManagers();

    private static final int EVENT_PARTITIONS = 4;

    @RegisterExtension static final BrokerExtension BROKER = new BrokerExtension();

    @ParameterizedTest(name = "restored at parallelism {0}")
    @ValueSource(ints = {2, 1, 3, 4})
    void resultsExactlyOnceAcrossStopWithSavepointAndRestore(
            int parallelism,
            @InjectMiniCluster MiniCluster cluster,
            @TempDir Path checkpoints,
            @TempDir Path savepoints)
            throws Exception {
        Topics topics = Topics.named("sp" + parallelism).create(BROKER.kafka(), EVENT_PARTITIONS);
        SettleOptions.Parsed options =
                Its.liveOptions(BROKER.kafka(), topics, "settle-sp" + parallelism);
        List<String> restoredArgs = Its.liveArgs(BROKER.kafka(), topics, "settle-sp" + parallelism);
        restoredArgs.set(restoredArgs.indexOf("--parallelism") + 1, Integer.toString(parallelism));
        SettleOptions.Parsed restored =
                SettleOptions.parse(restoredArgs.toArray(String[]::new), java.util.Map.of());
        LiveBook book = new LiveBook(7L, 1000, "SP");
        Random random = new Random(7L);

        try (KafkaProducer<byte[], byte[]> producer = Kafka.producer(BROKER.bootstrap());
                TopicReader results = new TopicReader(BROKER.kafka(), topics.results())) {
            StreamExecutionEnvironment first = Flink.env(checkpoints.resolve("first"), null);
            SettlementJob.prepare(first, options);
            JobClient job1 = first.executeAsync("settle savepoint ITCase: before");
            Flink.awaitAllTasksRunning(cluster, job1.getJobID());

            List<SettlementEvent> half1 = book.half(1, Instant.now());
            Kafka.send(producer, topics.events(), EVENT_PARTITIONS, half1, random, 2000);
            // Some results are out, the rest still in flight: stop there.
            results.awaitCount(1, Duration.ofSeconds(30));
            String savepoint =
                    job1.stopWithSavepoint(
                                    false,
                                    savepoints.toUri().toString(),
                                    SavepointFormatType.CANONICAL)
                            .get(60, TimeUnit.SECONDS);
            assertThat(job1.getJobStatus().get()).isEqualTo(JobStatus.FINISHED);

            StreamExecutionEnvironment second = Flink.env(checkpoints.resolve("second"), savepoint);
            SettlementJob.prepare(second, restored);
            JobClient job2 = second.executeAsync("settle savepoint ITCase: after");
            try {
                Flink.awaitAllTasksRunning(cluster, job2.getJobID());
                List<SettlementEvent> half2 = book.half(2, Instant.now());
                Kafka.send(producer, topics.events(), EVENT_PARTITIONS, half2, random, 2000);

                List<SettlementEvent> distinct = book.distinct();
                List<String> wanted =
                        JsonLines.of(
                                OracleCheck.oracle(distinct).results(), new OutputCodec()::result);
                assertThat(wanted).hasSize(book.endedBy(2));

                OracleCheck.assertResultsExactlyOnce(
                        results, wanted, Duration.ofSeconds(60), Duration.ofSeconds(4));
            } finally {
                job2.cancel().get(30, TimeUnit.SECONDS);
            }
        }
    }
}
