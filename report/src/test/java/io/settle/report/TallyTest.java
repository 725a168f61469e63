package io.settle.report;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The report's pure core: percentiles by nearest rank, copies counted once. */
class TallyTest {
    @Test
    void nearestRankIsTheSmallestValueWithThatShareAtOrBelowIt() {
        long[] ten = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertThat(Tally.nearestRank(ten, 50)).isEqualTo(5);
        assertThat(Tally.nearestRank(ten, 90)).isEqualTo(9);
        assertThat(Tally.nearestRank(ten, 99)).isEqualTo(10);
        assertThat(Tally.nearestRank(new long[] {42}, 99)).isEqualTo(42);
        long[] hundred = new long[100];
        for (int i = 0; i < 100; i++) {
            hundred[i] = i + 1;
        }
        assertThat(Tally.nearestRank(hundred, 99)).isEqualTo(99);
        assertThat(Tally.nearestRank(hundred, 50)).isEqualTo(50);

        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            int n = 1 + random.nextInt(300);
            List<Long> values = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                values.add((long) random.nextInt(1000));
            }
            List<Long> sorted = values.stream().sorted().toList();
            long[] array = sorted.stream().mapToLong(Long::longValue).toArray();
            for (int p : new int[] {50, 90, 99}) {
                assertThat(Tally.nearestRank(array, p))
                        .as("p%d of %s", p, sorted)
                        .isEqualTo(ReportFixture.percentile(sorted, p));
            }
        }
    }

    @Test
    void percentilesOfNothingAreNoFigures() {
        List<Figure> out = new ArrayList<>();
        Tally.percentiles("period", new long[0], out::add);
        assertThat(out).isEmpty();
        Tally.percentiles("period", new long[] {30, 10, 20}, out::add);
        assertThat(out)
                .extracting(f -> f.metric + "=" + f.value)
                .containsExactly(
                        "latency.count=3",
                        "latency.p50=20",
                        "latency.p90=30",
                        "latency.p99=30",
                        "latency.max=30");
    }

    @Test
    void copiesOfAnAlertCountOnce() {
        ReportSettings settings = ReportSettings.builder().build();
        OutputDecoder decoder = new OutputDecoder(settings);
        String alert = ReportFixture.ALERT_COPY.json();
        SettlementFacts facts =
                SettlementFacts.merge(
                        SettlementFacts.of(
                                decoder.decode(RawOutput.line(OutputKind.ALERT, alert, "a:1"))),
                        SettlementFacts.of(
                                decoder.decode(RawOutput.line(OutputKind.ALERT, alert, "b:1"))));
        List<Figure> out = new ArrayList<>();
        Tally.settlement(facts, settings, out::add);
        assertThat(out)
                .filteredOn(f -> f.metric.equals(Metrics.ALERT_TYPE))
                .extracting(f -> f.key + "=" + f.value)
                .containsExactly("DEADLINE_MISSED=1");
        assertThat(out)
                .filteredOn(f -> f.metric.equals(Metrics.DUPLICATES))
                .extracting(f -> f.key + "=" + f.value)
                .containsExactly("alerts=1");
    }

    @Test
    void aRecordThatIsNotItsKindIsUnreadable() {
        OutputDecoder decoder = new OutputDecoder(ReportSettings.builder().build());
        assertThat(
                        decoder.decode(
                                        RawOutput.line(
                                                OutputKind.RESULT, ReportFixture.UNREADABLE, "f:1"))
                                .readable)
                .isFalse();
        assertThat(
                        decoder.decode(
                                        RawOutput.line(
                                                OutputKind.ALERT,
                                                ReportFixture.RESULTS.get(0).json(),
                                                "f:1"))
                                .readable)
                .isFalse();
        assertThat(decoder.decode(RawOutput.line(OutputKind.DEAD_LETTER, null, "t/0@1")).readable)
                .isFalse();
        assertThat(
                        decoder.decode(
                                        RawOutput.line(
                                                OutputKind.RESULT,
                                                ReportFixture.RESULTS.get(0).json(),
                                                "f:1"))
                                .readable)
                .isTrue();
    }
}
