package io.settle.jobs;

import io.settle.operators.model.SettlementEvent;
import io.settle.testkit.EmbeddedKafka;
import io.settle.testkit.Topics;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the job's integration tests share beyond the test kit: the live job's command line. */
public final class Its {
    private Its() {}

    public static final int PARALLELISM = 2;

    /**
     * Builds the job for {@code options} on the test's MiniCluster (checkpoints under {@code
     * checkpoints}, restored from {@code restoreFrom} unless it is null), submits it as {@code
     * name} and waits until every task runs.
     */
    public static org.apache.flink.core.execution.JobClient start(
            org.apache.flink.runtime.minicluster.MiniCluster cluster,
            SettleOptions.Parsed options,
            java.nio.file.Path checkpoints,
            String restoreFrom,
            String name)
            throws Exception {
        org.apache.flink.streaming.api.environment.StreamExecutionEnvironment env =
                io.settle.testkit.Flink.env(checkpoints, restoreFrom);
        SettlementJob.prepare(env, options);
        org.apache.flink.core.execution.JobClient job = env.executeAsync(name);
        io.settle.testkit.Flink.awaitAllTasksRunning(cluster, job.getJobID());
        return job;
    }

    /** The command line of a live job on {@code topics}, checkpointing every second. */
    public static SettleOptions.Parsed liveOptions(
            EmbeddedKafka kafka, Topics topics, String name, String... more) {
        List<String> args = liveArgs(kafka, topics, name);
        args.addAll(List.of(more));
        return SettleOptions.parse(args.toArray(new String[0]), Map.of());
    }

    /**
     * {@code e} with its instants moved from a day starting at {@code from} to one starting at
     * {@code to}, {@code factor} times shorter: event time and deadline alike.
     */
    public static SettlementEvent squeezed(
            SettlementEvent e, Instant from, Instant to, int factor) {
        Instant t = to.plusMillis(Duration.between(from, e.getEventTime()).toMillis() / factor);
        switch (e.getType()) {
            case OBLIGATION_BOOKED:
                Instant deadline =
                        e.getDeadline() == null
                                ? null
                                : t.plusMillis(
                                        Duration.between(e.getEventTime(), e.getDeadline())
                                                        .toMillis()
                                                / factor);
                return SettlementEvent.booked(
                        e.getEventId(), e.getSettlementId(), t, deadline, e.getLegs());
            case LEG_CONFIRMED:
                return SettlementEvent.confirmed(
                        e.getEventId(),
                        e.getSettlementId(),
                        t,
                        e.getLegId(),
                        e.getCurrency(),
                        e.getAmount());
            default:
                return SettlementEvent.cancelled(
                        e.getEventId(), e.getSettlementId(), t, e.getReason());
        }
    }

    /** The arguments {@link #liveOptions} parses. */
    public static List<String> liveArgs(EmbeddedKafka kafka, Topics topics, String name) {
        return new ArrayList<>(
                List.of(
                        "--kafka.bootstrap-servers",
                        kafka.bootstrapServers(),
                        "--topic.events",
                        topics.events(),
                        "--topic.results",
                        topics.results(),
                        "--topic.alerts",
                        topics.alerts(),
                        "--topic.dead-letters",
                        topics.deadLetters(),
                        "--kafka.group-id",
                        name,
                        "--kafka.transactional-id-prefix",
                        name,
                        "--checkpoint.interval",
                        "1s",
                        "--start-from",
                        "earliest",
                        "--parallelism",
                        Integer.toString(PARALLELISM)));
    }
}
