package io.settle.jobs.generator;

import io.settle.jobs.generator.GeneratedRecord.Kind;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** The rate loop and the counters against Kafka's own in-memory producer; no broker. */
class KafkaLoadTest {

    private static MockProducer<String, byte[]> producer() {
        return new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    }

    @Test
    void sendsAtTheRateForTheDurationKeyedBySettlement() throws Exception {
        MockProducer<String, byte[]> producer = producer();
        KafkaLoad load =
                new KafkaLoad(
                        "events",
                        GeneratorOptions.defaults(1),
                        2_000,
                        Duration.ofSeconds(1),
                        Burst.flat(Duration.ofMinutes(1)),
                        () -> producer,
                        Clock.systemUTC());

        load.run();

        assertThat(load.sent()).isBetween(1_500L, 2_100L);
        assertThat(load.acked()).isEqualTo(load.sent());
        assertThat(load.failed()).isZero();
        assertThat(producer.history()).hasSize((int) load.sent());
        assertThat(producer.closed()).isTrue();
        long byKind = 0;
        for (Kind k : Kind.values()) {
            byKind += load.sent(k);
        }
        assertThat(byKind).isEqualTo(load.sent());
        for (ProducerRecord<String, byte[]> r : producer.history()) {
            assertThat(r.topic()).isEqualTo("events");
            assertThat(r.key()).startsWith("STL-1-");
        }
        assertThat(load.progressLine()).contains("sent=" + load.sent());
    }

    @Test
    void stopFromAnotherThreadEndsARunWithoutADuration() throws Exception {
        MockProducer<String, byte[]> producer = producer();
        KafkaLoad load =
                new KafkaLoad(
                        "events",
                        GeneratorOptions.defaults(2),
                        500,
                        null,
                        Burst.marketDay(Duration.ofSeconds(10)),
                        () -> producer,
                        Clock.systemUTC());
        Thread worker = new Thread(load);
        worker.start();
        Thread.sleep(300);
        load.stop();

        assertThat(load.awaitFinished(Duration.ofSeconds(10))).isTrue();
        worker.join(10_000);
        assertThat(worker.isAlive()).isFalse();
        assertThat(load.sent()).isPositive();
        assertThat(producer.closed()).isTrue();
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
