package io.settle.generator;

import io.settle.generator.GeneratedRecord.Kind;
import io.settle.testkit.EmbeddedKafka;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** The rate loop and the counters against a real broker in process. */
class KafkaLoadTest {
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = EmbeddedKafka.start();
        kafka.createTopics(2, "load-rate", "load-stop");
    }

    @AfterAll
    static void stopBroker() throws Exception {
        kafka.close();
    }

    private static List<ConsumerRecord<String, byte[]>> readAll(String topic, long expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "load-test-" + topic);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    @Test
    void sendsAtTheRateForTheDurationKeyedBySettlement() throws Exception {
        KafkaLoad load =
                new KafkaLoad(
                        kafka.bootstrapServers(),
                        "load-rate",
                        GeneratorOptions.defaults(1),
                        2_000,
                        Duration.ofSeconds(1),
                        new Properties(),
                        Burst.flat(Duration.ofMinutes(1)));

        load.run();

        assertThat(load.sent()).isBetween(1_500L, 2_100L);
        assertThat(load.acked()).isEqualTo(load.sent());
        assertThat(load.failed()).isZero();
        long byKind = 0;
        for (Kind k : Kind.values()) {
            byKind += load.sent(k);
        }
        assertThat(byKind).isEqualTo(load.sent());
        List<ConsumerRecord<String, byte[]>> records = readAll("load-rate", load.sent());
        assertThat(records).hasSize((int) load.sent());
        assertThat(records).allSatisfy(r -> assertThat(r.key()).startsWith("STL-1-"));
        assertThat(load.progressLine()).contains("sent=" + load.sent());
    }

    @Test
    void stopFromAnotherThreadEndsARunWithoutADuration() throws Exception {
        KafkaLoad load =
                new KafkaLoad(
                        kafka.bootstrapServers(),
                        "load-stop",
                        GeneratorOptions.defaults(2),
                        500,
                        null,
                        new Properties(),
                        Burst.marketDay(Duration.ofSeconds(10)));
        Thread worker = new Thread(load);
        worker.start();
        Thread.sleep(500);
        load.stop();

        assertThat(load.awaitFinished(Duration.ofSeconds(10))).isTrue();
        worker.join(10_000);
        assertThat(worker.isAlive()).isFalse();
        assertThat(load.sent()).isPositive();
        assertThat(readAll("load-stop", load.sent())).hasSize((int) load.sent());
    }

    @Test
    void producerSettingsAreIdempotentWithExtrasOnTop() {
        Properties extra = new Properties();
        extra.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        Properties p = KafkaLoad.producerConfig("broker:9092", extra);
        assertThat(p)
                .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "broker:9092")
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true")
                .containsEntry(ProducerConfig.LINGER_MS_CONFIG, "20");
    }
}
