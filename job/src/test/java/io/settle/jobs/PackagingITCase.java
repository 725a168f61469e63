package io.settle.jobs;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What `flink run` gets (job/target/settle-job.jar, made in `package`, checked in `verify`): the
 * job, the operators, the command-line layer and the connectors with their clients; not the report,
 * the tools, the generator, the test kit or any test class, and none of the Flink runtime, logging
 * or RocksDB classes the cluster provides (two copies of a class the cluster loads are a
 * classloading accident waiting to happen).
 */
class PackagingITCase {
    static final Path JAR = Path.of("target", "settle-job.jar");

    static List<String> entries(Path jar) throws Exception {
        List<String> names = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> e = file.entries();
            while (e.hasMoreElements()) {
                names.add(e.nextElement().getName());
            }
        }
        return names;
    }

    static boolean any(List<String> entries, String prefix) {
        return entries.stream().anyMatch(n -> n.startsWith(prefix) && n.endsWith(".class"));
    }

    @Test
    void theJobJarHoldsTheJobAndItsConnectorsAndNothingTheClusterProvidesOrTheToolsUse()
            throws Exception {
        List<String> entries = entries(JAR);
        try (JarFile file = new JarFile(JAR.toFile())) {
            assertThat(file.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo(SettlementJob.class.getName());
        }
        for (String wanted :
                List.of(
                        "io/settle/jobs/SettlementJob",
                        "io/settle/operators/core/SettlementMachine",
                        "io/settle/operators/codec/EventCodec",
                        "io/settle/operators/flink/",
                        "io/settle/cli/OptionSet",
                        "org/apache/flink/connector/kafka/source/KafkaSource",
                        "org/apache/flink/connector/kafka/sink/KafkaSink",
                        "org/apache/flink/connector/file/src/FileSource",
                        "org/apache/flink/connector/base/",
                        "org/apache/kafka/clients/consumer/KafkaConsumer",
                        "com/fasterxml/jackson/core/")) {
            assertThat(any(entries, wanted)).as("the job jar holds %s", wanted).isTrue();
        }
        for (String unwanted :
                List.of(
                        "io/settle/report/",
                        "io/settle/tools/",
                        "io/settle/generator/",
                        "io/settle/testkit/",
                        "org/apache/flink/runtime/",
                        "org/apache/flink/api/common/",
                        "org/apache/flink/configuration/",
                        "org/apache/flink/streaming/api/environment/",
                        "org/apache/flink/streaming/runtime/",
                        "org/apache/flink/state/",
                        "org/apache/flink/table/",
                        "org/rocksdb/",
                        "org/apache/logging/",
                        "org/slf4j/",
                        "org/junit/",
                        "org/assertj/",
                        "net/jqwik/",
                        "org/apache/kafka/common/test/",
                        "kafka/server/")) {
            assertThat(any(entries, unwanted)).as("the job jar holds %s", unwanted).isFalse();
        }
        assertThat(entries)
                .as("test classes")
                .noneMatch(
                        n ->
                                n.startsWith("io/settle/")
                                        && (n.endsWith("Test.class")
                                                || n.endsWith("ITCase.class")
                                                || n.endsWith("Properties.class")));
        assertThat(entries).as("the build name").contains("io/settle/jobs/build.properties");
    }
}
