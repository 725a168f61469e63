package io.settle.generator;

import java.time.Duration;
import java.util.Objects;

/**
 * The shape of traffic over a repeating cycle, as a multiplier of a base rate: a market opens busy,
 * calms down and gets busy again at the close. {@link #marketDay} is 3x for the first 10% of the
 * cycle, 1x in the middle and 2.5x for the last 10%.
 *
 * <p>Used two ways: a live load sends {@code rate * multiplierAt(t)} records per second, and a
 * synthetic day places its {@code i}-th of {@code n} records at {@link #offsetOfShare
 * offsetOfShare(i / n)}, so both spike at the open and at the close.
 */
public final class Burst {
    public static final double OPEN_MULTIPLIER = 3.0;
    public static final double CLOSE_MULTIPLIER = 2.5;
    public static final double EDGE_SHARE = 0.10;

    private final Duration cycle;
    private final double openShare;
    private final double openMultiplier;
    private final double closeShare;
    private final double closeMultiplier;

    /**
     * @param cycle how long one cycle lasts
     * @param openShare the share of the cycle at its start that runs at {@code openMultiplier}
     * @param closeShare the share of the cycle at its end that runs at {@code closeMultiplier}
     */
    public Burst(
            Duration cycle,
            double openShare,
            double openMultiplier,
            double closeShare,
            double closeMultiplier) {
        this.cycle = Objects.requireNonNull(cycle, "cycle");
        if (cycle.isNegative() || cycle.isZero()) {
            throw new IllegalArgumentException("the burst cycle must be positive, got " + cycle);
        }
        if (!(openShare >= 0 && closeShare >= 0 && openShare + closeShare <= 1)) {
            throw new IllegalArgumentException(
                    "open and close shares must be at least 0 and add up to at most 1, got "
                            + openShare
                            + " and "
                            + closeShare);
        }
        if (!(openMultiplier > 0 && closeMultiplier > 0)) {
            throw new IllegalArgumentException("multipliers must be positive");
        }
        this.openShare = openShare;
        this.openMultiplier = openMultiplier;
        this.closeShare = closeShare;
        this.closeMultiplier = closeMultiplier;
    }

    /** 3x for the first 10% of the cycle, 1x in the middle, 2.5x for the last 10%. */
    public static Burst marketDay(Duration cycle) {
        return new Burst(cycle, EDGE_SHARE, OPEN_MULTIPLIER, EDGE_SHARE, CLOSE_MULTIPLIER);
    }

    /** 1x all the time. */
    public static Burst flat(Duration cycle) {
        return new Burst(cycle, 0, 1, 0, 1);
    }

    public Duration cycle() {
        return cycle;
    }

    /** The multiplier {@code sinceStart} into the run (cycles repeat). */
    public double multiplierAt(Duration sinceStart) {
        double phase = phase(sinceStart);
        if (phase < openShare) {
            return openMultiplier;
        }
        if (phase >= 1 - closeShare) {
            return closeMultiplier;
        }
        return 1.0;
    }

    /** The average multiplier over a cycle. */
    public double meanMultiplier() {
        return weightUpTo(1.0);
    }

    /**
     * The multiplier integrated from the start to {@code sinceStart}, in seconds: a base rate of r
     * records per second has sent {@code r * weightedSeconds(t)} records by then.
     */
    public double weightedSeconds(Duration sinceStart) {
        if (sinceStart.isNegative()) {
            return 0;
        }
        long cycleNanos = cycle.toNanos();
        long nanos = sinceStart.toNanos();
        long fullCycles = nanos / cycleNanos;
        double partial = (double) (nanos % cycleNanos) / cycleNanos;
        double cycleSeconds = cycleNanos / 1e9;
        return (fullCycles * meanMultiplier() + weightUpTo(partial)) * cycleSeconds;
    }

    /**
     * The offset into a cycle by which {@code share} (0 to 1) of the cycle's records have gone: the
     * inverse of the cumulative shape, to lay {@code n} records over one cycle.
     */
    public Duration offsetOfShare(double share) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("share must be between 0 and 1, got " + share);
        }
        double target = share * meanMultiplier();
        double phase;
        double openWeight = openShare * openMultiplier;
        double middleWeight = 1 - openShare - closeShare;
        if (target < openWeight) {
            phase = target / openMultiplier;
        } else if (target < openWeight + middleWeight) {
            phase = openShare + (target - openWeight);
        } else {
            phase = 1 - closeShare + (target - openWeight - middleWeight) / closeMultiplier;
        }
        phase = Math.max(0, Math.min(1, phase));
        return Duration.ofNanos((long) (phase * cycle.toNanos()));
    }

    /** The multiplier integrated over [0, phase] of one cycle, in cycles. */
    private double weightUpTo(double phase) {
        double open = Math.min(phase, openShare);
        double middle = Math.max(0, Math.min(phase, 1 - closeShare) - openShare);
        double close = Math.max(0, phase - (1 - closeShare));
        return open * openMultiplier + middle + close * closeMultiplier;
    }

    private double phase(Duration sinceStart) {
        long cycleNanos = cycle.toNanos();
        return (double) Math.floorMod(sinceStart.toNanos(), cycleNanos) / cycleNanos;
    }

    @Override
    public String toString() {
        return String.format(
                "Burst{cycle=%s, open %.0f%% at %.1fx, close %.0f%% at %.1fx}",
                cycle, openShare * 100, openMultiplier, closeShare * 100, closeMultiplier);
    }
}
