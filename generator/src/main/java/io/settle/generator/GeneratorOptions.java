package io.settle.generator;

/**
 * How a {@link TrafficGenerator} behaves: its seed, the share of all records that are each anomaly,
 * and how many settlements it keeps open at once.
 *
 * <p>The rates are fractions of all records generated ({@code 0.05} is 5%), drawn independently per
 * record, so they add up: their sum must be at most 1.
 *
 * @param seed everything the generator produces is a function of it (and of the clock it is given)
 * @param duplicates re-sends of an earlier record, byte for byte or written differently
 * @param reorder new events stamped up to 1.5 s before their emission (within the allowance)
 * @param late new events stamped minutes before their emission (beyond the allowance)
 * @param malformed records the job must dead-letter
 * @param maxInFlight open settlements with events still to come; when full, the next pending event
 *     is sent early instead of a new settlement starting, so memory stays flat
 */
public record GeneratorOptions(
        long seed,
        double duplicates,
        double reorder,
        double late,
        double malformed,
        int maxInFlight) {

    public static final long DEFAULT_SEED = 42L;
    public static final double DEFAULT_DUPLICATES = 0.05;
    public static final double DEFAULT_REORDER = 0.10;
    public static final double DEFAULT_LATE = 0.005;
    public static final double DEFAULT_MALFORMED = 0.005;
    public static final int DEFAULT_MAX_IN_FLIGHT = 20_000;

    public GeneratorOptions {
        rate("duplicates", duplicates);
        rate("reorder", reorder);
        rate("late", late);
        rate("malformed", malformed);
        if (duplicates + reorder + late + malformed > 1.0) {
            throw new IllegalArgumentException(
                    "the rates of duplicates, reorder, late and malformed add up to "
                            + (duplicates + reorder + late + malformed)
                            + ", more than 1");
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException(
                    "max-in-flight must be at least 1, got " + maxInFlight);
        }
    }

    private static void rate(String name, double value) {
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new IllegalArgumentException(
                    name + " must be a rate between 0 and 1, got " + value);
        }
    }

    /** The defaults with the default seed. */
    public static GeneratorOptions defaults() {
        return defaults(DEFAULT_SEED);
    }

    /** The default rates with {@code seed}. */
    public static GeneratorOptions defaults(long seed) {
        return new GeneratorOptions(
                seed,
                DEFAULT_DUPLICATES,
                DEFAULT_REORDER,
                DEFAULT_LATE,
                DEFAULT_MALFORMED,
                DEFAULT_MAX_IN_FLIGHT);
    }

    public GeneratorOptions withSeed(long seed) {
        return new GeneratorOptions(seed, duplicates, reorder, late, malformed, maxInFlight);
    }

    public GeneratorOptions withDuplicates(double duplicates) {
        return new GeneratorOptions(seed, duplicates, reorder, late, malformed, maxInFlight);
    }

    public GeneratorOptions withReorder(double reorder) {
        return new GeneratorOptions(seed, duplicates, reorder, late, malformed, maxInFlight);
    }

    public GeneratorOptions withLate(double late) {
        return new GeneratorOptions(seed, duplicates, reorder, late, malformed, maxInFlight);
    }

    public GeneratorOptions withMalformed(double malformed) {
        return new GeneratorOptions(seed, duplicates, reorder, late, malformed, maxInFlight);
    }

    public GeneratorOptions withMaxInFlight(int maxInFlight) {
        return new GeneratorOptions(seed, duplicates, reorder, late, malformed, maxInFlight);
    }
}
