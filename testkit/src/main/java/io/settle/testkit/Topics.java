package io.settle.testkit;

/**
 * The four topics of one live job: {@code PREFIX.events}, {@code .results}, {@code .alerts}, ...
 */
public record Topics(String events, String results, String alerts, String deadLetters) {
    public static Topics named(String prefix) {
        return new Topics(
                prefix + ".events",
                prefix + ".results",
                prefix + ".alerts",
                prefix + ".dead-letters");
    }

    /**
     * Creates them (existing ones are kept): {@code eventPartitions} for the events, two each. The
     * events topic stamps each record with the broker's append time, so a check can tell an event
     * its producer delivered late (more than the allowance after its eventTime) from one the job
     * called late on its own ({@code OracleCheck}).
     */
    public Topics create(String bootstrap, int eventPartitions) throws Exception {
        Kafka.createTopics(
                bootstrap,
                eventPartitions,
                java.util.Map.of("message.timestamp.type", "LogAppendTime"),
                events);
        Kafka.createTopics(bootstrap, 2, results, alerts, deadLetters);
        return this;
    }

    /** As {@link #create(String, int)} on an in-process broker. */
    public Topics create(EmbeddedKafka kafka, int eventPartitions) throws Exception {
        return create(kafka.bootstrapServers(), eventPartitions);
    }
}
