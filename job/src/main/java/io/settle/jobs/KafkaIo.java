package io.settle.jobs;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.TransactionNamingStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import io.settle.jobs.SettleOptions.Delivery;
import io.settle.operators.model.Alert;
import io.settle.operators.model.DeadLetter;
import io.settle.operators.model.OpenBookEntry;
import io.settle.operators.model.SettlementResult;

import java.time.Duration;
import java.util.Properties;

/**
 * Live IO: the events topic in, results exactly once, dead letters exactly once, alerts at least
 * once (their ids are deterministic) or exactly once by option. Record keys are the settlementId.
 */
public final class KafkaIo implements JobIo {
    public static final String UID_SOURCE = "events-kafka-source";
    public static final String UID_RESULTS_SINK = "results-kafka-sink";
    public static final String UID_ALERTS_SINK = "alerts-kafka-sink";
    public static final String UID_DEAD_LETTERS_SINK = "dead-letters-kafka-sink";

    /**
     * Dead letters keep at most 64 KiB of a record (about 420 KB of JSON at worst): room to spare,
     * so no dead letter can fail the sink.
     */
    static final int DEAD_LETTER_MAX_REQUEST_BYTES = 2 * 1024 * 1024 + 64 * 1024;

    private final SettleOptions.Parsed options;

    public KafkaIo(SettleOptions.Parsed options) {
        this.options = options;
    }

    private String bootstrap() {
        return options.get(SettleOptions.BOOTSTRAP_SERVERS);
    }

    /**
     * The consumer's properties: the given ones, committed records only (an aborted upstream
     * transaction is never settled), and {@link KafkaProgress}'s plug-ins, which tell the watermark
     * when a partition has caught up.
     */
    private Properties consumerProperties() {
        Properties consumer = options.kafkaProperties();
        consumer.setProperty("isolation.level", "read_committed");
        KafkaProgress.install(consumer);
        return consumer;
    }

    @Override
    public DataStream<Decoded> events(StreamExecutionEnvironment env) {
        KafkaSource<Decoded> source =
                KafkaSource.<Decoded>builder()
                        .setBootstrapServers(bootstrap())
                        .setTopics(options.get(SettleOptions.TOPIC_EVENTS))
                        .setGroupId(options.get(SettleOptions.GROUP_ID))
                        .setProperties(consumerProperties())
                        // Offsets live in checkpoints; a start without state needs --start-from.
                        .setStartingOffsets(
                                StartFrom.initializer(options.get(SettleOptions.START_FROM)))
                        .setProperty("commit.offsets.on.checkpoint", "true")
                        .setProperty("partition.discovery.interval.ms", "60000")
                        .setDeserializer(
                                new KafkaEventDeserializer(options.get(SettleOptions.MAX_FUTURE)))
                        .build();
        Duration allowance = options.get(SettleOptions.MAX_OUT_OF_ORDERNESS);
        Duration idleness = options.get(SettleOptions.IDLENESS);
        String group = options.get(SettleOptions.GROUP_ID);
        WatermarkStrategy<Decoded> watermarks =
                WatermarkStrategy.<Decoded>forGenerator(
                                context ->
                                        new CaughtUpWatermarks(
                                                group,
                                                allowance,
                                                idleness,
                                                context.getInputActivityClock(),
                                                System::currentTimeMillis))
                        .withTimestampAssigner(
                                new EventTimestamps(options.get(SettleOptions.MAX_FUTURE_SKEW)));
        Properties admin = options.kafkaProperties();
        admin.setProperty("bootstrap.servers", bootstrap());
        return env.fromSource(
                        source, watermarks, "Kafka: " + options.get(SettleOptions.TOPIC_EVENTS))
                .uid(UID_SOURCE)
                .process(new OffsetWatch(admin), TypeInformation.of(Decoded.class))
                .uid(OffsetWatch.UID)
                .name(OffsetWatch.NAME);
    }

    /**
     * A sink of {@code guarantee}. Exactly-once sinks draw their transactional ids from a pool
     * (prefix, subtask, a small counter reused once its transaction is over), so a short checkpoint
     * interval does not mint a new transactional id, and broker state, per checkpoint.
     */
    private <T> KafkaSink<T> sink(
            KafkaRecordSerializationSchema<T> schema,
            DeliveryGuarantee guarantee,
            String idSuffix,
            Properties producer) {
        producer.setProperty(
                "transaction.timeout.ms",
                Long.toString(options.get(SettleOptions.TRANSACTION_TIMEOUT).toMillis()));
        return KafkaSink.<T>builder()
                .setBootstrapServers(bootstrap())
                .setKafkaProducerConfig(producer)
                .setRecordSerializer(schema)
                .setDeliveryGuarantee(guarantee)
                .setTransactionalIdPrefix(
                        options.get(SettleOptions.TRANSACTIONAL_ID_PREFIX) + "-" + idSuffix)
                .setTransactionNamingStrategy(TransactionNamingStrategy.POOLING)
                .build();
    }

    @Override
    public void results(DataStream<SettlementResult> results) {
        String topic = options.get(SettleOptions.TOPIC_RESULTS);
        results.sinkTo(
                        sink(
                                JsonRecords.results(topic),
                                DeliveryGuarantee.EXACTLY_ONCE,
                                "results",
                                options.kafkaProperties()))
                .uid(UID_RESULTS_SINK)
                .name("Kafka: " + topic + " (exactly once)");
    }

    @Override
    public void alerts(DataStream<Alert> alerts) {
        String topic = options.get(SettleOptions.TOPIC_ALERTS);
        DeliveryGuarantee guarantee =
                options.get(SettleOptions.ALERTS_DELIVERY) == Delivery.EXACTLY_ONCE
                        ? DeliveryGuarantee.EXACTLY_ONCE
                        : DeliveryGuarantee.AT_LEAST_ONCE;
        alerts.sinkTo(
                        sink(
                                JsonRecords.alerts(topic),
                                guarantee,
                                "alerts",
                                options.kafkaProperties()))
                .uid(UID_ALERTS_SINK)
                .name("Kafka: " + topic + " (" + guarantee + ")");
    }

    @Override
    public void deadLetters(DataStream<DeadLetter> deadLetters) {
        String topic = options.get(SettleOptions.TOPIC_DEAD_LETTERS);
        Properties producer = options.kafkaProperties();
        producer.setProperty("max.request.size", Integer.toString(DEAD_LETTER_MAX_REQUEST_BYTES));
        KafkaSink<DeadLetter> sink =
                sink(
                        JsonRecords.deadLetters(topic),
                        DeliveryGuarantee.EXACTLY_ONCE,
                        "dead-letters",
                        producer);
        deadLetters
                .sinkTo(sink)
                .uid(UID_DEAD_LETTERS_SINK)
                .name("Kafka: " + topic + " (exactly once)");
    }

    @Override
    public void openBook(DataStream<OpenBookEntry> openBook) {
        // Live has no end of input, so no open book: the savepoint inspector shows it.
    }
}
