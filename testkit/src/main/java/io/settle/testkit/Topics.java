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

    /** Creates them (existing ones are kept): {@code eventPartitions} for the events, two each. */
    public Topics create(String bootstrap, int eventPartitions) throws Exception {
        Kafka.createTopics(bootstrap, eventPartitions, events);
        Kafka.createTopics(bootstrap, 2, results, alerts, deadLetters);
        return this;
    }

    /** As {@link #create(String, int)} on an in-process broker. */
    public Topics create(EmbeddedKafka kafka, int eventPartitions) throws Exception {
        return create(kafka.bootstrapServers(), eventPartitions);
    }
}
