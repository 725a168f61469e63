package io.settle.generator;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class BurstTest {
    private final Burst burst = Burst.marketDay(Duration.ofMinutes(100));

    @Test
    void spikesAtTheOpenAndTheCloseOfEveryCycle() {
        assertThat(burst.multiplierAt(Duration.ZERO)).isEqualTo(3.0);
        assertThat(burst.multiplierAt(Duration.ofMinutes(9))).isEqualTo(3.0);
        assertThat(burst.multiplierAt(Duration.ofMinutes(10))).isEqualTo(1.0);
        assertThat(burst.multiplierAt(Duration.ofMinutes(89))).isEqualTo(1.0);
        assertThat(burst.multiplierAt(Duration.ofMinutes(90))).isEqualTo(2.5);
        assertThat(burst.multiplierAt(Duration.ofMinutes(100))).isEqualTo(3.0);
        assertThat(burst.multiplierAt(Duration.ofMinutes(195))).isEqualTo(2.5);
        assertThat(burst.meanMultiplier()).isCloseTo(0.3 + 0.8 + 0.25, within(1e-9));
    }

    @Test
    void weightedSecondsIntegrateTheShape() {
        assertThat(burst.weightedSeconds(Duration.ofMinutes(10))).isCloseTo(1800, within(1e-6));
        assertThat(burst.weightedSeconds(Duration.ofMinutes(100)))
                .isCloseTo(1.35 * 6000, within(1e-6));
        assertThat(burst.weightedSeconds(Duration.ofMinutes(210)))
                .isCloseTo(2 * 1.35 * 6000 + 1800, within(1e-6));
    }

    @Test
    void offsetOfShareIsTheInverseOfTheCumulativeShape() {
        assertThat(burst.offsetOfShare(0)).isEqualTo(Duration.ZERO);
        assertThat(burst.offsetOfShare(1)).isEqualTo(Duration.ofMinutes(100));
        assertThat(burst.offsetOfShare(0.3 / 1.35)).isEqualTo(Duration.ofMinutes(10));
        Duration previous = Duration.ZERO;
        for (int i = 1; i <= 1000; i++) {
            double share = i / 1000.0;
            Duration at = burst.offsetOfShare(share);
            assertThat(at).isGreaterThanOrEqualTo(previous);
            assertThat(burst.weightedSeconds(at) / burst.weightedSeconds(Duration.ofMinutes(100)))
                    .isCloseTo(share, within(1e-6));
            previous = at;
        }
    }

    @Test
    void flatIsOneAllTheTime() {
        Burst flat = Burst.flat(Duration.ofMinutes(1));
        assertThat(flat.multiplierAt(Duration.ofSeconds(1))).isEqualTo(1.0);
        assertThat(flat.multiplierAt(Duration.ofSeconds(59))).isEqualTo(1.0);
        assertThat(flat.offsetOfShare(0.5)).isEqualTo(Duration.ofSeconds(30));
    }
}
