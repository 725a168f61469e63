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
import io.settle.testkit.Await;
import io.settle.testkit.BrokerExtension;
import io.settle.testkit.Flink;
import io.settle.testkit.JsonLines;
import io.settle.testkit.Kafka;
import io.settle.testkit.LiveBook;
import io.settle.testkit.OracleCheck;
import io.settle.testkit.Repo;
import io.settle.testkit.TopicReader;
import io.settle.testkit.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * State evolution: a savepoint of this version restores into a job whose state type gained a field.
 * The savepoint is taken here, with the {@code SettlementState} of this build; the job that
 * restores it runs in a JVM of its own whose classpath puts first a copy of {@code SettlementState}
 * compiled from this build's source plus one field (same class name, other bytes). Flink's POJO
 * serializer sees the new schema and migrates the state; the restored job then settles the second
 * half of the book exactly as the oracle does, which it can only do with the first half's state
 * intact.
 */
class StateEvolutionITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster();

    @RegisterExtension static final BrokerExtension BROKER = new BrokerExtension();

    private static final int EVENT_PARTITIONS = 4;
    private static final String NEW_FIELD = "evolvedNote";

    static final Path STATE_SOURCE =
            Path.of("..", "operators/src/main/java/io/settle/operators/core/SettlementState.java");

    /** This build's SettlementState with one more field, compiled into {@code into}. */
    static Path compileEvolvedState(Path into) throws Exception {
        String source = Files.readString(STATE_SOURCE);
        int end = source.lastIndexOf('}');
        String evolved =
                source.substring(0, end)
                        + "\n    private String "
                        + NEW_FIELD
                        + " = \"added in v2\";\n\n"
                        + "    public String getEvolvedNote() {\n        return "
                        + NEW_FIELD
                        + ";\n    }\n\n"
                        + "    public void setEvolvedNote(String v) {\n        this."
                        + NEW_FIELD
                        + " = v;\n    }\n}\n";
        Path src = into.resolve("src/io/settle/operators/core/SettlementState.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, evolved);
        Path classes = Files.createDirectories(into.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("a JDK (javac) runs the tests").isNotNull();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status =
                javac.run(
                        null,
                        null,
                        errors,
                        "--release",
                        "17",
                        "-classpath",
                        System.getProperty("java.class.path"),
                        "-d",
                        classes.toString(),
                        src.toString());
        assertThat(status).as(errors.toString(StandardCharsets.UTF_8)).isZero();
        return classes;
    }

    /** The JVM flags every Settle JVM starts with: flink-conf/jvm.args as an argument file. */
    static List<String> flinkJvmFlags() {
        return List.of("@" + Repo.flinkConf().resolve("jvm.args"));
    }

    @Test
    void aSavepointRestoresIntoAJobWhoseStateGainedAField(
            @InjectMiniCluster MiniCluster cluster,
            @TempDir Path checkpoints,
            @TempDir Path savepoints,
            @TempDir Path evolved)
            throws Exception {
        Topics topics = Topics.named("evo").create(BROKER.kafka(), EVENT_PARTITIONS);
        SettleOptions.Parsed options = Its.liveOptions(BROKER.kafka(), topics, "settle-evo");
        LiveBook book = new LiveBook(13L, 600, "EVO");
        Random random = new Random(13L);
        Path v2 = compileEvolvedState(evolved);

        try (KafkaProducer<byte[], byte[]> producer = Kafka.producer(BROKER.bootstrap());
                TopicReader results = new TopicReader(BROKER.kafka(), topics.results())) {
            // This version: half the book, then a savepoint of its state.
            StreamExecutionEnvironment first = Flink.env(checkpoints.resolve("v1"), null);
            SettlementJob.prepare(first, options);
            JobClient v1 = first.executeAsync("settle evolution ITCase: v1");
            Flink.awaitAllTasksRunning(cluster, v1.getJobID());
            Kafka.send(
                    producer,
                    topics.events(),
                    EVENT_PARTITIONS,
                    book.half(1, Instant.now()),
                    random,
                    0);
            results.awaitCount(book.endedBy(1), Duration.ofSeconds(60));
            String savepoint =
                    v1.stopWithSavepoint(
                                    false,
                                    savepoints.toUri().toString(),
                                    SavepointFormatType.CANONICAL)
                            .get(60, TimeUnit.SECONDS);
            assertThat(v1.getJobStatus().get()).isEqualTo(JobStatus.FINISHED);

            // The evolved state type, in a JVM of its own, restored from that savepoint.
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(flinkJvmFlags());
            command.add("-Xmx1g");
            command.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
            command.add("-cp");
            command.add(v2 + File.pathSeparator + System.getProperty("java.class.path"));
            command.add(EvolvedStateJob.class.getName());
            command.add(checkpoints.resolve("v2").toString());
            command.add(savepoint);
            command.addAll(Its.liveArgs(BROKER.kafka(), topics, "settle-evo"));
            Process fork =
                    new ProcessBuilder(command)
                            .redirectErrorStream(true)
                            .redirectInput(ProcessBuilder.Redirect.PIPE)
                            .start();
            List<String> forkOutput = new ArrayList<>();
            try {
                BufferedReader lines =
                        new BufferedReader(
                                new InputStreamReader(
                                        fork.getInputStream(), StandardCharsets.UTF_8));
                Thread reader =
                        new Thread(
                                () -> {
                                    try {
                                        for (String l; (l = lines.readLine()) != null; ) {
                                            synchronized (forkOutput) {
                                                forkOutput.add(l);
                                            }
                                        }
                                    } catch (Exception e) {
                                        // the fork ended
                                    }
                                });
                reader.setDaemon(true);
                reader.start();
                Await.until(
                        Duration.ofSeconds(60),
                        () -> "the evolved job to be submitted; it printed " + snapshot(forkOutput),
                        () -> {
                            if (!fork.isAlive()) {
                                throw new AssertionError(
                                        "the evolved job exited: " + snapshot(forkOutput));
                            }
                            return snapshot(forkOutput).stream()
                                    .anyMatch(l -> l.startsWith("submitted "));
                        });
                assertThat(snapshot(forkOutput))
                        .as("the fork loaded the evolved class")
                        .anyMatch(
                                l -> l.startsWith("state class from ") && l.contains(v2.toString()))
                        .anyMatch(l -> l.startsWith("state type ") && l.contains(NEW_FIELD));

                List<SettlementEvent> half2 = book.half(2, Instant.now());
                Kafka.send(producer, topics.events(), EVENT_PARTITIONS, half2, random, 0);
                List<SettlementEvent> distinct = book.distinct();
                List<String> wanted =
                        JsonLines.of(
                                OracleCheck.oracle(distinct).results(), new OutputCodec()::result);
                assertThat(wanted).hasSize(book.endedBy(2));
                OracleCheck.assertResultsExactlyOnce(
                        results, wanted, Duration.ofSeconds(90), Duration.ofSeconds(3));
            } finally {
                fork.getOutputStream().close(); // the fork cancels its job and exits
                if (!fork.waitFor(40, TimeUnit.SECONDS)) {
                    fork.destroyForcibly();
                }
            }
        }
    }

    private static List<String> snapshot(List<String> lines) {
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }
}
