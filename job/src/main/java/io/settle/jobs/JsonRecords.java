package io.settle.jobs;

import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.DefaultKafkaDatasetIdentifier;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacet;
import org.apache.flink.connector.kafka.lineage.KafkaDatasetFacetProvider;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;

import io.settle.operators.codec.OutputCodec;
import io.settle.operators.model.Alert;
import io.settle.operators.model.DeadLetter;
import io.settle.operators.model.SettlementResult;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/** The job's outputs as Kafka records: JSON values, keyed by {@code settlementId}. */
final class JsonRecords {
    private JsonRecords() {}

    static KafkaRecordSerializationSchema<SettlementResult> results(String topic) {
        return new Schema<>(topic, Kind.RESULT);
    }

    static KafkaRecordSerializationSchema<Alert> alerts(String topic) {
        return new Schema<>(topic, Kind.ALERT);
    }

    static KafkaRecordSerializationSchema<DeadLetter> deadLetters(String topic) {
        return new Schema<>(topic, Kind.DEAD_LETTER);
    }

    private enum Kind {
        RESULT,
        ALERT,
        DEAD_LETTER
    }

    /**
     * Names its one topic as a dataset facet: the sinks' pooled transactional ids need the topics a
     * sink writes to, to find its lingering transactions on recovery.
     */
    private static final class Schema<T>
            implements KafkaRecordSerializationSchema<T>, KafkaDatasetFacetProvider {
        private static final long serialVersionUID = 1L;
        private final String topic;
        private final Kind kind;
        private transient OutputCodec codec;

        Schema(String topic, Kind kind) {
            this.topic = topic;
            this.kind = kind;
        }

        @Override
        public Optional<KafkaDatasetFacet> getKafkaDatasetFacet() {
            return Optional.of(
                    new DefaultKafkaDatasetFacet(
                            DefaultKafkaDatasetIdentifier.ofTopics(List.of(topic))));
        }

        @Override
        public void open(
                SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
            codec = new OutputCodec();
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(
                T element, KafkaSinkContext context, Long timestamp) {
            if (codec == null) {
                codec = new OutputCodec();
            }
            String key;
            String json;
            switch (kind) {
                case RESULT:
                    SettlementResult r = (SettlementResult) element;
                    key = r.getSettlementId();
                    json = codec.result(r);
                    break;
                case ALERT:
                    Alert a = (Alert) element;
                    key = a.getSettlementId();
                    json = codec.alert(a);
                    break;
                default:
                    DeadLetter d = (DeadLetter) element;
                    key = d.getSettlementId();
                    json = codec.deadLetter(d);
                    break;
            }
            return new ProducerRecord<>(
                    topic,
                    null,
                    timestamp,
                    key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                    json.getBytes(StandardCharsets.UTF_8));
        }
    }
}
