package io.settle.testkit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.util.Properties;

/**
 * A real Kafka broker in this JVM: one combined KRaft broker and controller, replication factors of
 * one, transactions allowed up to an hour. For the local run and the integration tests.
 */
public final class EmbeddedKafka implements AutoCloseable {
    /** Dead letters may carry a 1 MiB record as base64: topics take 2 MiB and a little. */
    public static final int MAX_MESSAGE_BYTES = Kafka.MAX_MESSAGE_BYTES;

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

    /** Creates topics with {@code partitions} partitions each ({@link Kafka#createTopics}). */
    public void createTopics(int partitions, String... topics) throws Exception {
        Kafka.createTopics(bootstrapServers(), partitions, topics);
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
