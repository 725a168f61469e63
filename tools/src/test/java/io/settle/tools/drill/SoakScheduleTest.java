package io.settle.tools.drill;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The soak's schedule: a function of the seed, every kind of fault early, within the run. */
class SoakScheduleTest {

    @Test
    void theSameSeedGivesTheSameScheduleAndAnotherSeedAnother() {
        Duration d = Duration.ofMinutes(30);
        assertThat(SoakSchedule.plan(7, d)).isEqualTo(SoakSchedule.plan(7, d));
        assertThat(SoakSchedule.plan(7, d)).isNotEqualTo(SoakSchedule.plan(8, d));
    }

    @Test
    void aShortSoakInjectsEveryKindOfFaultOnceAndHostileRecordsTwice() {
        for (long seed = 0; seed < 100; seed++) {
            long minutes = 2 + seed % 2;
            List<SoakSchedule.Step> steps = SoakSchedule.plan(seed, Duration.ofMinutes(minutes));
            EnumSet<SoakSchedule.Kind> kinds = EnumSet.noneOf(SoakSchedule.Kind.class);
            steps.forEach(s -> kinds.add(s.kind()));
            assertThat(kinds)
                    .as("seed %d", seed)
                    .containsAll(EnumSet.allOf(SoakSchedule.Kind.class));
            assertThat(steps.stream().filter(s -> s.kind() == SoakSchedule.Kind.HOSTILE))
                    .hasSize(2);
            assertThat(steps)
                    .allSatisfy(s -> assertThat(s.atSecond()).isBetween(30L, minutes * 60 - 20));
            assertThat(steps)
                    .isSortedAccordingTo(
                            java.util.Comparator.comparingLong(SoakSchedule.Step::atSecond));
        }
    }

    @Test
    void aLongSoakInjectsAboutOneFaultAMinuteRescalingToAnotherParallelismEachTime() {
        List<SoakSchedule.Step> steps = SoakSchedule.plan(3, Duration.ofMinutes(30));
        assertThat(steps.stream().filter(s -> s.kind() != SoakSchedule.Kind.HOSTILE)).hasSize(30);
        int parallelism = SoakSchedule.START_PARALLELISM;
        for (SoakSchedule.Step s : steps) {
            if (s.kind() == SoakSchedule.Kind.RESCALE) {
                assertThat(s.arg())
                        .isBetween(1, SoakSchedule.MAX_PARALLELISM)
                        .isNotEqualTo(parallelism);
                parallelism = s.arg();
            }
            if (s.kind() == SoakSchedule.Kind.BROKER_STOP) {
                assertThat(s.arg()).isBetween(5, 25);
            }
        }
    }

    @Test
    void aSoakShorterThanAMinuteIsRefused() {
        assertThatThrownBy(() -> SoakSchedule.plan(1, Duration.ofSeconds(59)))
                .hasMessageContaining("at least 60s");
    }
}
