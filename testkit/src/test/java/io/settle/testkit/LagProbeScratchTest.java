package io.settle.testkit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.MetricsReporter;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

class LagProbeScratchTest {
    static final Map<String, KafkaMetric> LAG = new ConcurrentHashMap<>();

    public static class Reporter implements MetricsReporter {
        public void configure(Map<String, ?> configs) {
            System.out.println("REPORTER configured group=" + configs.get("group.id"));
        }

        public void init(List<KafkaMetric> metrics) {
            metrics.forEach(this::metricChange);
        }

        public void metricChange(KafkaMetric m) {
            if (m.metricName().name().equals("records-lag")
                    && m.metricName().tags().containsKey("partition")) {
                LAG.put(
                        m.metricName().tags().get("topic")
                                + "-"
                                + m.metricName().tags().get("partition"),
                        m);
                System.out.println("REPORTER metricChange " + m.metricName());
            }
        }

        public void metricRemoval(KafkaMetric m) {
            System.out.println("REPORTER removal " + m.metricName());
        }

        public void close() {}
    }

    public static class Interceptor implements ConsumerInterceptor<byte[], byte[]> {
        public ConsumerRecords<byte[], byte[]> onConsume(ConsumerRecords<byte[], byte[]> records) {
            for (TopicPartition tp : records.partitions()) {
                var l = records.records(tp);
                System.out.println(
                        "INTERCEPT "
                                + tp
                                + " n="
                                + l.size()
                                + " last="
                                + l.get(l.size() - 1).offset()
                                + " next="
                                + records.nextOffsets().get(tp));
            }
            return records;
        }

        public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {}

        public void close() {}

        public void configure(Map<String, ?> configs) {}
    }

    @Test
    void probe() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopics(2, "lag");
            Properties pp = new Properties();
            pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            pp.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-1");
            pp.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
            pp.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
            KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(pp);
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 5; i++)
                producer.send(new ProducerRecord<>("lag", 0, null, ("v" + i).getBytes()));
            producer.commitTransaction();
            Properties cp = new Properties();
            cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            cp.put(ConsumerConfig.GROUP_ID_CONFIG, "g1");
            cp.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            cp.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            cp.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            cp.put(ConsumerConfig.METRIC_REPORTER_CLASSES_CONFIG, Reporter.class.getName());
            cp.put(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, Interceptor.class.getName());
            cp.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2");
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(cp)) {
                c.assign(List.of(new TopicPartition("lag", 0), new TopicPartition("lag", 1)));
                c.seekToBeginning(
                        List.of(new TopicPartition("lag", 0), new TopicPartition("lag", 1)));
                for (int i = 0; i < 12; i++) {
                    var r = c.poll(Duration.ofMillis(300));
                    System.out.println(
                            "POLL "
                                    + i
                                    + " got "
                                    + r.count()
                                    + " lag "
                                    + LAG.keySet().stream()
                                            .map(k -> k + "=" + LAG.get(k).metricValue())
                                            .toList()
                                    + " pos0="
                                    + c.position(new TopicPartition("lag", 0))
                                    + " currentLag0="
                                    + c.currentLag(new TopicPartition("lag", 0)));
                    if (i == 6) {
                        producer.beginTransaction();
                        producer.send(new ProducerRecord<>("lag", 0, null, "late".getBytes()));
                        producer.send(new ProducerRecord<>("lag", 0, null, "late2".getBytes()));
                        producer.send(new ProducerRecord<>("lag", 0, null, "late3".getBytes()));
                        producer.commitTransaction();
                        System.out.println("PRODUCED 3 more");
                    }
                }
            }
            producer.close();
        }
    }
}
