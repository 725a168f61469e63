package io.settle.tools.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Rates from a cumulative counter sampled over time (a source's {@code numRecordsOut}, summed over
 * its subtasks): the steady rate leaves out the start (JIT, RocksDB warming, the first checkpoint)
 * and the end (the last split, the end of input) of a run.
 *
 * <p>The steady window is where the counter goes from {@link #FROM} to {@link #TO} of its final
 * value; the moments it crosses them are interpolated between samples. Because the window is a
 * share of the final value, a counter that counts a little less than the input (a SQL source that
 * drops the malformed records) still gives input records per second when scaled by the input.
 */
public final class SteadyRate {
    private SteadyRate() {}

    public static final double FROM = 0.10;
    public static final double TO = 0.90;

    /** The steady window: when it starts and ends (seconds) and the rate over it. */
    public record Window(double fromSeconds, double toSeconds, double perSecond) {
        public boolean isValid() {
            return toSeconds > fromSeconds && perSecond > 0 && Double.isFinite(perSecond);
        }
    }

    /**
     * The rate, in input records per second, over the window where the counter went from {@link
     * #FROM} to {@link #TO} of {@code finalCount}; {@code inputRecords} is what {@code finalCount}
     * stands for. An invalid window (NaN rate) if the samples never cross both marks.
     */
    public static Window of(List<double[]> samples, double finalCount, double inputRecords) {
        return of(samples, finalCount, inputRecords, FROM, TO);
    }

    public static Window of(
            List<double[]> samples,
            double finalCount,
            double inputRecords,
            double from,
            double to) {
        if (!(finalCount > 0) || !(to > from)) {
            return new Window(Double.NaN, Double.NaN, Double.NaN);
        }
        double a = crossing(samples, from * finalCount);
        double b = crossing(samples, to * finalCount);
        if (Double.isNaN(a) || Double.isNaN(b) || b <= a) {
            return new Window(a, b, Double.NaN);
        }
        return new Window(a, b, (to - from) * inputRecords / (b - a));
    }

    /** When the counter first reached {@code level}, interpolated; NaN if it never did. */
    static double crossing(List<double[]> samples, double level) {
        double[] previous = null;
        for (double[] p : samples) {
            if (p[1] >= level) {
                if (previous == null || p[1] == previous[1]) {
                    return p[0];
                }
                double share = (level - previous[1]) / (p[1] - previous[1]);
                return previous[0] + share * (p[0] - previous[0]);
            }
            previous = p;
        }
        return Double.NaN;
    }

    /**
     * The rate between consecutive samples, at the middle of each interval, scaled by {@code scale}
     * (input records per counted record): what the throughput plots draw.
     */
    public static List<double[]> perInterval(List<double[]> samples, double scale) {
        return perInterval(samples, scale, 0);
    }

    /**
     * As {@link #perInterval(List, double)}, over intervals of at least {@code minSeconds} (a
     * smoother line than the sampling period gives).
     */
    public static List<double[]> perInterval(
            List<double[]> samples, double scale, double minSeconds) {
        List<double[]> rates = new ArrayList<>();
        if (samples.isEmpty()) {
            return rates;
        }
        double[] p = samples.get(0);
        for (int i = 1; i < samples.size(); i++) {
            double[] q = samples.get(i);
            double dt = q[0] - p[0];
            if (dt > 0 && dt >= minSeconds) {
                rates.add(new double[] {(p[0] + q[0]) / 2, scale * (q[1] - p[1]) / dt});
                p = q;
            }
        }
        return rates;
    }

    /**
     * The least-squares slope (value per second) of the samples between {@code fromSeconds} and
     * {@code toSeconds}: how fast a consumer lag grows (positive) or shrinks. NaN with fewer than
     * two samples there.
     */
    public static double slope(List<double[]> samples, double fromSeconds, double toSeconds) {
        double n = 0;
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (double[] p : samples) {
            if (p[0] >= fromSeconds && p[0] <= toSeconds) {
                n++;
                sx += p[0];
                sy += p[1];
                sxx += p[0] * p[0];
                sxy += p[0] * p[1];
            }
        }
        double d = n * sxx - sx * sx;
        if (n < 2 || d == 0) {
            return Double.NaN;
        }
        return (n * sxy - sx * sy) / d;
    }

    /**
     * A live step is sustained when the generator sent at least {@code minSentShare} of the target
     * rate and the consumer lag did not grow over the step's second half by more than {@code
     * maxGrowthShare} of the target rate per second (a lag that grows by 1% of the rate every
     * second is a job that falls behind).
     */
    public static boolean sustained(
            double targetPerSecond,
            double sentPerSecond,
            double lagSlopePerSecond,
            double minSentShare,
            double maxGrowthShare) {
        if (!(targetPerSecond > 0) || Double.isNaN(sentPerSecond)) {
            return false;
        }
        boolean generatorKeptUp = sentPerSecond >= minSentShare * targetPerSecond;
        boolean lagFlat =
                !Double.isNaN(lagSlopePerSecond)
                        && lagSlopePerSecond <= maxGrowthShare * targetPerSecond;
        return generatorKeptUp && lagFlat;
    }
}
