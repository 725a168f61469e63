package io.settle.jobs;

import io.settle.testkit.EmbeddedKafka;
import io.settle.testkit.Topics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the job's integration tests share beyond the test kit: the live job's command line. */
public final class Its {
    private Its() {}

    public static final int PARALLELISM = 2;

    /** The command line of a live job on {@code topics}, checkpointing every second. */
    public static SettleOptions.Parsed liveOptions(
            EmbeddedKafka kafka, Topics topics, String name, String... more) {
        List<String> args = liveArgs(kafka, topics, name);
        args.addAll(List.of(more));
        return SettleOptions.parse(args.toArray(new String[0]), Map.of());
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
                        "--parallelism",
                        Integer.toString(PARALLELISM)));
    }
}
