package io.settle.jobs;

import io.settle.testkit.BrokerExtension;
import io.settle.testkit.Kafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The defence against a decompression bomb on the events topic (docs/operations.md, "Kafka, before
 * the first start"): the Kafka consumer inflates a record in full before the job sees its size, so
 * the topic is made {@code compression.type=uncompressed}. The broker then inflates what a producer
 * compressed and refuses it when it is over the topic's {@code max.message.bytes}: a 64 MiB record
 * that gzip makes 64 KiB never reaches the topic, while a small compressed record still does. On a
 * topic that keeps the producer's compression, the same bomb is accepted.
 */
class CompressedRecordsITCase {
    @RegisterExtension static final BrokerExtension BROKER = new BrokerExtension();

    private static final byte[] BOMB = new byte[64 * 1024 * 1024];

    @Test
    void anUncompressedEventsTopicRefusesACompressedRecordTooLargeOnceInflated() throws Exception {
        try (Admin admin = Kafka.admin(BROKER.bootstrap())) {
            admin.createTopics(
                            List.of(
                                    topic("bomb.uncompressed", "uncompressed"),
                                    topic("bomb.producer", "producer")))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<byte[], byte[]> gzip = gzipProducer()) {
            assertThatThrownBy(
                            () ->
                                    gzip.send(new ProducerRecord<>("bomb.uncompressed", BOMB))
                                            .get(60, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(RecordTooLargeException.class);
            assertThat(
                            gzip.send(new ProducerRecord<>("bomb.uncompressed", new byte[1000]))
                                    .get(30, TimeUnit.SECONDS)
                                    .offset())
                    .isZero();
            // Without the setting, the bomb lands, for every consumer to inflate.
            assertThat(
                            gzip.send(new ProducerRecord<>("bomb.producer", BOMB))
                                    .get(60, TimeUnit.SECONDS)
                                    .serializedValueSize())
                    .isEqualTo(BOMB.length);
        }
    }

    private static NewTopic topic(String name, String compression) {
        return new NewTopic(name, 1, (short) 1)
                .configs(
                        Map.of(
                                "compression.type",
                                compression,
                                "max.message.bytes",
                                Integer.toString(1024 * 1024 + 1024)));
    }

    private static KafkaProducer<byte[], byte[]> gzipProducer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrap());
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "gzip");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(128 * 1024 * 1024));
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(256L * 1024 * 1024));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }
}
