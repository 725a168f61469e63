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
 * The settle operator against the pure replay oracle over random days: in replay for any
 * permutation with re-serialised duplicates, and live for any arrival order within the allowed
 * out-of-orderness, whatever the watermark's lag and with restores from snapshots at random points.
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

        try (var settle = Harnesses.open(config, Harnesses.Backend.HEAP)) {
            for (SettlementEvent e : arrivals) {
                settle.processElement(e, Long.MIN_VALUE);
            }
            settle.processWatermark(Long.MAX_VALUE);

            assertThat(
                            lines(
                                    Harnesses.drainOutput(settle),
                                    Harnesses.drain(settle, SettleOutputs.ALERTS)))
                    .isEqualTo(lines(expected.results(), expected.alerts()));
            assertThat(
                            Harnesses.drain(settle, SettleOutputs.OPEN_BOOK).stream()
                                    .map(output::openBook)
                                    .sorted()
                                    .toList())
                    .isEqualTo(
                            expected.openBook().stream().map(output::openBook).sorted().toList());
            assertThat(Harnesses.drain(settle, SettleOutputs.DEAD_LETTERS)).isEmpty();
            assertThat(settle.numKeyedStateEntries()).isZero();
        }
    }

    @Property(tries = 15)
    void liveMatchesTheOracleWhenEventsArriveWithinTheAllowance(
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 25) int settlements,
            @ForAll @IntRange(min = 0, max = 2) int allowanceChoice,
            @ForAll @IntRange(min = 0, max = 3) int maxHeld)
            throws Exception {
        Duration allowance =
                List.of(Duration.ofSeconds(2), Duration.ofMinutes(5), Duration.ofMinutes(30))
                        .get(allowanceChoice);
        List<SettlementEvent> distinct = RandomDay.generate(seed, settlements);
        Instant until = ReplayOracle.greatestEventTime(distinct);
        SettlementConfig live = SettlementConfig.builder().maxOutOfOrderness(allowance).build();
        ReplayOracle.Outcome expected =
                new ReplayOracle(live.toBuilder().replay(until).build()).run(distinct);

        // Each copy arrives at its event time plus a random delay within the allowance. The
        // watermark trails the greatest event time seen by the allowance, but a lagging job sees
        // it move late and in jumps (it is skipped at random), and the job is restored from a
        // snapshot at random points. The operator holds at most a few records with waiting events
        // on the heap (none, or up to 3): the rest are written through, as past MAX_HELD.
        Random r = new Random(seed);
        record Arrival(long at, SettlementEvent event) {}
        List<Arrival> arrivals = new ArrayList<>();
        for (SettlementEvent e : withReserialisedDuplicates(distinct, r)) {
            long delay = (long) (r.nextDouble() * (allowance.toMillis() - 1));
            arrivals.add(new Arrival(e.getEventTime().toEpochMilli() + delay, e));
        }
        arrivals.sort(Comparator.comparingLong(Arrival::at));
        long ooo = allowance.toMillis();

        List<io.settle.operators.model.Alert> alerts = new ArrayList<>();
        List<SettlementResult> results = new ArrayList<>();
        var settle = Harnesses.open(live, null, Harnesses.Backend.ROCKSDB, maxHeld);
        try {
            long maxSeen = Long.MIN_VALUE;
            long checkpoint = 0;
            for (Arrival a : arrivals) {
                long t = a.event().getEventTime().toEpochMilli();
                settle.processElement(a.event(), t);
                maxSeen = Math.max(maxSeen, t);
                if (r.nextInt(3) > 0) {
                    settle.processWatermark(maxSeen - ooo - 1);
                }
                if (r.nextInt(25) == 0) {
                    alerts.addAll(Harnesses.drain(settle, SettleOutputs.ALERTS));
                    results.addAll(Harnesses.drainOutput(settle));
                    var snapshot = settle.snapshot(++checkpoint, checkpoint);
                    settle.close();
                    settle = Harnesses.open(live, snapshot, Harnesses.Backend.ROCKSDB, maxHeld);
                }
            }
            settle.processWatermark(until.toEpochMilli());
            alerts.addAll(Harnesses.drain(settle, SettleOutputs.ALERTS));
            results.addAll(Harnesses.drainOutput(settle));
        } finally {
            settle.close();
        }
        assertThat(alerts).noneMatch(al -> al.getType() == AlertType.LATE_EVENT);
        assertThat(lines(results, alerts)).isEqualTo(lines(expected.results(), expected.alerts()));
    }
}
