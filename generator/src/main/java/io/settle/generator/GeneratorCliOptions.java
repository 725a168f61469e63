package io.settle.generator;

import java.util.List;

/** The options of the traffic itself, shared by {@link GenerateCommand} and {@link KafkaLoad}. */
final class GeneratorCliOptions {

    static final CliOption<Double> DUPLICATES =
            CliOption.optional(
                    "duplicates",
                    "R",
                    "share of records that re-send an earlier record, as is or rewritten",
                    GeneratorOptions.DEFAULT_DUPLICATES,
                    CliOption::rate);
    static final CliOption<Double> REORDER =
            CliOption.optional(
                    "reorder",
                    "R",
                    "share of records stamped up to 1.5 s before they are sent (within the allowance)",
                    GeneratorOptions.DEFAULT_REORDER,
                    CliOption::rate);
    static final CliOption<Double> LATE =
            CliOption.optional(
                    "late",
                    "R",
                    "share of records stamped 1 to 10 minutes before they are sent (late)",
                    GeneratorOptions.DEFAULT_LATE,
                    CliOption::rate);
    static final CliOption<Double> MALFORMED =
            CliOption.optional(
                    "malformed",
                    "R",
                    "share of records the job must dead-letter",
                    GeneratorOptions.DEFAULT_MALFORMED,
                    CliOption::rate);
    static final CliOption<Integer> MAX_IN_FLIGHT =
            CliOption.optional(
                    "max-in-flight",
                    "N",
                    "most settlements open at once; beyond it pending events are sent early",
                    GeneratorOptions.DEFAULT_MAX_IN_FLIGHT,
                    CliOption::positiveInt);

    static final List<CliOption<?>> ALL =
            List.of(DUPLICATES, REORDER, LATE, MALFORMED, MAX_IN_FLIGHT);

    private GeneratorCliOptions() {}

    /** The generator options the command line asked for, with {@code seed}. */
    static GeneratorOptions from(CommandLine.Parsed p, long seed) {
        try {
            return new GeneratorOptions(
                    seed,
                    p.get(DUPLICATES),
                    p.get(REORDER),
                    p.get(LATE),
                    p.get(MALFORMED),
                    p.get(MAX_IN_FLIGHT));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.UsageException(e.getMessage());
        }
    }
}
