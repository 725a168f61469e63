package io.settle.jobs.local;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A real Kafka broker in this JVM: one combined KRaft broker and controller, replication factors of
 * one, transactions allowed up to an hour. For the local run and the integration tests.
 */
public final class EmbeddedKafka implements AutoCloseable {
    /** Dead letters may carry a 1 MiB record as base64: topics take 2 MiB and a little. */
    public static final int MAX_MESSAGE_BYTES = 2 * 1024 * 1024 + 128 * 1024;

    private final KafkaClusterTestKit cluster;

    private EmbeddedKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    public static EmbeddedKafka start() throws Exception {
        KafkaClusterTestKit cluster =
                new KafkaClusterTestKit.Builder(
                                new TestKitNodes.Builder()
                                        .setCombined(true)
                                        .setNumBrokerNodes(1)
                                        .setNumControllerNodes(1)
                                        .build())
                        .setConfigProp("offsets.topic.replication.factor", "1")
                        .setConfigProp("transaction.state.log.replication.factor", "1")
                        .setConfigProp("transaction.state.log.min.isr", "1")
                        .setConfigProp("transaction.max.timeout.ms", "3600000")
                        .setConfigProp("group.initial.rebalance.delay.ms", "0")
                        .setConfigProp("message.max.bytes", Integer.toString(MAX_MESSAGE_BYTES))
                        .setConfigProp("auto.create.topics.enable", "false")
                        .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        return new EmbeddedKafka(cluster);
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** Creates topics with {@code partitions} partitions each. */
    public void createTopics(int partitions, String... topics) throws Exception {
        try (Admin admin = admin()) {
            List<NewTopic> newTopics = new ArrayList<>();
            for (String t : topics) {
                newTopics.add(
                        new NewTopic(t, partitions, (short) 1)
                                .configs(
                                        Map.of(
                                                "max.message.bytes",
                                                Integer.toString(MAX_MESSAGE_BYTES))));
            }
            admin.createTopics(newTopics).all().get();
            awaitLeaders(admin, List.of(topics), partitions);
        }
    }

    /**
     * A topic is created before every broker's metadata knows it: wait until each partition has a
     * leader, so a client that asks for the partitions next does not get none.
     */
    private static void awaitLeaders(Admin admin, List<String> topics, int partitions)
            throws Exception {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                boolean ready =
                        admin.describeTopics(topics).allTopicNames().get().values().stream()
                                .allMatch(
                                        d ->
                                                d.partitions().size() == partitions
                                                        && d.partitions().stream()
                                                                .allMatch(p -> p.leader() != null));
                if (ready) {
                    return;
                }
            } catch (java.util.concurrent.ExecutionException e) {
                // not known yet: ask again
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topics " + topics + " have no leaders after 30 s");
            }
            Thread.sleep(50);
        }
    }

    public Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return Admin.create(p);
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
