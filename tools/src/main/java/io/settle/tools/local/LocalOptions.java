package io.settle.tools.local;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import io.settle.cli.OptionSet;
import io.settle.generator.GeneratorOptions;
import io.settle.generator.TrafficOptions;
import io.settle.jobs.SettleOptions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The command lines of {@code settle local} and {@code settle replay}: their own options, the
 * generator's (local), and the job's options that the local run does not set itself (the broker and
 * the topics are its own), which go on to the job.
 */
public final class LocalOptions {
    private LocalOptions() {}

    public static final ConfigOption<Double> RATE =
            ConfigOptions.key("rate")
                    .doubleType()
                    .defaultValue(2000.0)
                    .withDescription("Events/s at 1x; the open runs at 3x, the close at 2.5x.");

    public static final ConfigOption<Duration> DURATION =
            ConfigOptions.key("duration")
                    .durationType()
                    .noDefaultValue()
                    .withDescription(
                            "How long the generator runs; until Ctrl-C when not given. Then the last checkpoints drain and everything stops.");

    public static final ConfigOption<Duration> CYCLE =
            ConfigOptions.key("cycle")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(10))
                    .withDescription("Length of one market day of the burst shape.");

    public static final ConfigOption<Integer> UI_PORT =
            ConfigOptions.key("ui-port")
                    .intType()
                    .defaultValue(8081)
                    .withDescription("Flink web UI and REST port (on localhost).");

    public static final ConfigOption<Integer> METRICS_PORT =
            ConfigOptions.key("metrics-port")
                    .intType()
                    .defaultValue(9249)
                    .withDescription("Prometheus reporter port.");

    public static final ConfigOption<Integer> PROMETHEUS_PORT =
            ConfigOptions.key("prometheus-port")
                    .intType()
                    .defaultValue(9090)
                    .withDescription("Web UI port of the Prometheus of --prometheus.");

    public static final ConfigOption<Integer> PARTITIONS =
            ConfigOptions.key("partitions")
                    .intType()
                    .defaultValue(4)
                    .withDescription("Partitions of the events topic.");

    public static final ConfigOption<Long> SEED =
            ConfigOptions.key("seed")
                    .longType()
                    .defaultValue(GeneratorOptions.DEFAULT_SEED)
                    .withDescription("Generator seed.");

    public static final ConfigOption<Boolean> PROMETHEUS =
            ConfigOptions.key("prometheus")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Also start Prometheus (the installed binary) scraping the job and evaluating "
                                    + LocalPrometheus.RULES
                                    + " (each 'for' shortened to "
                                    + LocalPrometheus.LOCAL_FOR
                                    + ").");

    /** The job's options a local run sets itself: not on its command line. */
    static final Set<ConfigOption<?>> SET_BY_LOCAL =
            Set.of(
                    SettleOptions.MODE,
                    SettleOptions.BOOTSTRAP_SERVERS,
                    SettleOptions.TOPIC_EVENTS,
                    SettleOptions.TOPIC_RESULTS,
                    SettleOptions.TOPIC_ALERTS,
                    SettleOptions.TOPIC_DEAD_LETTERS,
                    SettleOptions.INPUT,
                    SettleOptions.OUTPUT,
                    SettleOptions.UNTIL);

    /** The command line of {@code settle local}. */
    public static final OptionSet LOCAL =
            OptionSet.command("settle local")
                    .usage("settle local [options] [job options]")
                    .about(
                            "Runs Settle on this machine: a real Kafka broker (KRaft) in process, the load generator, and the live job on a local Flink cluster with its web UI and Prometheus metrics. Prints progress every five seconds; Ctrl-C stops everything. The job's options (below the generator's) go on to the job.")
                    .options(
                            List.of(
                                    RATE,
                                    DURATION,
                                    CYCLE,
                                    UI_PORT,
                                    METRICS_PORT,
                                    PROMETHEUS,
                                    PROMETHEUS_PORT,
                                    PARTITIONS,
                                    SEED))
                    .options(TrafficOptions.ALL)
                    .options(jobOptionsExcept(SET_BY_LOCAL))
                    .build();

    /** The command line of {@code settle replay}. */
    public static final OptionSet REPLAY =
            OptionSet.command("settle replay")
                    .usage(
                            "settle replay --input F --output D [--until I] [--parallelism N] [job options]")
                    .about(
                            "Replays a JSON Lines file or folder on a local Flink cluster (web UI on --ui-port while it runs) into a new output folder: results/, alerts/, dlq/ and open/.")
                    .options(List.of(UI_PORT, METRICS_PORT))
                    .options(jobOptionsExcept(Set.of(SettleOptions.MODE)))
                    .build();

    private static List<ConfigOption<?>> jobOptionsExcept(Set<ConfigOption<?>> left) {
        List<ConfigOption<?>> options = new ArrayList<>();
        for (ConfigOption<?> o : SettleOptions.all()) {
            if (!left.contains(o)) {
                options.add(o);
            }
        }
        return options;
    }
}
