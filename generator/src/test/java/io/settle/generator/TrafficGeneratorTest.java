package io.settle.generator;

import io.settle.generator.GeneratedRecord.Kind;
import io.settle.operators.codec.DecodeResult;
import io.settle.operators.codec.EventCodec;
import io.settle.operators.core.ReplayOracle;
import io.settle.operators.core.SettlementConfig;
import io.settle.operators.model.Alert;
import io.settle.operators.model.AlertType;
import io.settle.operators.model.Origin;
import io.settle.operators.model.SettlementEvent;
import io.settle.operators.model.SettlementResult;
import io.settle.operators.model.SettlementStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrafficGeneratorTest {
    private static final int RECORDS = 100_000;
    private static final EventCodec CODEC = new EventCodec();

    /** 100k records with the default options, 100 ms apart: a bit under three hours. */
    private static List<Traffic.Sent> day;

    private static Map<Kind, Long> kinds;

    @BeforeAll
    static void generateADay() {
        day = Traffic.generate(GeneratorOptions.defaults(7), RECORDS, Duration.ofMillis(100));
        kinds = new EnumMap<>(Kind.class);
        for (Traffic.Sent s : day) {
            kinds.merge(s.record().kind(), 1L, Long::sum);
        }
    }

    private static DecodeResult decode(GeneratedRecord r, int index) {
        return CODEC.decode(r.value(), Origin.kafka("events", 0, index));
    }

    @Test
    void sameSeedGivesTheSameRecords() {
        GeneratorOptions options = GeneratorOptions.defaults(99);
        List<GeneratedRecord> first =
                Traffic.records(Traffic.generate(options, 20_000, Duration.ofMillis(37)));
        List<GeneratedRecord> second =
                Traffic.records(Traffic.generate(options, 20_000, Duration.ofMillis(37)));
        List<GeneratedRecord> otherSeed =
                Traffic.records(
                        Traffic.generate(options.withSeed(100), 20_000, Duration.ofMillis(37)));

        assertThat(second).isEqualTo(first);
        assertThat(otherSeed.get(0)).isNotEqualTo(first.get(0));
        assertThat(otherSeed.get(0).key()).isEqualTo("STL-100-0");
    }

    @Test
    void anomalyRatesAreRoughlyAsConfigured() {
        assertThat(share(Kind.DUPLICATE) + share(Kind.DUPLICATE_RESERIALIZED))
                .isBetween(0.045, 0.055);
        assertThat(share(Kind.DUPLICATE_RESERIALIZED)).isBetween(0.01, 0.03);
        assertThat(share(Kind.REORDERED)).isBetween(0.09, 0.11);
        assertThat(share(Kind.LATE)).isBetween(0.003, 0.007);
        double malformed =
                kinds.entrySet().stream()
                                .filter(e -> e.getKey().isMalformed())
                                .mapToLong(Map.Entry::getValue)
                                .sum()
                        / (double) RECORDS;
        assertThat(malformed).isBetween(0.003, 0.007);
        for (Kind kind : Kind.values()) {
            assertThat(kinds.getOrDefault(kind, 0L)).as("records of kind %s", kind).isPositive();
        }
    }

    @Test
    void otherRatesAreKeptToo() {
        GeneratorOptions options = new GeneratorOptions(3, 0.20, 0.0, 0.02, 0.10, 1_000);
        Map<Kind, Long> counts = new EnumMap<>(Kind.class);
        for (Traffic.Sent s : Traffic.generate(options, 20_000, Duration.ofMillis(500))) {
            counts.merge(s.record().kind(), 1L, Long::sum);
        }
        long duplicates =
                counts.getOrDefault(Kind.DUPLICATE, 0L)
                        + counts.getOrDefault(Kind.DUPLICATE_RESERIALIZED, 0L);
        long malformed =
                counts.entrySet().stream()
                        .filter(e -> e.getKey().isMalformed())
                        .mapToLong(Map.Entry::getValue)
                        .sum();
        assertThat(duplicates).isBetween(3_700L, 4_300L);
        assertThat(malformed).isBetween(1_800L, 2_200L);
        assertThat(counts.getOrDefault(Kind.LATE, 0L)).isBetween(300L, 500L);
        assertThat(counts).doesNotContainKey(Kind.REORDERED);
    }

    @Test
    void ratesThatAddUpToMoreThanOneAreRefused() {
        assertThatThrownBy(() -> new GeneratorOptions(1, 0.5, 0.4, 0.1, 0.1, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than 1");
        assertThatThrownBy(() -> GeneratorOptions.defaults().withLate(-0.1))
                .hasMessageContaining("late");
    }

    @Test
    void everyValidRecordDecodesAndEveryMalformedOneIsRejectedForItsReason() {
        for (int i = 0; i < day.size(); i++) {
            GeneratedRecord r = day.get(i).record();
            DecodeResult result = decode(r, i);
            if (r.kind().isMalformed()) {
                assertThat(result.isValid()).as("%s", r).isFalse();
                assertThat(result.deadLetter().getReason())
                        .as("%s", r)
                        .isEqualTo(r.kind().rejectedAs());
                assertThat(r.eventTime()).isNull();
                if (r.kind() == Kind.MALFORMED_UTF8) {
                    assertThat(result.deadLetter().getEncoding()).isEqualTo("base64");
                }
            } else {
                assertThat(result.isValid()).as("%s: %s", r, result).isTrue();
                assertThat(result.event().getSettlementId()).isEqualTo(r.key());
                assertThat(result.event().getEventTime()).isEqualTo(r.eventTime());
            }
        }
    }

    @Test
    void everyRecordIsOneLine() {
        for (Traffic.Sent s : day) {
            byte[] value = s.record().value();
            for (byte b : value) {
                assertThat(b)
                        .as("%s", s.record())
                        .isNotEqualTo((byte) '\n')
                        .isNotEqualTo((byte) '\r');
            }
        }
    }

    @Test
    void duplicatesDecodeToTheirOriginalAndDistinctEventsNeverShareAnId() {
        Map<String, SettlementEvent> firstSeen = new HashMap<>();
        Map<String, byte[]> firstBytes = new HashMap<>();
        int rewrittenDiffering = 0;
        for (int i = 0; i < day.size(); i++) {
            GeneratedRecord r = day.get(i).record();
            if (r.kind().isMalformed()) {
                continue;
            }
            SettlementEvent e = decode(r, i).event();
            String id = e.getSettlementId() + "/" + e.getEventId();
            if (r.kind().isDuplicate()) {
                assertThat(firstSeen).as("original of %s", r).containsKey(id);
                assertThat(e).as("%s", r).isEqualTo(firstSeen.get(id));
                assertThat(r.eventTime()).isEqualTo(firstSeen.get(id).getEventTime());
                if (r.kind() == Kind.DUPLICATE) {
                    assertThat(r.value()).isEqualTo(firstBytes.get(id));
                } else if (!Arrays.equals(r.value(), firstBytes.get(id))) {
                    rewrittenDiffering++;
                }
            } else {
                assertThat(firstSeen.put(id, e)).as("a second distinct event %s", id).isNull();
                firstBytes.put(id, r.value());
            }
        }
        assertThat(rewrittenDiffering)
                .isGreaterThan(kinds.get(Kind.DUPLICATE_RESERIALIZED).intValue() * 9 / 10);
    }

    @Test
    void eventTimesFollowTheClockExceptReorderedAndLateOnes() {
        Map<String, Instant> stamped = new HashMap<>();
        for (Traffic.Sent s : day) {
            GeneratedRecord r = s.record();
            Instant now = s.now();
            switch (r.kind()) {
                case EVENT:
                    assertThat(r.eventTime()).isEqualTo(now);
                    break;
                case REORDERED:
                    assertThat(r.eventTime())
                            .isBefore(now)
                            .isAfterOrEqualTo(now.minus(TrafficGenerator.MAX_REORDER));
                    break;
                case LATE:
                    assertThat(r.eventTime())
                            .isBeforeOrEqualTo(now.minus(TrafficGenerator.MIN_LATENESS))
                            .isAfterOrEqualTo(now.minus(TrafficGenerator.MAX_LATENESS));
                    break;
                default:
                    break;
            }
            if (r.eventTime() != null) {
                assertThat(r.eventTime()).isAfterOrEqualTo(Traffic.START);
            }
        }
    }

    @Test
    void trafficLooksLikeAMarket() {
        Set<String> parties = new HashSet<>();
        Set<String> currencies = new HashSet<>();
        Map<Integer, Integer> legCounts = new HashMap<>();
        int bookings = 0;
        int explicitDeadlines = 0;
        int distinct = 0;
        Set<String> settlements = new HashSet<>();
        for (int i = 0; i < day.size(); i++) {
            GeneratedRecord r = day.get(i).record();
            if (r.kind().isMalformed() || r.kind().isDuplicate()) {
                continue;
            }
            SettlementEvent e = decode(r, i).event();
            distinct++;
            settlements.add(e.getSettlementId());
            assertThat(e.getSettlementId()).matches("STL-7-[0-9]+");
            if (e.getLegs() != null) {
                bookings++;
                legCounts.merge(e.getLegs().size(), 1, Integer::sum);
                if (e.getDeadline() != null) {
                    explicitDeadlines++;
                    assertThat(e.getDeadline()).isAfter(e.getEventTime());
                }
                e.getLegs()
                        .forEach(
                                leg -> {
                                    parties.add(leg.getPayer());
                                    parties.add(leg.getPayee());
                                    currencies.add(leg.getCurrency());
                                    assertThat(leg.getPayer()).isNotEqualTo(leg.getPayee());
                                    assertThat(leg.getAmount().signum()).isPositive();
                                    assertThat(leg.getAmount().scale())
                                            .isEqualTo(
                                                    Currency.getInstance(leg.getCurrency())
                                                            .getDefaultFractionDigits());
                                });
            }
        }
        assertThat(parties)
                .containsExactlyInAnyOrder(
                        "BANK_A", "BANK_B", "BANK_C", "BANK_D", "BANK_E", "BANK_F", "BANK_G",
                        "BANK_H");
        assertThat(currencies).containsExactlyInAnyOrder("USD", "EUR", "GBP", "JPY", "CHF", "BHD");
        assertThat(legCounts).containsOnlyKeys(1, 2, 3);
        assertThat((double) explicitDeadlines / bookings).isBetween(0.25, 0.35);
        double perSettlement = (double) distinct / settlements.size();
        assertThat(perSettlement).isBetween(2.0, 3.0);
    }

    /**
     * The contract's own replay of the day raises what the generator means to cause, and nothing it
     * does not: no conflicting duplicates, no duplicate bookings, no orphans.
     */
    @Test
    void theReplayOfADayRaisesTheAlertsTheTrafficIsMadeFor() {
        List<SettlementEvent> events = new ArrayList<>();
        long duplicates = 0;
        for (int i = 0; i < day.size(); i++) {
            GeneratedRecord r = day.get(i).record();
            if (!r.kind().isMalformed()) {
                events.add(decode(r, i).event());
                duplicates += r.kind().isDuplicate() ? 1 : 0;
            }
        }
        SettlementConfig config =
                SettlementConfig.builder().replay(ReplayOracle.greatestEventTime(events)).build();
        ReplayOracle.Outcome outcome = new ReplayOracle(config).run(events);

        Map<AlertType, Long> alerts =
                outcome.alerts().stream()
                        .collect(Collectors.groupingBy(Alert::getType, Collectors.counting()));
        Map<SettlementStatus, Long> results =
                outcome.results().stream()
                        .collect(
                                Collectors.groupingBy(
                                        SettlementResult::getStatus, Collectors.counting()));

        assertThat(outcome.duplicatesDropped()).isEqualTo(duplicates);
        assertThat(outcome.deadLetters()).isEmpty();
        assertThat(alerts.keySet())
                .containsAll(
                        EnumSet.of(
                                AlertType.AT_RISK,
                                AlertType.DEADLINE_MISSED,
                                AlertType.AMOUNT_MISMATCH,
                                AlertType.UNKNOWN_LEG,
                                AlertType.DOUBLE_PAYMENT))
                .doesNotContain(
                        AlertType.CONFLICTING_DUPLICATE,
                        AlertType.DUPLICATE_BOOKING,
                        AlertType.ORPHAN_EVENT);
        assertThat(results.keySet()).contains(SettlementStatus.SETTLED, SettlementStatus.CANCELLED);
        assertThat(results.get(SettlementStatus.SETTLED))
                .isGreaterThan(results.get(SettlementStatus.CANCELLED) * 10);
    }

    @Test
    void openSettlementsStayBoundedAndTheTrafficStaysValid() {
        GeneratorOptions options = GeneratorOptions.defaults(11).withMaxInFlight(50);
        TrafficGenerator generator = new TrafficGenerator(options);
        Instant now = Traffic.START;
        int maxInFlight = 0;
        int maxPending = 0;
        for (int i = 0; i < 50_000; i++) {
            GeneratedRecord r = generator.next(now);
            if (!r.kind().isMalformed()) {
                assertThat(decode(r, i).isValid()).isTrue();
            }
            maxInFlight = Math.max(maxInFlight, generator.inFlight());
            maxPending = Math.max(maxPending, generator.pendingEvents());
            now = now.plusMillis(1); // far faster than settlements complete
        }
        assertThat(maxInFlight).isEqualTo(50);
        assertThat(maxPending).isLessThan(50 * 12);
    }

    @Test
    void aClockThatStepsBackIsReadAsStandingStill() {
        TrafficGenerator generator =
                new TrafficGenerator(GeneratorOptions.defaults(5).withReorder(0).withLate(0));
        Instant t = Traffic.START.plusSeconds(60);
        generator.next(t);
        for (int i = 0; i < 100; i++) {
            GeneratedRecord r = generator.next(t.minusSeconds(30));
            if (r.kind() == Kind.EVENT) {
                assertThat(r.eventTime()).isEqualTo(t);
            }
        }
    }

    @Test
    void amountsAreAtTheCurrencysScale() {
        TrafficGenerator generator = new TrafficGenerator(GeneratorOptions.defaults(1));
        for (String currency : TrafficGenerator.CURRENCIES) {
            for (int i = 0; i < 1_000; i++) {
                BigDecimal amount = generator.amount(currency, 2, 8);
                assertThat(amount.signum()).isPositive();
                assertThat(amount.scale())
                        .isEqualTo(Currency.getInstance(currency).getDefaultFractionDigits());
            }
        }
    }

    private static double share(Kind kind) {
        return kinds.getOrDefault(kind, 0L) / (double) RECORDS;
    }
}
