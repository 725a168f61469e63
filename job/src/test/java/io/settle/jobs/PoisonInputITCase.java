package io.settle.jobs;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectClusterRESTAddress;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.settle.operators.codec.EventCodec;
import io.settle.operators.codec.OutputCodec;
import io.settle.operators.model.Leg;
import io.settle.operators.model.Origin;
import io.settle.operators.model.ReasonCode;
import io.settle.operators.model.SettlementEvent;
import io.settle.testkit.Await;
import io.settle.testkit.BrokerExtension;
import io.settle.testkit.Flink;
import io.settle.testkit.JsonLines;
import io.settle.testkit.Kafka;
import io.settle.testkit.OracleCheck;
import io.settle.testkit.TopicReader;
import io.settle.testkit.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Poison on the events topic among valid events: each bad record lands once in the dead-letter
 * topic with its reason and the topic, partition and offset it was produced at, its dead letter
 * bounded in size whatever the record; records of an aborted upstream transaction are never read;
 * the valid events still settle; the job never restarts and keeps checkpointing.
 */
class PoisonInputITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster();

    @RegisterExtension static final BrokerExtension BROKER = new BrokerExtension();

    /** A bad record and the reason it must be dead-lettered for. */
    private record Poison(String what, byte[] value, ReasonCode reason) {}

    @Test
    void poisonGoesToTheDeadLetterTopicWithItsOriginAndTheJobNeverRestarts(
            @InjectMiniCluster MiniCluster cluster,
            @InjectClusterRESTAddress URI rest,
            @TempDir Path checkpoints)
            throws Exception {
        Topics topics = Topics.named("poison").create(BROKER.kafka(), 2);
        SettleOptions.Parsed options = Its.liveOptions(BROKER.kafka(), topics, "settle-poison");
        JobClient job = Its.start(cluster, options, checkpoints, null, "settle poison ITCase");
        JobID jobId = job.getJobID();

        EventCodec codec = new EventCodec();
        EventCodec jobCodec =
                new EventCodec(options.get(SettleOptions.MAX_FUTURE), java.time.Clock.systemUTC());
        Instant now = Instant.now();
        Instant deadline = now.plus(Duration.ofDays(1));
        List<Leg> legs =
                List.of(
                        new Leg("USD", "BANK_A", "BANK_B", "USD", new BigDecimal("1000000.00")),
                        new Leg("JPY", "BANK_B", "BANK_A", "JPY", new BigDecimal("150000000")));
        List<SettlementEvent> valid =
                List.of(
                        SettlementEvent.booked("b-1", "P-1", now, deadline, legs),
                        SettlementEvent.confirmed(
                                "c-1", "P-1", now.plusMillis(5), "USD", "USD", bd("1000000.00")),
                        SettlementEvent.confirmed(
                                "c-2", "P-1", now.plusMillis(9), "JPY", "JPY", bd("150000000")),
                        SettlementEvent.booked("b-2", "P-2", now, deadline, legs.subList(0, 1)),
                        SettlementEvent.cancelled("x-2", "P-2", now.plusMillis(7), "give-up"));

        String confirm = codec.encode(valid.get(1));
        String tooLarge =
                "{\"eventId\":\"big\",\"type\":\"SETTLEMENT_CANCELLED\",\"settlementId\":\"P-9\","
                        + "\"eventTime\":\""
                        + now
                        + "\",\"padding\":\""
                        + "x".repeat(EventCodec.MAX_RECORD_BYTES)
                        + "\"}";
        List<Poison> poison =
                List.of(
                        new Poison(
                                "invalid UTF-8",
                                new byte[] {'{', '"', (byte) 0xff, (byte) 0xfe, '"', '}'},
                                ReasonCode.MALFORMED_JSON),
                        new Poison(
                                "truncated JSON",
                                utf8(confirm.substring(0, confirm.length() / 2)),
                                ReasonCode.MALFORMED_JSON),
                        new Poison(
                                "a JSON array",
                                utf8("[" + confirm + "]"),
                                ReasonCode.MALFORMED_JSON),
                        new Poison(
                                "no settlementId",
                                utf8(confirm.replace("\"settlementId\":\"P-1\",", "")),
                                ReasonCode.MISSING_FIELD),
                        new Poison(
                                "an amount as a number",
                                utf8(
                                        confirm.replace("\"c-1\"", "\"c-num\"")
                                                .replace("\"1000000.00\"", "1000000.00")),
                                ReasonCode.INVALID_FIELD),
                        new Poison(
                                "an unknown type",
                                utf8(confirm.replace("LEG_CONFIRMED", "LEG_REVERSED")),
                                ReasonCode.UNKNOWN_TYPE),
                        new Poison("a record over 1 MiB", utf8(tooLarge), ReasonCode.TOO_LARGE),
                        // Escaped in JSON, each NUL or control character takes six bytes: the
                        // dead letter would outgrow the producer's request, fail the sink, and
                        // restart the job onto the same record for ever, if it kept them all.
                        new Poison(
                                "400,000 NUL bytes", new byte[400_000], ReasonCode.MALFORMED_JSON),
                        new Poison(
                                "1 MiB of control characters",
                                filled(EventCodec.MAX_RECORD_BYTES, (byte) 0x01),
                                ReasonCode.MALFORMED_JSON),
                        new Poison(
                                "a mistyped year",
                                utf8(
                                        confirm.replace("\"c-1\"", "\"c-2099\"")
                                                .replace(
                                                        "\"eventTime\":\""
                                                                + now.toString().substring(0, 4),
                                                        "\"eventTime\":\"2099")),
                                ReasonCode.FUTURE_EVENT));

        // An upstream transaction that aborts: a booking of P-3 that its confirmation would
        // settle, and a record the job would dead-letter. Read committed, none of it exists.
        SettlementEvent abortedBooking =
                SettlementEvent.booked("b-3", "P-3", now, deadline, legs.subList(0, 1));
        SettlementEvent abortedConfirm =
                SettlementEvent.confirmed(
                        "c-3", "P-3", now.plusMillis(3), "USD", "USD", bd("1000000.00"));
        try (KafkaProducer<byte[], byte[]> upstream =
                Kafka.transactionalProducer(BROKER.bootstrap(), "upstream-poison")) {
            upstream.beginTransaction();
            for (int p = 0; p < 2; p++) {
                upstream.send(
                        new ProducerRecord<>(
                                topics.events(), p, null, utf8(codec.encode(abortedBooking))));
                upstream.send(
                        new ProducerRecord<>(
                                topics.events(), p, null, utf8(codec.encode(abortedConfirm))));
                upstream.send(new ProducerRecord<>(topics.events(), p, null, utf8("{not json")));
            }
            upstream.flush();
            upstream.abortTransaction();
        }

        long checkpointsBefore = Flink.completedCheckpoints(cluster, jobId);
        // Interleaved, alternating partitions; each send's metadata says where it landed.
        Map<String, RecordMetadata> landed = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = Kafka.producer(BROKER.bootstrap())) {
            int i = 0;
            for (int v = 0; v < valid.size() || i < poison.size(); v++) {
                if (v < valid.size()) {
                    SettlementEvent e = valid.get(v);
                    send(producer, topics.events(), v % 2, utf8(codec.encode(e)));
                }
                if (i < poison.size()) {
                    Poison p = poison.get(i++);
                    landed.put(p.what(), send(producer, topics.events(), i % 2, p.value()));
                }
            }
        }

        try (TopicReader deadLetters = new TopicReader(BROKER.kafka(), topics.deadLetters());
                TopicReader results = new TopicReader(BROKER.kafka(), topics.results())) {
            deadLetters.awaitCount(poison.size(), Duration.ofSeconds(60));
            List<String> dlq = deadLetters.pollFor(Duration.ofSeconds(3));
            assertThat(dlq).hasSize(poison.size());

            Map<String, JsonNode> byOrigin = new HashMap<>();
            Map<String, String> lineByOrigin = new HashMap<>();
            for (String line : dlq) {
                JsonNode d = JsonLines.parse(line);
                byOrigin.put(origin(d.path("origin")), d);
                lineByOrigin.put(origin(d.path("origin")), line);
            }
            OutputCodec out = new OutputCodec();
            for (Poison p : poison) {
                RecordMetadata m = landed.get(p.what());
                JsonNode d = byOrigin.get(m.topic() + "/" + m.partition() + "/" + m.offset());
                assertThat(d).as("the dead letter of %s, produced at %s", p.what(), m).isNotNull();
                assertThat(d.path("reason").asText()).as(p.what()).isEqualTo(p.reason().name());
                assertThat(d.path("message").asText()).as(p.what()).isNotBlank();
                // Exactly what the job's codec says of these bytes from that place (but the wall
                // clock a future event's message names, which is the job's moment, not this one).
                Origin origin = Origin.kafka(m.topic(), m.partition(), m.offset());
                ObjectNode expected =
                        (ObjectNode)
                                JsonLines.parse(
                                        out.deadLetter(
                                                jobCodec.decode(p.value(), origin).deadLetter()));
                ObjectNode actual = d.deepCopy();
                if (p.reason() == ReasonCode.FUTURE_EVENT) {
                    expected.remove("message");
                    actual.remove("message");
                }
                assertThat(expected).as(p.what()).isEqualTo(actual);
            }
            JsonNode notUtf8 = byOrigin.get(origin(landed.get("invalid UTF-8")));
            assertThat(notUtf8.path("encoding").asText()).isEqualTo("base64");
            assertThat(Base64.getDecoder().decode(notUtf8.path("raw").asText()))
                    .isEqualTo(poison.get(0).value());
            for (String hostile : List.of("400,000 NUL bytes", "1 MiB of control characters")) {
                byte[] value = poisonOf(poison, hostile);
                String line = lineByOrigin.get(origin(landed.get(hostile)));
                JsonNode d = JsonLines.parse(line);
                assertThat(d.path("rawTruncated").asBoolean()).as(hostile).isTrue();
                assertThat(d.path("rawBytes").asInt()).as(hostile).isEqualTo(value.length);
                assertThat(d.path("rawSha256").asText())
                        .as(hostile)
                        .isEqualTo(EventCodec.sha256(value, value.length));
                assertThat(utf8(line).length).as(hostile).isBetween(6 * 65_536, 420_000);
            }
            JsonNode big = byOrigin.get(origin(landed.get("a record over 1 MiB")));
            assertThat(big.path("rawTruncated").asBoolean()).isTrue();
            assertThat(big.path("rawBytes").asInt()).isEqualTo(utf8(tooLarge).length);
            assertThat(byOrigin.get(origin(landed.get("no settlementId"))).path("message").asText())
                    .contains("settlementId");
            assertThat(
                            byOrigin.get(origin(landed.get("an amount as a number")))
                                    .path("message")
                                    .asText())
                    .contains("amount");

            // The valid events settle as the oracle says, and only they: nothing of the aborted
            // transaction (P-3 would settle) and no dead letter of it (counted above).
            List<String> wanted = JsonLines.of(OracleCheck.oracle(valid).results(), out::result);
            assertThat(wanted).hasSize(2);
            results.awaitCount(wanted.size(), Duration.ofSeconds(30));
            assertThat(JsonLines.sorted(results.pollFor(Duration.ofSeconds(2)))).isEqualTo(wanted);

            // And nothing of it ever restarted the job.
            assertNeverRestarted(rest, jobId);
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            // And checkpoints (each one commits the dead letters' transaction) kept completing.
            Await.until(
                    Duration.ofSeconds(20),
                    () -> "two checkpoints completed after the poison",
                    () -> Flink.completedCheckpoints(cluster, jobId) >= checkpointsBefore + 2);
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * 20,000 fresh confirmations on one settlementId, no booking, sent to a running job: the first
     * 1,000 (the default maximum) wait for their booking, the other 19,000 land in the dead-letter
     * topic as SETTLEMENT_LIMIT, each once; a settlement beside it still settles; zero restarts and
     * checkpoints keep completing.
     */
    @Test
    void aFloodOnOneSettlementIsBoundedAndTheJobKeepsSettling(
            @InjectMiniCluster MiniCluster cluster,
            @InjectClusterRESTAddress URI rest,
            @TempDir Path checkpoints)
            throws Exception {
        Topics topics = Topics.named("flood").create(BROKER.kafka(), 2);
        SettleOptions.Parsed options = Its.liveOptions(BROKER.kafka(), topics, "settle-flood");
        JobClient job = Its.start(cluster, options, checkpoints, null, "settle flood ITCase");
        JobID jobId = job.getJobID();

        EventCodec codec = new EventCodec();
        Instant now = Instant.now();
        int n = 20_000;
        int max = options.get(SettleOptions.MAX_EVENTS);
        long checkpointsBefore = Flink.completedCheckpoints(cluster, jobId);
        List<SettlementEvent> beside =
                List.of(
                        SettlementEvent.booked(
                                "b-1",
                                "OK-1",
                                now,
                                now.plus(Duration.ofDays(1)),
                                List.of(new Leg("USD", "BANK_A", "BANK_B", "USD", bd("5.00")))),
                        SettlementEvent.confirmed(
                                "c-1", "OK-1", now.plusMillis(1), "USD", "USD", bd("5.00")));
        try (KafkaProducer<byte[], byte[]> producer = Kafka.producer(BROKER.bootstrap())) {
            for (int i = 0; i < n; i++) {
                SettlementEvent flood =
                        SettlementEvent.confirmed(
                                "f-" + i,
                                "FLOOD-1",
                                now.plusMillis(i % 1000),
                                "USD",
                                "USD",
                                bd("1.00"));
                producer.send(
                        new ProducerRecord<>(
                                topics.events(), utf8("FLOOD-1"), utf8(codec.encode(flood))));
            }
            for (SettlementEvent e : beside) {
                producer.send(
                        new ProducerRecord<>(
                                topics.events(), utf8(e.getSettlementId()), utf8(codec.encode(e))));
            }
            producer.flush();
        }

        try (TopicReader deadLetters = new TopicReader(BROKER.kafka(), topics.deadLetters());
                TopicReader results = new TopicReader(BROKER.kafka(), topics.results())) {
            deadLetters.awaitCount(n - max, Duration.ofSeconds(90));
            List<String> dlq = deadLetters.pollFor(Duration.ofSeconds(3));
            assertThat(dlq).hasSize(n - max);
            assertThat(
                            dlq.stream()
                                    .map(l -> JsonLines.parse(l).path("eventId").asText())
                                    .distinct())
                    .hasSize(n - max);
            assertThat(dlq)
                    .allMatch(
                            l ->
                                    JsonLines.parse(l)
                                            .path("reason")
                                            .asText()
                                            .equals("SETTLEMENT_LIMIT"));
            results.awaitCount(1, Duration.ofSeconds(30));
            assertThat(results.pollFor(Duration.ofSeconds(1)))
                    .singleElement()
                    .satisfies(r -> assertThat(r).contains("\"settlementId\":\"OK-1\"", "SETTLED"));
            assertNeverRestarted(rest, jobId);
            Await.until(
                    Duration.ofSeconds(20),
                    () -> "two checkpoints completed after the flood",
                    () -> Flink.completedCheckpoints(cluster, jobId) >= checkpointsBefore + 2);
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    private static void assertNeverRestarted(URI rest, JobID jobId) throws Exception {
        Await.until(
                Duration.ofSeconds(20),
                () -> "the numRestarts metric",
                () -> Flink.numRestarts(rest, jobId) >= 0);
        assertThat(Flink.numRestarts(rest, jobId)).isZero();
    }

    private static RecordMetadata send(
            KafkaProducer<byte[], byte[]> producer, String topic, int partition, byte[] value)
            throws Exception {
        return producer.send(new ProducerRecord<>(topic, partition, null, value))
                .get(30, TimeUnit.SECONDS);
    }

    private static byte[] filled(int size, byte b) {
        byte[] bytes = new byte[size];
        java.util.Arrays.fill(bytes, b);
        return bytes;
    }

    private static byte[] poisonOf(List<Poison> poison, String what) {
        return poison.stream().filter(p -> p.what().equals(what)).findFirst().orElseThrow().value();
    }

    private static String origin(RecordMetadata m) {
        return m.topic() + "/" + m.partition() + "/" + m.offset();
    }

    private static String origin(JsonNode o) {
        return o.path("topic").asText()
                + "/"
                + o.path("partition").asInt()
                + "/"
                + o.path("offset").asLong();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static BigDecimal bd(String s) {
        return new BigDecimal(s);
    }
}
