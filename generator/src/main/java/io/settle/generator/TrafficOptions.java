package io.settle.generator;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import io.settle.cli.BadOptionException;
import io.settle.cli.Parsed;

import java.util.List;

/**
 * The options of the traffic itself, shared by {@code settle generate}, the Kafka load ({@link
 * KafkaLoad}) and {@code settle local}: how much of it is each anomaly.
 */
public final class TrafficOptions {
    private TrafficOptions() {}

    public static final ConfigOption<Double> DUPLICATES =
            ConfigOptions.key("duplicates")
                    .doubleType()
                    .defaultValue(GeneratorOptions.DEFAULT_DUPLICATES)
                    .withDescription(
                            "Share of records that re-send an earlier record, as is or rewritten.");

    public static final ConfigOption<Double> REORDER =
            ConfigOptions.key("reorder")
                    .doubleType()
                    .defaultValue(GeneratorOptions.DEFAULT_REORDER)
                    .withDescription(
                            "Share of records stamped up to 1.5 s before they are sent (within the allowance).");

    public static final ConfigOption<Double> LATE =
            ConfigOptions.key("late")
                    .doubleType()
                    .defaultValue(GeneratorOptions.DEFAULT_LATE)
                    .withDescription(
                            "Share of records stamped 1 to 10 minutes before they are sent (late).");

    public static final ConfigOption<Double> MALFORMED =
            ConfigOptions.key("malformed")
                    .doubleType()
                    .defaultValue(GeneratorOptions.DEFAULT_MALFORMED)
                    .withDescription("Share of records the job must dead-letter.");

    public static final ConfigOption<Integer> MAX_IN_FLIGHT =
            ConfigOptions.key("max-in-flight")
                    .intType()
                    .defaultValue(GeneratorOptions.DEFAULT_MAX_IN_FLIGHT)
                    .withDescription(
                            "Most settlements open at once; beyond it pending events are sent early.");

    /** Every traffic option, in --help order. */
    public static final List<ConfigOption<?>> ALL =
            List.of(DUPLICATES, REORDER, LATE, MALFORMED, MAX_IN_FLIGHT);

    /** The generator options the command line asked for, with {@code seed}. */
    public static GeneratorOptions from(Parsed p, long seed) {
        double duplicates = p.share(DUPLICATES);
        double reorder = p.share(REORDER);
        double late = p.share(LATE);
        double malformed = p.share(MALFORMED);
        int maxInFlight = p.atLeast(MAX_IN_FLIGHT, 1);
        try {
            return new GeneratorOptions(seed, duplicates, reorder, late, malformed, maxInFlight);
        } catch (IllegalArgumentException e) {
            throw new BadOptionException(e.getMessage());
        }
    }
}
