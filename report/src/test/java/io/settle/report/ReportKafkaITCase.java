package io.settle.report;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import io.settle.testkit.EmbeddedKafka;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import static io.settle.report.ReportFixture.expected;
import static io.settle.report.ReportFixture.leaves;
import static io.settle.report.ReportFixture.t;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The report from the Kafka topics of a live job, on a real broker: the fixture's records are
 * written with record times near their business instants, in transactions (one aborted), and the
 * report of 07:20 to 09:20 reads, read_committed, from the offsets at 06:50 (a 30 minute margin) to
 * the latest, keeps what its business instants put in the period, and counts as still open the
 * settlements alerted in the period whose result came after it, or never. The commit markers carry
 * the wall clock's time, later than the records': reading to the offsets at 09:50 would stop at the
 * first marker and miss most of the period.
 */
class ReportKafkaITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    static final String RESULTS = "report.results";
    static final String ALERTS = "report.alerts";
    static final String DEAD_LETTERS = "report.dead-letters";

    static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = EmbeddedKafka.start();
        kafka.createTopics(1, RESULTS, ALERTS, DEAD_LETTERS);
        publish();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    private record Out(String topic, Instant time, String key, String json) {}

    /** The fixture as the live job writes it, in record-time order per topic. */
    private static void publish() throws Exception {
        List<Out> results = new ArrayList<>();
        // Written long before the period and its margin: never read.
        ReportFixture.Result early =
                new ReportFixture.Result(
                        "S0",
                        "SETTLED",
                        "04:30",
                        "05:00",
                        "06:30",
                        List.of("BANK_Z"),
                        List.of("USD"));
        results.add(new Out(RESULTS, t("05:00"), "S0", early.json()));
        for (ReportFixture.Result r : ReportFixture.RESULTS) {
            results.add(new Out(RESULTS, ReportFixture.recordTime(t(r.ended())), r.id(), r.json()));
        }
        List<Out> alerts = new ArrayList<>();
        for (ReportFixture.Alert a : ReportFixture.ALERTS) {
            alerts.add(
                    new Out(
                            ALERTS,
                            ReportFixture.recordTime(t(a.at())),
                            a.settlementId(),
                            a.json()));
        }
        ReportFixture.Alert copy = ReportFixture.ALERT_COPY; // at least once: delivered twice
        alerts.add(
                new Out(
                        ALERTS,
                        ReportFixture.recordTime(t(copy.at())),
                        copy.settlementId(),
                        copy.json()));
        List<Out> dead = new ArrayList<>();
        for (ReportFixture.DeadLetter d : ReportFixture.DEAD_LETTERS) {
            dead.add(new Out(DEAD_LETTERS, t(d.written()), d.settlementId(), d.json()));
        }
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "report-fixture");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            producer.initTransactions();
            for (List<Out> topic : List.of(results, alerts, dead)) {
                topic.sort(Comparator.comparing(Out::time));
                producer.beginTransaction();
                boolean aborted = false;
                for (Out o : topic) {
                    if (o.topic().equals(RESULTS) && o.time().isAfter(t("08:16")) && !aborted) {
                        aborted = true;
                        // A result that was never committed sits between the committed ones.
                        producer.commitTransaction();
                        producer.beginTransaction();
                        send(
                                producer,
                                new Out(
                                        RESULTS,
                                        t("08:20"),
                                        "S99",
                                        new ReportFixture.Result(
                                                        "S99",
                                                        "SETTLED",
                                                        "08:00",
                                                        "08:20",
                                                        "10:00",
                                                        List.of("BANK_Z"),
                                                        List.of("USD"))
                                                .json()));
                        producer.flush();
                        producer.abortTransaction();
                        producer.beginTransaction();
                    }
                    send(producer, o);
                }
                producer.commitTransaction();
            }
        }
    }

    private static void send(KafkaProducer<String, String> producer, Out o) {
        producer.send(
                new ProducerRecord<>(o.topic(), 0, o.time().toEpochMilli(), o.key(), o.json()));
    }

    @Test
    @Timeout(120)
    void theTopicsOfAPeriodGiveTheKnownAnswer(@TempDir Path dir) throws Exception {
        JsonNode json =
                ReportITCase.report(
                        dir.resolve("report"),
                        "--kafka.bootstrap-servers",
                        kafka.bootstrapServers(),
                        "--topic.results",
                        RESULTS,
                        "--topic.alerts",
                        ALERTS,
                        "--topic.dead-letters",
                        DEAD_LETTERS,
                        "--from",
                        "2026-11-25T07:20:00Z",
                        "--to",
                        "2026-11-25T09:20:00Z",
                        "--kafka.read-margin",
                        "30 min");

        Instant readFrom = t("06:50");
        ReportFixture.Case c =
                new ReportFixture.Case(
                        t("07:20"),
                        t("09:20"),
                        true,
                        new BigDecimal("99.5"),
                        Duration.ofHours(2),
                        Set.of("CONFLICTING_DUPLICATE"),
                        x -> !x.isBefore(readFrom));
        assertThat(leaves(json, ReportITCase.NOT_FIGURES))
                .containsExactlyEntriesOf(leaves(expected(c), ReportITCase.NOT_FIGURES));

        // By hand: S2, S3, S4 settled on time and S6 cancelled in the period (the aborted S99
        // is not read); S5, S7, S8 missed their deadline in it and had no result by 09:20.
        assertThat(json.at("/source/mode").asText()).isEqualTo("kafka");
        assertThat(json.at("/totals/results").asLong()).isEqualTo(4);
        assertThat(json.at("/totals/deadlineMissed").asLong()).isEqualTo(3);
        assertThat(json.at("/slas/0/actual").decimalValue()).isEqualByComparingTo("50");
        assertThat(json.at("/openAtEnd/basis").asText()).isEqualTo("ALERTS_WITHOUT_RESULT");
        assertThat(json.at("/openAtEnd/byState/DEADLINE_MISSED").asLong()).isEqualTo(3);
        // S5 settled at 09:30, after the period: still open at 09:20, its booking known.
        assertThat(json.at("/openAtEnd/items/0/settlementId").asText()).isEqualTo("S5");
        assertThat(json.at("/openAtEnd/items/0/bookedAt").asText())
                .isEqualTo("2026-11-25T07:00:00Z");
        // Dead letters by the time they were written: 4 of 7 in the period, 3 unexplained.
        assertThat(json.at("/totals/deadLetters").asLong()).isEqualTo(4);
        assertThat(json.at("/slas/2/actual").asLong()).isEqualTo(3);
        assertThat(json.at("/totals/duplicateRecords").asLong()).isEqualTo(1);
        // Read: S1 to S8 (not S0, written before the margin; not the aborted S99), every alert
        // and the copy of one.
        assertThat(json.at("/input/0/read").asLong()).isEqualTo(8);
        assertThat(json.at("/input/1/read").asLong()).isEqualTo(14);

        ReportITCase.checkInBrowser(
                dir.resolve("report").resolve(ReportJob.REPORT_HTML), dir, "kafka");
    }
}
