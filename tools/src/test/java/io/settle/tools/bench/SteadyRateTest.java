package io.settle.tools.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SteadyRateTest {

    /** A counter that warms up for 2 s at 100/s, runs at 1,000/s, then trickles out at the end. */
    private static List<double[]> warmSteadyTail() {
        List<double[]> s = new ArrayList<>();
        double count = 0;
        for (double t = 0; t <= 20.0001; t += 0.5) {
            s.add(new double[] {t, count});
            double rate = t < 2 ? 100 : t < 18 ? 1_000 : 50;
            count += rate * 0.5;
        }
        return s;
    }

    @Test
    void steadyRateLeavesOutTheWarmUpAndTheTail() {
        List<double[]> samples = warmSteadyTail();
        double last = samples.get(samples.size() - 1)[1];
        SteadyRate.Window w = SteadyRate.of(samples, last, last);
        assertThat(w.isValid()).isTrue();
        assertThat(w.perSecond()).isCloseTo(1_000, within(1.0));
        assertThat(w.fromSeconds()).isGreaterThan(2);
        assertThat(w.toSeconds()).isLessThan(18);
    }

    @Test
    void aCounterThatCountsLessThanTheInputIsScaledToInputRecords() {
        List<double[]> samples = warmSteadyTail();
        double last = samples.get(samples.size() - 1)[1];
        // The source dropped 10% of the input (malformed lines): the rate is in input records.
        SteadyRate.Window w = SteadyRate.of(samples, last, last / 0.9);
        assertThat(w.perSecond()).isCloseTo(1_000 / 0.9, within(1.0));
    }

    @Test
    void crossingsAreInterpolatedBetweenSamples() {
        List<double[]> samples = List.of(new double[] {0, 0}, new double[] {10, 100});
        assertThat(SteadyRate.crossing(samples, 25)).isCloseTo(2.5, within(1e-9));
        assertThat(SteadyRate.crossing(samples, 101)).isNaN();
    }

    @Test
    void tooFewSamplesGiveAnInvalidWindow() {
        assertThat(SteadyRate.of(List.of(new double[] {0, 0}), 0, 100).isValid()).isFalse();
        assertThat(SteadyRate.of(List.of(new double[] {1, 100}), 100, 100).isValid()).isFalse();
    }

    @Test
    void perIntervalRatesAreScaled() {
        List<double[]> r =
                SteadyRate.perInterval(List.of(new double[] {0, 0}, new double[] {2, 100}), 2);
        assertThat(r).hasSize(1);
        assertThat(r.get(0)[0]).isEqualTo(1.0);
        assertThat(r.get(0)[1]).isEqualTo(100.0);
    }

    @Test
    void slopeOfAGrowingLag() {
        List<double[]> lag = new ArrayList<>();
        for (int t = 0; t <= 10; t++) {
            lag.add(new double[] {t, 500 + 30.0 * t});
        }
        assertThat(SteadyRate.slope(lag, 5, 10)).isCloseTo(30, within(1e-9));
        assertThat(SteadyRate.slope(lag, 20, 30)).isNaN();
    }

    @Test
    void aStepIsSustainedWhenTheGeneratorKeepsUpAndTheLagIsFlat() {
        assertThat(SteadyRate.sustained(10_000, 9_900, 5, 0.95, 0.01)).isTrue();
        assertThat(SteadyRate.sustained(10_000, 9_900, 500, 0.95, 0.01))
                .as("lag grows by 5% of the rate every second")
                .isFalse();
        assertThat(SteadyRate.sustained(10_000, 7_000, 0, 0.95, 0.01))
                .as("the generator could not send the rate")
                .isFalse();
        assertThat(SteadyRate.sustained(10_000, 9_900, Double.NaN, 0.95, 0.01)).isFalse();
    }

    @Test
    void coresAreCpuSecondsOverWallSeconds() {
        List<double[]> cpu = List.of(new double[] {0, 0}, new double[] {10, 15});
        assertThat(ProcessStats.cores(cpu, 2, 6)).isCloseTo(1.5, within(1e-9));
    }
}
