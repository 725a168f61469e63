package io.settle.jobs;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;

import io.settle.operators.codec.EventCodec;
import io.settle.operators.model.Origin;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Clock;
import java.time.Duration;

/**
 * Decodes each Kafka record in the source itself, so watermarks are generated per partition. Never
 * throws: a bad record becomes a dead letter carrying its topic, partition and offset.
 */
public class KafkaEventDeserializer implements KafkaRecordDeserializationSchema<Decoded> {
    private static final long serialVersionUID = 1L;

    /** Events stamped more than this after the wall clock are FUTURE_EVENT; null: no check. */
    private final Duration maxFuture;

    private transient EventCodec codec;

    /** Takes any event time the contract allows (the bench's ceilings). */
    public KafkaEventDeserializer() {
        this(null);
    }

    public KafkaEventDeserializer(Duration maxFuture) {
        this.maxFuture = maxFuture;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        codec = new EventCodec(maxFuture, Clock.systemUTC());
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Decoded> out) {
        if (codec == null) {
            codec = new EventCodec(maxFuture, Clock.systemUTC());
        }
        Origin origin = Origin.kafka(record.topic(), record.partition(), record.offset());
        out.collect(Decoded.of(codec.decode(record.value(), origin)));
    }

    @Override
    public TypeInformation<Decoded> getProducedType() {
        return TypeInformation.of(Decoded.class);
    }
}
