package io.settle.report;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The job's output topics (results, alerts, dead letters), read_committed, bounded: from the
 * offsets at {@code from - margin} (by record timestamp) to the latest offsets when the report
 * starts. The period itself is filtered afterwards on the records' business instants.
 *
 * <p>Why not to the offsets at {@code to + margin}: a transaction's commit marker is stamped with
 * the wall clock at the commit, and a lookup by timestamp finds the first record or marker at or
 * after it. When the records' timestamps are behind the wall clock (event time after downtime, a
 * backfill), that is the first marker after the start, and the read would stop before most of the
 * period. Starting early is harmless (what is before the period is left out); stopping early is
 * not. Reading to the end costs the records after the period.
 */
public final class KafkaOutputsSource implements ReportSource {
    public static final String UID = "report-kafka-source";

    private final String bootstrapServers;
    private final Map<String, OutputKind> topics;
    private final String groupId;
    private final Properties properties;
    private final Instant from;
    private final Duration margin;

    public KafkaOutputsSource(
            String bootstrapServers,
            String resultsTopic,
            String alertsTopic,
            String deadLettersTopic,
            String groupId,
            Properties properties,
            Instant from,
            Duration margin) {
        this.bootstrapServers = bootstrapServers;
        this.topics =
                Map.of(
                        resultsTopic, OutputKind.RESULT,
                        alertsTopic, OutputKind.ALERT,
                        deadLettersTopic, OutputKind.DEAD_LETTER);
        this.groupId = groupId;
        this.properties = properties;
        this.from = from;
        this.margin = margin;
    }

    @Override
    public DataStream<RawOutput> outputs(StreamExecutionEnvironment env) {
        KafkaSource<RawOutput> source =
                KafkaSource.<RawOutput>builder()
                        .setBootstrapServers(bootstrapServers)
                        .setTopics(List.copyOf(topics.keySet()))
                        .setGroupId(groupId)
                        .setProperties(properties)
                        .setProperty("isolation.level", "read_committed")
                        .setProperty("commit.offsets.on.checkpoint", "false")
                        .setProperty("enable.auto.commit", "false")
                        .setProperty("max.partition.fetch.bytes", Integer.toString(4 << 20))
                        .setStartingOffsets(
                                OffsetsInitializer.timestamp(
                                        Math.max(0, from.minus(margin).toEpochMilli())))
                        .setBounded(OffsetsInitializer.latest())
                        .setDeserializer(new Deserializer(topics))
                        .build();
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "Kafka: " + location())
                .uid(UID);
    }

    @Override
    public String mode() {
        return "kafka";
    }

    @Override
    public String location() {
        return bootstrapServers + " " + new java.util.TreeMap<>(topics).keySet();
    }

    /** A record as its topic's kind, its value as text, its timestamp and position. */
    private static final class Deserializer implements KafkaRecordDeserializationSchema<RawOutput> {
        private static final long serialVersionUID = 1L;
        private final Map<String, OutputKind> topics;

        Deserializer(Map<String, OutputKind> topics) {
            this.topics = Map.copyOf(topics);
        }

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawOutput> out) {
            out.collect(
                    new RawOutput(
                            topics.get(record.topic()),
                            record.value() == null
                                    ? null
                                    : new String(record.value(), StandardCharsets.UTF_8),
                            record.timestamp() < 0 ? RawOutput.NO_TIME : record.timestamp(),
                            record.topic() + "/" + record.partition() + "@" + record.offset()));
        }

        @Override
        public TypeInformation<RawOutput> getProducedType() {
            return TypeInformation.of(RawOutput.class);
        }
    }
}
