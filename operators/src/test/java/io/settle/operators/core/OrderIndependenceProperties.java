package io.settle.operators.core;

import io.settle.operators.RandomDay;
import io.settle.operators.Reserialize;
import io.settle.operators.codec.DecodeResult;
import io.settle.operators.codec.EventCodec;
import io.settle.operators.codec.OutputCodec;
import io.settle.operators.model.EventType;
import io.settle.operators.model.Leg;
import io.settle.operators.model.Origin;
import io.settle.operators.model.SettlementEvent;
import io.settle.operators.model.SettlementResult;
import io.settle.operators.model.SettlementStatus;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The laws of contract §2 over random days: order independence, idempotence, the money law. */
class OrderIndependenceProperties {
    private final EventCodec codec = new EventCodec();
    private final OutputCodec output = new OutputCodec();

    /** An outcome as sorted JSON lines: what a consumer of the output files would compare. */
    private List<String> lines(ReplayOracle.Outcome o) {
        List<String> lines = new ArrayList<>();
        o.results().forEach(r -> lines.add("result " + output.result(r)));
        o.alerts().forEach(a -> lines.add("alert " + output.alert(a)));
        o.openBook().forEach(b -> lines.add("open " + output.openBook(b)));
        o.deadLetters().forEach(d -> lines.add("dlq " + output.deadLetter(d)));
        Collections.sort(lines);
        return lines;
    }

    private static ReplayOracle oracleFor(List<SettlementEvent> events) {
        Instant until = ReplayOracle.greatestEventTime(events);
        return new ReplayOracle(SettlementConfig.builder().replay(until).build());
    }

    @Property(tries = 60)
    void anyPermutationWithReserialisedDuplicatesGivesTheSameOutcome(
            @ForAll long seed, @ForAll @IntRange(min = 1, max = 30) int settlements) {
        List<SettlementEvent> distinct = RandomDay.generate(seed, settlements);
        ReplayOracle oracle = oracleFor(distinct);
        ReplayOracle.Outcome reference = oracle.run(distinct);

        Random r = new Random(seed * 31 + settlements);
        List<String> records = new ArrayList<>();
        int copies = 0;
        for (SettlementEvent e : distinct) {
            String canonical = codec.encode(e);
            records.add(r.nextBoolean() ? canonical : Reserialize.differently(canonical, r));
            for (int c = r.nextInt(4) == 0 ? 1 + r.nextInt(3) : 0; c > 0; c--) {
                records.add(Reserialize.differently(canonical, r));
                copies++;
            }
        }
        Collections.shuffle(records, r);

        List<SettlementEvent> decoded = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            DecodeResult d =
                    codec.decode(
                            records.get(i).getBytes(StandardCharsets.UTF_8),
                            Origin.file("day.jsonl", i + 1));
            assertThat(d.isValid()).as("record %s: %s", records.get(i), d).isTrue();
            decoded.add(d.event());
        }
        ReplayOracle.Outcome shuffled = oracle.run(decoded);

        assertThat(lines(shuffled)).isEqualTo(lines(reference));
        assertThat(shuffled.duplicatesDropped()).isEqualTo(copies);
        assertThat(shuffled.deadLetters()).isEmpty();
    }

    @Property(tries = 60)
    void nothingSettlesUnlessEveryLegWasConfirmedWithItsExactCurrencyAndAmount(
            @ForAll long seed, @ForAll @IntRange(min = 1, max = 30) int settlements) {
        List<SettlementEvent> events = RandomDay.generate(seed, settlements);
        ReplayOracle.Outcome outcome = oracleFor(events).run(events);
        for (SettlementResult result : outcome.results()) {
            if (result.getStatus() != SettlementStatus.SETTLED) {
                continue;
            }
            List<SettlementEvent> mine =
                    events.stream()
                            .filter(e -> e.getSettlementId().equals(result.getSettlementId()))
                            .sorted(SettlementEvent.APPLY_ORDER)
                            .toList();
            SettlementEvent booking =
                    mine.stream()
                            .filter(e -> e.getType() == EventType.OBLIGATION_BOOKED)
                            .findFirst()
                            .orElseThrow();
            assertThat(result.getLegs()).isEqualTo(booking.getLegs().size());
            for (Leg leg : booking.getLegs()) {
                assertThat(mine)
                        .as("leg %s of %s", leg.getLegId(), result.getSettlementId())
                        .anySatisfy(
                                c -> {
                                    assertThat(c.getType()).isEqualTo(EventType.LEG_CONFIRMED);
                                    assertThat(c.getLegId()).isEqualTo(leg.getLegId());
                                    assertThat(c.getCurrency()).isEqualTo(leg.getCurrency());
                                    assertThat(c.getAmount()).isEqualByComparingTo(leg.getAmount());
                                    assertThat(c.getEventTime())
                                            .isBeforeOrEqualTo(result.getEndedAt());
                                });
            }
            assertThat(result.isBreached())
                    .isEqualTo(result.getEndedAt().isAfter(result.getDeadline()));
        }
    }

    @Property(tries = 30)
    void replayingTheSameInputTwiceChangesNothing(
            @ForAll long seed, @ForAll @IntRange(min = 1, max = 20) int settlements) {
        List<SettlementEvent> events = RandomDay.generate(seed, settlements);
        List<SettlementEvent> twice = new ArrayList<>(events);
        twice.addAll(events);
        ReplayOracle oracle = oracleFor(events);
        ReplayOracle.Outcome once = oracle.run(events);
        ReplayOracle.Outcome doubled = oracle.run(twice);
        assertThat(lines(doubled)).isEqualTo(lines(once));
        assertThat(doubled.duplicatesDropped()).isEqualTo(events.size());
        // Every distinct event is accounted for exactly once: alerts aside, results are per
        // settlement.
        assertThat(
                        once.results().stream()
                                .map(SettlementResult::getSettlementId)
                                .distinct()
                                .count())
                .isEqualTo(once.results().size());
        assertThat(once.results())
                .isSortedAccordingTo(Comparator.comparing(SettlementResult::getSettlementId));
    }
}
