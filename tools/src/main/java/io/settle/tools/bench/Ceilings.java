package io.settle.tools.bench;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

import io.settle.jobs.Decoded;
import io.settle.jobs.EventLinesFormat;
import io.settle.jobs.KafkaEventDeserializer;
import io.settle.operators.model.SettlementEvent;

/**
 * The bare jobs that bound what this machine gives: the same decoding as Settle (the same source
 * format or Kafka deserializer), one {@code keyBy(settlementId)}, and the least keyed state a job
 * of this kind can keep: over files on the batch runtime, as a replay runs; over Kafka on RocksDB
 * with the same exactly-once checkpoints as the live job. The floor decodes and nothing else.
 */
final class Ceilings {
    private Ceilings() {}

    /**
     * Files, decoded as Settle decodes them; valid events keyed by settlement; each event id kept
     * in a RocksDB map, distinct events to a discarding sink.
     */
    static void dedupOnly(StreamExecutionEnvironment env, java.nio.file.Path input) {
        validEvents(env, input, "ceiling")
                .keyBy(SettlementEvent::getSettlementId, Types.STRING)
                .process(new DedupOnly(), TypeInformation.of(SettlementEvent.class))
                .uid("ceiling-dedup")
                .name("Dedup only")
                .sinkTo(new DiscardingSink<>())
                .uid("ceiling-sink")
                .name("Discard");
    }

    /** Files, decoded as Settle decodes them, valid events to a discarding sink: the floor. */
    static void decodeOnly(StreamExecutionEnvironment env, java.nio.file.Path input) {
        validEvents(env, input, "floor")
                .sinkTo(new DiscardingSink<>())
                .uid("floor-sink")
                .name("Discard");
    }

    /** The valid events of the files, decoded by Settle's own reader. */
    private static SingleOutputStreamOperator<SettlementEvent> validEvents(
            StreamExecutionEnvironment env, java.nio.file.Path input, String uidPrefix) {
        FileSource<Decoded> source =
                FileSource.forBulkFileFormat(
                                new EventLinesFormat(), new Path(input.toAbsolutePath().toUri()))
                        .build();
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "Source: files")
                .uid(uidPrefix + "-source")
                .process(new ValidEvents())
                .uid(uidPrefix + "-valid")
                .name("Valid events");
    }

    /**
     * A topic, each record parsed by Settle's deserializer; valid events keyed by settlement, one
     * RocksDB value per key (events seen), and the settlement id written once per key to {@code
     * outTopic}, exactly once.
     */
    static void kafkaOneValuePerKey(
            StreamExecutionEnvironment env,
            String bootstrap,
            String topic,
            String outTopic,
            String transactionalIdPrefix) {
        KafkaSource<Decoded> source =
                KafkaSource.<Decoded>builder()
                        .setBootstrapServers(bootstrap)
                        .setTopics(topic)
                        .setGroupId(transactionalIdPrefix)
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setDeserializer(new KafkaEventDeserializer())
                        .build();
        KafkaSink<String> sink =
                KafkaSink.<String>builder()
                        .setBootstrapServers(bootstrap)
                        .setRecordSerializer(
                                KafkaRecordSerializationSchema.builder()
                                        .setTopic(outTopic)
                                        .setKeySerializationSchema(new SimpleStringSchema())
                                        .setValueSerializationSchema(new SimpleStringSchema())
                                        .build())
                        .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                        .setTransactionalIdPrefix(transactionalIdPrefix)
                        .setProperty("transaction.timeout.ms", "900000")
                        .build();
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "Source: Kafka " + topic)
                .uid("kafka-ceiling-source")
                .process(new ValidEvents())
                .uid("kafka-ceiling-valid")
                .name("Valid events")
                .keyBy(SettlementEvent::getSettlementId, Types.STRING)
                .process(new OneValuePerKey(), Types.STRING)
                .uid("kafka-ceiling-count")
                .name("One value per key")
                .sinkTo(sink)
                .uid("kafka-ceiling-sink")
                .name("Kafka " + outTopic + " (exactly once)");
    }

    /** Valid events on; dead letters dropped (the ceilings do not write them). */
    static final class ValidEvents extends ProcessFunction<Decoded, SettlementEvent> {
        private static final long serialVersionUID = 1L;

        @Override
        public void processElement(Decoded d, Context ctx, Collector<SettlementEvent> out) {
            if (d.getEvent() != null) {
                out.collect(d.getEvent());
            }
        }
    }

    /** Keeps each event id of a settlement; emits an event the first time its id is seen. */
    static final class DedupOnly
            extends KeyedProcessFunction<String, SettlementEvent, SettlementEvent> {
        private static final long serialVersionUID = 1L;
        private transient MapState<String, Boolean> seen;

        @Override
        public void open(OpenContext openContext) {
            seen =
                    getRuntimeContext()
                            .getMapState(
                                    new MapStateDescriptor<>("seen", Types.STRING, Types.BOOLEAN));
        }

        @Override
        public void processElement(SettlementEvent e, Context ctx, Collector<SettlementEvent> out)
                throws Exception {
            if (!seen.contains(e.getEventId())) {
                seen.put(e.getEventId(), Boolean.TRUE);
                out.collect(e);
            }
        }
    }

    /** One value per key: the events seen; the key goes out the first time. */
    static final class OneValuePerKey
            extends KeyedProcessFunction<String, SettlementEvent, String> {
        private static final long serialVersionUID = 1L;
        private transient ValueState<Long> count;

        @Override
        public void open(OpenContext openContext) {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
        }

        @Override
        public void processElement(SettlementEvent e, Context ctx, Collector<String> out)
                throws Exception {
            Long n = count.value();
            count.update(n == null ? 1 : n + 1);
            if (n == null) {
                out.collect(e.getSettlementId());
            }
        }
    }
}
