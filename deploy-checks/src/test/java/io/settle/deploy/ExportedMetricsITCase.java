package io.settle.deploy;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import io.settle.jobs.SettleOptions;
import io.settle.jobs.SettlementJob;
import io.settle.operators.codec.EventCodec;
import io.settle.operators.model.AlertType;
import io.settle.operators.model.Leg;
import io.settle.operators.model.ReasonCode;
import io.settle.operators.model.SettlementEvent;
import io.settle.testkit.EmbeddedKafka;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every metric the alert rules and the dashboard read is one the job really exports: the live job
 * runs on a MiniCluster whose Prometheus reporter listens on a free port, reads a few events from a
 * real Kafka broker, and its {@code /metrics} is scraped. Names the rules and the dashboard use
 * must all be in the scrape, with the labels they aggregate by; every alert type, dead-letter
 * reason and end status is a value of its label.
 */
class ExportedMetricsITCase {

    private static final int REPORTER_PORT = freePort();

    static final String ALERTS = "flink_taskmanager_job_task_operator_type_alerts";
    static final String DEAD_LETTERS = "flink_taskmanager_job_task_operator_reason_deadLetters";
    static final String ENDED = "flink_taskmanager_job_task_operator_status_settlementsEnded";

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .setConfiguration(reporter())
                            .build());

    private static EmbeddedKafka kafka;

    private static Configuration reporter() {
        Configuration conf = new Configuration();
        conf.set(MetricOptions.REPORTERS_LIST, "prom");
        conf.setString(
                "metrics.reporter.prom.factory.class",
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        conf.setString("metrics.reporter.prom.port", Integer.toString(REPORTER_PORT));
        return conf;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    static void startKafka() throws Exception {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopKafka() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    /** One scrape: sample name to the label sets it was exported with. */
    record Scrape(Map<String, List<String>> samples) {
        Set<String> names() {
            return new TreeSet<>(samples.keySet());
        }

        double sum(String name) {
            double sum = 0;
            for (String line : samples.getOrDefault(name, List.of())) {
                String v = line.substring(line.lastIndexOf(' ') + 1);
                if (!v.equals("NaN")) {
                    sum += Double.parseDouble(v);
                }
            }
            return sum;
        }

        /** The sum of the samples of {@code name} whose label {@code label} is {@code value}. */
        double sum(String name, String label, String value) {
            double sum = 0;
            for (String line : samples.getOrDefault(name, List.of())) {
                String v = line.substring(line.lastIndexOf(' ') + 1);
                if (line.contains(label + "=\"" + value + "\"") && !v.equals("NaN")) {
                    sum += Double.parseDouble(v);
                }
            }
            return sum;
        }

        /** Every value the label {@code label} takes on the samples of {@code name}. */
        Set<String> labelValues(String name, String label) {
            Set<String> values = new TreeSet<>();
            Pattern p = Pattern.compile(Pattern.quote(label) + "=\"([^\"]*)\"");
            for (String line : samples.getOrDefault(name, List.of())) {
                var m = p.matcher(line);
                if (m.find()) {
                    values.add(m.group(1));
                }
            }
            return values;
        }

        boolean hasLabel(String name, String label) {
            return samples.getOrDefault(name, List.of()).stream()
                    .anyMatch(l -> l.contains(label + "=\""));
        }
    }

    static Scrape scrape() throws IOException, InterruptedException {
        HttpResponse<String> r =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        "http://localhost:"
                                                                + REPORTER_PORT
                                                                + "/metrics"))
                                        .timeout(Duration.ofSeconds(5))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        Map<String, List<String>> samples = new HashMap<>();
        for (String line : r.body().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = line.indexOf('{');
            if (end < 0) {
                end = line.indexOf(' ');
            }
            samples.computeIfAbsent(line.substring(0, end), k -> new ArrayList<>()).add(line);
        }
        return new Scrape(samples);
    }

    private static void send(List<byte[]> records, String topic) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < records.size(); i++) {
                producer.send(new ProducerRecord<>(topic, i % 2, null, records.get(i))).get();
            }
        }
    }

    /** A settlement that settles, its exact duplicate, a double payment and a malformed record. */
    private static List<byte[]> traffic() {
        EventCodec codec = new EventCodec();
        Instant now = Instant.now();
        Leg usd = new Leg("USD", "BANK_A", "BANK_B", "USD", new BigDecimal("250.00"));
        Leg eur = new Leg("EUR", "BANK_B", "BANK_A", "EUR", new BigDecimal("230.00"));
        List<SettlementEvent> events =
                List.of(
                        SettlementEvent.booked(
                                "b-1", "M-1", now, now.plusSeconds(3600), List.of(usd)),
                        SettlementEvent.confirmed(
                                "c-1", "M-1", now.plusMillis(10), "USD", "USD", usd.getAmount()),
                        SettlementEvent.booked(
                                "b-2", "M-2", now, now.plusSeconds(3600), List.of(usd, eur)),
                        SettlementEvent.confirmed(
                                "c-2", "M-2", now.plusMillis(20), "USD", "USD", usd.getAmount()),
                        SettlementEvent.confirmed(
                                "c-3", "M-2", now.plusMillis(30), "USD", "USD", usd.getAmount()));
        List<byte[]> records = new ArrayList<>();
        for (SettlementEvent e : events) {
            records.add(codec.encode(e).getBytes(StandardCharsets.UTF_8));
        }
        records.add(records.get(0).clone()); // an exact duplicate
        records.add("{\"eventType\": ".getBytes(StandardCharsets.UTF_8)); // malformed
        return records;
    }

    @Test
    void everyMetricTheRulesAndTheDashboardReadIsExported(@TempDir Path checkpoints)
            throws Exception {
        String prefix = "metrics";
        kafka.createTopics(2, prefix + ".events");
        kafka.createTopics(1, prefix + ".results", prefix + ".alerts", prefix + ".dead-letters");
        SettleOptions.Parsed options =
                SettleOptions.parse(
                        new String[] {
                            "--kafka.bootstrap-servers",
                            kafka.bootstrapServers(),
                            "--start-from",
                            "earliest",
                            "--topic.events",
                            prefix + ".events",
                            "--topic.results",
                            prefix + ".results",
                            "--topic.alerts",
                            prefix + ".alerts",
                            "--topic.dead-letters",
                            prefix + ".dead-letters",
                            "--kafka.group-id",
                            prefix,
                            "--kafka.transactional-id-prefix",
                            prefix,
                            "--checkpoint.interval",
                            "1s",
                            "--parallelism",
                            "2"
                        },
                        Map.of());
        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        SettlementJob.prepare(env, options);
        JobClient job = env.executeAsync("Settle live");
        try {
            send(traffic(), prefix + ".events");
            Scrape scrape = awaitScrape(Duration.ofSeconds(45));

            Map<String, String> reads = new LinkedHashMap<>(Monitoring.alerts());
            reads.putAll(Monitoring.dashboardQueries());
            reads.putAll(Monitoring.templateQueries());
            Set<String> names = scrape.names();
            List<String> missing = new ArrayList<>();
            int exact = 0;
            for (Map.Entry<String, String> read : reads.entrySet()) {
                PromQl.Names used = PromQl.names(read.getValue());
                for (String name : used.exact()) {
                    exact++;
                    if (!names.contains(name)) {
                        missing.add(read.getKey() + ": " + name);
                    }
                }
                for (Pattern pattern : used.patterns()) {
                    if (names.stream().noneMatch(n -> pattern.matcher(n).matches())) {
                        missing.add(read.getKey() + ": nothing matches " + pattern);
                    }
                }
            }
            assertThat(missing).as("metrics read but not exported").isEmpty();
            assertThat(exact).isGreaterThan(40);

            // Every alert type, dead-letter reason and end status is a label value.
            List<String> types = new ArrayList<>();
            for (AlertType t : AlertType.values()) {
                types.add(t.name());
            }
            assertThat(scrape.labelValues(ALERTS, "type"))
                    .containsExactlyInAnyOrderElementsOf(types);
            List<String> reasons = new ArrayList<>();
            for (ReasonCode r : ReasonCode.values()) {
                reasons.add(r.name());
            }
            assertThat(scrape.labelValues(DEAD_LETTERS, "reason"))
                    .containsExactlyInAnyOrderElementsOf(reasons);
            assertThat(scrape.labelValues(ENDED, "status"))
                    .containsExactlyInAnyOrder("SETTLED", "CANCELLED", "EXPIRED");
            // The labels the rules and the dashboard aggregate or select by.
            assertThat(
                            scrape.hasLabel(
                                    "flink_taskmanager_job_task_backPressuredTimeMsPerSecond",
                                    "task_name"))
                    .isTrue();
            assertThat(
                            scrape.hasLabel(
                                    "flink_taskmanager_job_task_operator_settlementLatencyMs",
                                    "quantile"))
                    .isTrue();
            assertThat(scrape.sum("flink_jobmanager_numRunningJobs")).isEqualTo(1.0);
            assertThat(scrape.sum(DEAD_LETTERS, "reason", "MALFORMED_JSON")).isEqualTo(1.0);
            assertThat(scrape.sum(ALERTS, "type", "DOUBLE_PAYMENT")).isEqualTo(1.0);
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    /** Scrapes until the traffic has gone through and a checkpoint completed; fails loudly. */
    private static Scrape awaitScrape(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Scrape last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = scrape();
                if (last.sum("flink_taskmanager_job_task_operator_recordsIn") >= 7
                        && last.sum(ENDED, "status", "SETTLED") >= 1
                        && last.sum(ALERTS, "type", "DOUBLE_PAYMENT") >= 1
                        && last.sum("flink_jobmanager_job_numberOfCompletedCheckpoints") >= 1
                        && last.names()
                                .contains(
                                        "flink_taskmanager_job_task_operator_KafkaSourceReader_KafkaConsumer_records_lag_max")) {
                    return last;
                }
            } catch (IOException e) {
                // the reporter is not up yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError(
                "Timed out after "
                        + timeout
                        + " waiting for the job to read 7 records, settle one, see a double payment and checkpoint; last scrape: "
                        + (last == null
                                ? "none"
                                : "recordsIn "
                                        + last.sum("flink_taskmanager_job_task_operator_recordsIn")
                                        + ", settled "
                                        + last.sum(ENDED, "status", "SETTLED")
                                        + ", checkpoints "
                                        + last.sum(
                                                "flink_jobmanager_job_numberOfCompletedCheckpoints")));
    }
}
