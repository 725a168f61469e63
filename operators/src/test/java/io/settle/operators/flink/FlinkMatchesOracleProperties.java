package io.settle.operators.flink;

import io.settle.operators.RandomDay;
import io.settle.operators.Reserialize;
import io.settle.operators.codec.EventCodec;
import io.settle.operators.codec.OutputCodec;
import io.settle.operators.core.ReplayOracle;
import io.settle.operators.core.SettlementConfig;
import io.settle.operators.model.AlertType;
import io.settle.operators.model.Origin;
import io.settle.operators.model.SettlementEvent;
import io.settle.operators.model.SettlementResult;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Flink functions, chained as the job chains them (deduplicate, then settle), against the pure
 * replay oracle over random days: in replay for any permutation with re-serialised duplicates, and
 * live for any arrival order within the allowed out-of-orderness, driven by watermarks and a wall
 * clock that moves with the arrivals.
 */
class FlinkMatchesOracleProperties {
    private final EventCodec codec = new EventCodec();
    private final OutputCodec output = new OutputCodec();

    /** Arrivals: events, possibly several copies of each, in the order they reach the job. */
    private List<SettlementEvent> withReserialisedDuplicates(
            List<SettlementEvent> events, Random r) {
        List<SettlementEvent> arrivals = new ArrayList<>();
        int line = 0;
        for (SettlementEvent e : events) {
            arrivals.add(e);
            for (int c = r.nextInt(3) == 0 ? 1 + r.nextInt(2) : 0; c > 0; c--) {
                String copy = Reserialize.differently(codec.encode(e), r);
                arrivals.add(codec.decode(copy, Origin.file("copies.jsonl", ++line)).event());
            }
        }
        return arrivals;
    }

    private List<String> lines(
            List<SettlementResult> results, List<io.settle.operators.model.Alert> alerts) {
        List<String> lines = new ArrayList<>();
        results.forEach(r -> lines.add(output.result(r)));
        alerts.forEach(a -> lines.add(output.alert(a)));
        Collections.sort(lines);
        return lines;
    }

    @Property(tries = 15)
    void replayMatchesTheOracleForAnyArrivalOrder(
            @ForAll long seed, @ForAll @IntRange(min = 1, max = 25) int settlements)
            throws Exception {
        List<SettlementEvent> distinct = RandomDay.generate(seed, settlements);
        Instant until = ReplayOracle.greatestEventTime(distinct);
        SettlementConfig config = SettlementConfig.builder().replay(until).build();
        ReplayOracle.Outcome expected = new ReplayOracle(config).run(distinct);

        Random r = new Random(seed);
        List<SettlementEvent> arrivals = withReserialisedDuplicates(distinct, r);
        Collections.shuffle(arrivals, r);

        try (var dedup = Harnesses.open(new DeduplicateFunction(config), Harnesses.Backend.HEAP);
                var settle = Harnesses.open(new SettleFunction(config), Harnesses.Backend.HEAP)) {
            for (SettlementEvent e : arrivals) {
                dedup.processElement(e, Long.MIN_VALUE);
                for (SettlementEvent passed : Harnesses.drainOutput(dedup)) {
                    settle.processElement(passed, Long.MIN_VALUE);
                }
            }
            dedup.processWatermark(Long.MAX_VALUE);
            settle.processWatermark(Long.MAX_VALUE);

            List<io.settle.operators.model.Alert> alerts =
                    new ArrayList<>(Harnesses.drain(dedup, SettleOutputs.ALERTS));
            alerts.addAll(Harnesses.drain(settle, SettleOutputs.ALERTS));
            assertThat(lines(Harnesses.drainOutput(settle), alerts))
                    .isEqualTo(lines(expected.results(), expected.alerts()));
            assertThat(
                            Harnesses.drain(settle, SettleOutputs.OPEN_BOOK).stream()
                                    .map(output::openBook)
                                    .sorted()
                                    .toList())
                    .isEqualTo(
                            expected.openBook().stream().map(output::openBook).sorted().toList());
            assertThat(Harnesses.drain(dedup, SettleOutputs.DEAD_LETTERS)).isEmpty();
            assertThat(settle.numKeyedStateEntries()).isZero();
        }
    }

    @Property(tries = 15)
    void liveMatchesTheOracleWhenEventsArriveWithinTheAllowance(
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 25) int settlements,
            @ForAll @IntRange(min = 0, max = 2) int allowanceChoice)
            throws Exception {
        Duration allowance =
                List.of(Duration.ofSeconds(2), Duration.ofMinutes(5), Duration.ofMinutes(30))
                        .get(allowanceChoice);
        List<SettlementEvent> distinct = RandomDay.generate(seed, settlements);
        Instant until = ReplayOracle.greatestEventTime(distinct);
        SettlementConfig live = SettlementConfig.builder().maxOutOfOrderness(allowance).build();
        ReplayOracle.Outcome expected =
                new ReplayOracle(live.toBuilder().replay(until).build()).run(distinct);

        // Each copy arrives at its event time plus a random delay within the allowance; the wall
        // clock is the arrival time, the watermark trails the greatest event time seen.
        Random r = new Random(seed);
        record Arrival(long at, SettlementEvent event) {}
        List<Arrival> arrivals = new ArrayList<>();
        for (SettlementEvent e : withReserialisedDuplicates(distinct, r)) {
            long delay = (long) (r.nextDouble() * (allowance.toMillis() - 1));
            arrivals.add(new Arrival(e.getEventTime().toEpochMilli() + delay, e));
        }
        arrivals.sort(Comparator.comparingLong(Arrival::at));
        long ooo = allowance.toMillis();

        try (var dedup = Harnesses.open(new DeduplicateFunction(live), Harnesses.Backend.HEAP);
                var settle = Harnesses.open(new SettleFunction(live), Harnesses.Backend.HEAP)) {
            List<io.settle.operators.model.Alert> alerts = new ArrayList<>();
            List<SettlementResult> results = new ArrayList<>();
            long maxSeen = Long.MIN_VALUE;
            for (Arrival a : arrivals) {
                dedup.setProcessingTime(a.at());
                settle.setProcessingTime(a.at());
                long t = a.event().getEventTime().toEpochMilli();
                dedup.processElement(a.event(), t);
                for (SettlementEvent passed : Harnesses.drainOutput(dedup)) {
                    settle.processElement(passed, t);
                }
                maxSeen = Math.max(maxSeen, t);
                settle.processWatermark(maxSeen - ooo - 1);
            }
            // Event-time timers round up to 100 ms: the watermark passes the last one by then.
            settle.processWatermark(until.toEpochMilli() + 99);
            settle.setProcessingTime(until.toEpochMilli() + ooo);

            alerts.addAll(Harnesses.drain(dedup, SettleOutputs.ALERTS));
            alerts.addAll(Harnesses.drain(settle, SettleOutputs.ALERTS));
            results.addAll(Harnesses.drainOutput(settle));
            assertThat(alerts).noneMatch(al -> al.getType() == AlertType.LATE_EVENT);
            assertThat(lines(results, alerts))
                    .isEqualTo(lines(expected.results(), expected.alerts()));
        }
    }
}
