package io.settle.jobs;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;

import io.settle.operators.codec.EventCodec;
import io.settle.operators.codec.OutputCodec;
import io.settle.operators.core.ReplayOracle;
import io.settle.operators.core.SettlementConfig;
import io.settle.operators.model.AlertType;
import io.settle.operators.model.Leg;
import io.settle.operators.model.SettlementEvent;
import io.settle.testkit.BrokerExtension;
import io.settle.testkit.Flink;
import io.settle.testkit.JsonLines;
import io.settle.testkit.Kafka;
import io.settle.testkit.OracleCheck;
import io.settle.testkit.TopicReader;
import io.settle.testkit.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One clock, on a real broker and a MiniCluster: the SLA clock never runs ahead of events the job
 * has not read yet, whatever the outage, the lag or the restarts; a late event applies after
 * everything the watermark passed. Each of these gave a wrong answer with 0.1.0's wall-clock ticks.
 */
class OneClockITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster();
    @RegisterExtension static final BrokerExtension BROKER = new BrokerExtension();

    private static final OutputCodec OUT = new OutputCodec();
    private static final EventCodec CODEC = new EventCodec();

    private static Leg leg(String id, String currency, String amount) {
        return new Leg(id, "BANK_A", "BANK_B", currency, new BigDecimal(amount));
    }

    private static JobClient start(
            MiniCluster cluster, SettleOptions.Parsed options, Path checkpoints, String restore)
            throws Exception {
        StreamExecutionEnvironment env = Flink.env(checkpoints, restore);
        SettlementJob.prepare(env, options);
        JobClient job = env.executeAsync("settle one-clock ITCase");
        Flink.awaitAllTasksRunning(cluster, job.getJobID());
        return job;
    }

    private static String stop(JobClient job, Path savepoints) throws Exception {
        return job.stopWithSavepoint(
                        false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                .get(60, TimeUnit.SECONDS);
    }

    private static void send(
            KafkaProducer<byte[], byte[]> producer, String topic, SettlementEvent e)
            throws Exception {
        producer.send(
                        new ProducerRecord<>(
                                topic,
                                Math.floorMod(e.getSettlementId().hashCode(), 2),
                                e.getSettlementId().getBytes(StandardCharsets.UTF_8),
                                CODEC.encode(e).getBytes(StandardCharsets.UTF_8)))
                .get();
    }

    /**
     * Sends {@code count} settlements (a booking and its one confirmation each, a day to pay),
     * stamped evenly from {@code from} over {@code spanMillis}, keyed; returns their events.
     */
    private static List<SettlementEvent> backlog(
            KafkaProducer<byte[], byte[]> producer,
            String topic,
            String prefix,
            int count,
            Instant from,
            long spanMillis)
            throws Exception {
        List<SettlementEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Instant t = from.plusMillis(i * spanMillis / count);
            String id = prefix + "-" + i;
            Leg usd = leg("USD", "USD", "1.00");
            events.add(
                    SettlementEvent.booked(
                            "b-" + id, id, t, t.plus(Duration.ofDays(1)), List.of(usd)));
            events.add(SettlementEvent.confirmed("c-" + id, id, t, "USD", "USD", usd.getAmount()));
        }
        for (SettlementEvent e : events) {
            producer.send(
                    new ProducerRecord<>(
                            topic,
                            Math.floorMod(e.getSettlementId().hashCode(), 2),
                            e.getSettlementId().getBytes(StandardCharsets.UTF_8),
                            CODEC.encode(e).getBytes(StandardCharsets.UTF_8)));
        }
        producer.flush();
        return events;
    }

    /**
     * (a) An outage: a settlement whose deadline is seconds away, the job stopped with a savepoint,
     * its confirmations (stamped before the deadline) reach the topic while the job is down, and
     * the job comes back after the deadline and the expiry have passed: SETTLED, not breached, no
     * DEADLINE_MISSED and no EXPIRED, exactly as the oracle says.
     */
    @Test
    void paymentsMadeInTimeDuringAnOutageSettleUnbreachedWhenTheJobComesBack(
            @InjectMiniCluster MiniCluster cluster, @TempDir Path work) throws Exception {
        Topics topics = Topics.named("outage").create(BROKER.kafka(), 2);
        SettleOptions.Parsed options =
                Its.liveOptions(
                        BROKER.kafka(),
                        topics,
                        "settle-outage",
                        "--sla.at-risk-lead",
                        "2s",
                        "--settlement.expiry",
                        "3s");
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant deadline = t0.plusSeconds(6);
        List<SettlementEvent> events =
                List.of(
                        SettlementEvent.booked(
                                "b-1",
                                "OUT-1",
                                t0,
                                deadline,
                                List.of(leg("USD", "USD", "100.00"), leg("EUR", "EUR", "90.00"))),
                        SettlementEvent.confirmed(
                                "c-1",
                                "OUT-1",
                                t0.plusSeconds(2),
                                "USD",
                                "USD",
                                new BigDecimal("100.00")),
                        SettlementEvent.confirmed(
                                "c-2",
                                "OUT-1",
                                t0.plusSeconds(3),
                                "EUR",
                                "EUR",
                                new BigDecimal("90.00")));
        try (KafkaProducer<byte[], byte[]> producer = Kafka.producer(BROKER.bootstrap());
                TopicReader results = new TopicReader(BROKER.kafka(), topics.results());
                TopicReader alerts = new TopicReader(BROKER.kafka(), topics.alerts())) {
            JobClient job = start(cluster, options, work.resolve("cp1"), null);
            send(producer, topics.events(), events.get(0));
            Thread.sleep(2_500); // the booking is read and checkpointed
            String savepoint = stop(job, work.resolve("savepoints"));

            // Down: the rails confirm both legs in time, behind a backlog of other traffic of the
            // same seconds; nobody reads any of it.
            List<SettlementEvent> all = new ArrayList<>(events);
            all.addAll(backlog(producer, topics.events(), "FILL", 6_000, t0.plusSeconds(1), 2_000));
            Thread.sleep(
                    Math.max(0, Duration.between(Instant.now(), t0.plusSeconds(3)).toMillis()));
            send(producer, topics.events(), events.get(1));
            send(producer, topics.events(), events.get(2));
            // Back after the deadline and the expiry instant, allowance included.
            Thread.sleep(
                    Math.max(
                            0,
                            Duration.between(Instant.now(), deadline.plusSeconds(6)).toMillis()));
            job = start(cluster, options, work.resolve("cp2"), savepoint);
            try {
                ReplayOracle.Outcome expected =
                        new ReplayOracle(
                                        options.settlementConfig(null).toBuilder()
                                                .replay(Instant.now().minusSeconds(3))
                                                .build())
                                .run(all);
                assertThat(expected.results())
                        .filteredOn(r -> r.getSettlementId().equals("OUT-1"))
                        .singleElement()
                        .satisfies(r -> assertThat(r.isBreached()).isFalse());
                OracleCheck.assertResultsExactlyOnce(
                        results,
                        JsonLines.of(expected.results(), OUT::result),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(3));
                assertThat(JsonLines.sorted(alerts.pollFor(Duration.ofSeconds(1))))
                        .isEqualTo(JsonLines.of(expected.alerts(), OUT::alert))
                        .noneMatch(a -> a.contains(AlertType.DEADLINE_MISSED.name()))
                        .noneMatch(a -> a.contains("EXPIRED"));
            } finally {
                job.cancel().get(30, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * (e) A restart into a quiet topic: a settlement booked with a deadline seconds away, the job
     * stopped with a savepoint and restored, and no record after that. With nothing to read, the
     * restored job has caught up: its clock follows the wall clock, and the deadline is missed on
     * time, as the oracle says, though no split has had a record since the restore.
     */
    @Test
    void aJobRestoredIntoAQuietTopicStillRaisesItsDeadlinesOnTime(
            @InjectMiniCluster MiniCluster cluster, @TempDir Path work) throws Exception {
        Topics topics = Topics.named("quiet").create(BROKER.kafka(), 2);
        SettleOptions.Parsed options =
                Its.liveOptions(
                        BROKER.kafka(),
                        topics,
                        "settle-quiet",
                        "--sla.at-risk-lead",
                        "2s",
                        "--settlement.expiry",
                        "1h");
        try (KafkaProducer<byte[], byte[]> producer = Kafka.producer(BROKER.bootstrap());
                TopicReader alerts = new TopicReader(BROKER.kafka(), topics.alerts())) {
            JobClient job = start(cluster, options, work.resolve("cp1"), null);
            Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            SettlementEvent booked =
                    SettlementEvent.booked(
                            "b-1",
                            "QUIET-1",
                            t0,
                            t0.plusSeconds(8),
                            List.of(leg("USD", "USD", "100.00")));
            send(producer, topics.events(), booked);
            Thread.sleep(2_500); // read and checkpointed
            String savepoint = stop(job, work.resolve("savepoints"));
            job = start(cluster, options, work.resolve("cp2"), savepoint);
            try {
                List<String> wanted =
                        JsonLines.of(
                                new ReplayOracle(
                                                options.settlementConfig(null).toBuilder()
                                                        .replay(t0.plusSeconds(20))
                                                        .build())
                                        .run(List.of(booked))
                                        .alerts(),
                                OUT::alert);
                assertThat(wanted)
                        .anyMatch(a -> a.contains(AlertType.AT_RISK.name()))
                        .anyMatch(a -> a.contains(AlertType.DEADLINE_MISSED.name()));
                alerts.awaitCount(wanted.size(), Duration.ofSeconds(30));
                assertThat(JsonLines.sorted(alerts.pollFor(Duration.ofSeconds(1))))
                        .isEqualTo(wanted);
            } finally {
                job.cancel().get(30, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * (b) Lag: a backlog whose deadlines, and expiry instants, all passed in wall-clock time before
     * the job starts reading it. The job reads it as the oracle does: a settlement confirmed in
     * time settles unbreached, one confirmed late is breached, one never confirmed misses its
     * deadline and expires, whatever the order the ticks were due in by the wall clock.
     */
    @Test
    void aBacklogWhoseDeadlinesPassedWhileNobodyReadItGivesTheOraclesOutcome(
            @InjectMiniCluster MiniCluster cluster, @TempDir Path work) throws Exception {
        Topics topics = Topics.named("backlog").create(BROKER.kafka(), 4);
        SettleOptions.Parsed options =
                Its.liveOptions(
                        BROKER.kafka(),
                        topics,
                        "settle-backlog",
                        "--sla.at-risk-lead",
                        "10s",
                        "--settlement.expiry",
                        "20s");
        Random r = new Random(2L);
        Instant base = Instant.now().minus(Duration.ofMinutes(6)).truncatedTo(ChronoUnit.MILLIS);
        List<SettlementEvent> events = new ArrayList<>();
        for (int i = 0; i < 6_000; i++) {
            String id = "LAG-" + i;
            Instant booked = base.plusMillis(i * 30L);
            Instant deadline = booked.plusSeconds(30);
            List<Leg> legs = List.of(leg("USD", "USD", "10.00"), leg("JPY", "JPY", "1000"));
            events.add(SettlementEvent.booked("b-" + i, id, booked, deadline, legs));
            int fate = r.nextInt(10);
            if (fate == 0) {
                continue; // never confirmed: at risk, missed, expired
            }
            if (fate == 1) {
                events.add(SettlementEvent.cancelled("x-" + i, id, booked.plusSeconds(5), null));
                continue;
            }
            // In time, or (fate 2) late: confirmations up to a minute after the deadline.
            long spread = fate == 2 ? 90_000 : 25_000;
            for (Leg leg : legs) {
                events.add(
                        SettlementEvent.confirmed(
                                "c-" + leg.getLegId() + "-" + i,
                                id,
                                booked.plusMillis(1 + r.nextInt((int) spread)),
                                leg.getLegId(),
                                leg.getCurrency(),
                                leg.getAmount()));
            }
        }
        // The topic holds them in event-time order, give or take a second (within the allowance).
        events.sort(
                Comparator.comparingLong(
                        e -> e.getEventTime().toEpochMilli() + (long) (r.nextDouble() * 1_000)));
        Instant greatest = ReplayOracle.greatestEventTime(events);
        assertThat(greatest.plusSeconds(30)).isBefore(Instant.now());
        try (KafkaProducer<byte[], byte[]> producer = Kafka.producer(BROKER.bootstrap())) {
            for (SettlementEvent e : events) {
                producer.send(
                        new ProducerRecord<>(
                                topics.events(),
                                Math.floorMod(e.getSettlementId().hashCode(), 4),
                                e.getSettlementId().getBytes(StandardCharsets.UTF_8),
                                CODEC.encode(e).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
        SettlementConfig config = options.settlementConfig(null);
        // Every tick of the backlog lies before now: the oracle's clock may stop at now.
        ReplayOracle.Outcome expected =
                new ReplayOracle(config.toBuilder().replay(Instant.now().minusSeconds(3)).build())
                        .run(events);
        assertThat(expected.results()).hasSizeGreaterThan(5_000);
        assertThat(expected.results()).anyMatch(res -> res.isBreached());
        assertThat(expected.results()).anyMatch(res -> !res.isBreached());

        JobClient job = start(cluster, options, work.resolve("cp"), null);
        try (TopicReader results = new TopicReader(BROKER.kafka(), topics.results());
                TopicReader alerts = new TopicReader(BROKER.kafka(), topics.alerts())) {
            OracleCheck.assertResultsExactlyOnce(
                    results,
                    JsonLines.of(expected.results(), OUT::result),
                    Duration.ofSeconds(60),
                    Duration.ofSeconds(3));
            List<String> wantedAlerts = JsonLines.of(expected.alerts(), OUT::alert);
            alerts.awaitCount(wantedAlerts.size(), Duration.ofSeconds(15));
            assertThat(JsonLines.sorted(alerts.pollFor(Duration.ofSeconds(1))))
                    .isEqualTo(wantedAlerts);
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * (c) Any arrival schedule within the allowance, with restores at random points: traffic sent
     * live (each record up to 1.5 s after its event time, duplicates included), the job stopped
     * with a savepoint and restored twice at points the seed picks. Results exactly once and every
     * alert, as the oracle says over the records of the topic.
     */
    @Test
    void anyScheduleWithinTheAllowanceWithRestoresAtRandomPointsGivesTheOraclesOutcome(
            @InjectMiniCluster MiniCluster cluster, @TempDir Path work) throws Exception {
        long seed = Long.getLong("settle.seed", System.nanoTime());
        Random r = new Random(seed);
        Topics topics = Topics.named("sched").create(BROKER.kafka(), 4);
        SettleOptions.Parsed options =
                Its.liveOptions(
                        BROKER.kafka(),
                        topics,
                        "settle-sched",
                        "--sla.at-risk-lead",
                        "3s",
                        "--settlement.expiry",
                        "4s");
        // A day squeezed a thousandfold: settlements over 25 s, deadlines 1 to 10 s after their
        // booking, so ticks fire during the run, confirmations before and after them.
        Instant base = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.MILLIS);
        List<SettlementEvent> day = new ArrayList<>();
        for (SettlementEvent e : io.settle.operators.RandomDay.generate(seed, 300)) {
            day.add(Its.squeezed(e, Instant.parse("2026-11-25T06:00:00Z"), base, 1000));
        }
        day.sort(Comparator.comparing(SettlementEvent::getEventTime));
        long[] stops = {5_000 + r.nextInt(8_000), 15_000 + r.nextInt(8_000)};

        JobClient job = start(cluster, options, work.resolve("cp0"), null);
        int restores = 0;
        try (KafkaProducer<byte[], byte[]> producer = Kafka.producer(BROKER.bootstrap());
                TopicReader results = new TopicReader(BROKER.kafka(), topics.results());
                TopicReader alerts = new TopicReader(BROKER.kafka(), topics.alerts())) {
            Thread sender =
                    new Thread(
                            () -> {
                                try {
                                    for (SettlementEvent e : day) {
                                        long at =
                                                e.getEventTime().toEpochMilli()
                                                        + (long) (r.nextDouble() * 1_500);
                                        long wait = at - System.currentTimeMillis();
                                        if (wait > 0) {
                                            Thread.sleep(wait);
                                        }
                                        send(producer, topics.events(), e);
                                        if (r.nextInt(8) == 0) {
                                            send(producer, topics.events(), e); // a re-send
                                        }
                                    }
                                } catch (Exception e) {
                                    throw new RuntimeException(e);
                                }
                            });
            sender.start();
            for (long stopAt : stops) {
                Thread.sleep(
                        Math.max(0, base.toEpochMilli() + stopAt - System.currentTimeMillis()));
                String savepoint = stop(job, work.resolve("savepoints"));
                Thread.sleep(r.nextInt(3_000));
                job = start(cluster, options, work.resolve("cp" + (++restores)), savepoint);
            }
            sender.join();

            List<OracleCheck.EventRecord> records =
                    Kafka.readAll(BROKER.bootstrap(), topics.events(), Duration.ofSeconds(30));
            OracleCheck.Expected expected =
                    OracleCheck.expected(records, options.settlementConfig(null));
            results.awaitUntil(
                    Duration.ofSeconds(40),
                    "every result the oracle expects",
                    recs ->
                            recs.stream()
                                    .map(
                                            rec ->
                                                    JsonLines.parse(
                                                                    new String(
                                                                            rec.value(),
                                                                            StandardCharsets.UTF_8))
                                                            .path("resultId")
                                                            .asText())
                                    .toList()
                                    .containsAll(expected.results().keySet()));
            Thread.sleep(3_000);
            OracleCheck.Report report =
                    OracleCheck.compare(
                            expected,
                            new OracleCheck.Actual(
                                    results.pollFor(Duration.ofSeconds(1)),
                                    alerts.pollFor(Duration.ofSeconds(1)),
                                    List.of(),
                                    null));
            assertThat(report.results().ok())
                    .as(
                            "seed %d (-Dsettle.seed=%d)%n%s",
                            seed, seed, String.join("\n", report.lines()))
                    .isTrue();
            assertThat(report.alerts().ok())
                    .as(
                            "seed %d (-Dsettle.seed=%d)%n%s",
                            seed, seed, String.join("\n", report.lines()))
                    .isTrue();
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * (d) A late event applies after everything the watermark already passed: a settlement
     * confirmed (its only leg) and then cancelled, both applied; a cancellation stamped before both
     * arrives after the watermark passed them. The settlement stays SETTLED by its confirmation;
     * the late cancellation raises LATE_EVENT and CANCEL_REJECTED.
     */
    @Test
    void aLateEventAppliesAfterEverythingTheWatermarkPassed(
            @InjectMiniCluster MiniCluster cluster, @TempDir Path work) throws Exception {
        Topics topics = Topics.named("late").create(BROKER.kafka(), 2);
        SettleOptions.Parsed options = Its.liveOptions(BROKER.kafka(), topics, "settle-late");
        Instant t = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
        SettlementEvent booking =
                SettlementEvent.booked(
                        "b-1",
                        "LATE-1",
                        t,
                        t.plus(Duration.ofHours(1)),
                        List.of(leg("USD", "USD", "5.00")));
        SettlementEvent confirm =
                SettlementEvent.confirmed(
                        "c-1", "LATE-1", t.plusMillis(10), "USD", "USD", new BigDecimal("5.00"));
        SettlementEvent cancel = SettlementEvent.cancelled("x-1", "LATE-1", t.plusMillis(60), null);
        SettlementEvent lateCancel =
                SettlementEvent.cancelled("x-0", "LATE-1", t.plusMillis(5), "stamped before all");
        JobClient job = start(cluster, options, work.resolve("cp"), null);
        try (KafkaProducer<byte[], byte[]> producer = Kafka.producer(BROKER.bootstrap());
                TopicReader results = new TopicReader(BROKER.kafka(), topics.results());
                TopicReader alerts = new TopicReader(BROKER.kafka(), topics.alerts())) {
            send(producer, topics.events(), booking);
            send(producer, topics.events(), confirm);
            send(producer, topics.events(), cancel);
            results.awaitCount(1, Duration.ofSeconds(30)); // the watermark passed all three
            send(producer, topics.events(), lateCancel);
            alerts.awaitUntil(
                    Duration.ofSeconds(30),
                    "the late cancellation's alerts",
                    recs -> recs.size() >= 3);
            assertThat(results.pollFor(Duration.ofSeconds(2)))
                    .singleElement()
                    .satisfies(
                            res ->
                                    assertThat(JsonLines.parse(res).path("status").asText())
                                            .isEqualTo("SETTLED"));
            assertThat(alerts.values())
                    .extracting(a -> JsonLines.parse(a).path("alertId").asText())
                    .containsExactlyInAnyOrder(
                            "LATE-1:CANCEL_REJECTED:x-1",
                            "LATE-1:LATE_EVENT:x-0",
                            "LATE-1:CANCEL_REJECTED:x-0");
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }
}
