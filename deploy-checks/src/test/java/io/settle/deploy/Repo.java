package io.settle.deploy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where things are (the repository root is this module's parent; nothing outside it is read) and
 * how YAML is read: every document of a file, duplicate keys refused (a duplicated
 * flinkConfiguration key would otherwise silently win or lose).
 */
final class Repo {
    private Repo() {}

    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final Path K8S = ROOT.resolve("k8s");
    static final Path MONITORING = K8S.resolve("monitoring");
    static final Path RULES = MONITORING.resolve("rules/settle.rules.yml");
    static final Path RULE_TESTS = MONITORING.resolve("rules/settle.rules.test.yml");
    static final Path DASHBOARD = MONITORING.resolve("grafana/settle.json");

    /** The savepoint scripts: {@code lib.sh}, {@code standalone/} and {@code k8s/}. */
    static final Path SCRIPTS = ROOT.resolve("savepoint-scripts");

    /** The runbook: one entry per alert rule, the target of every rule's runbook_url. */
    static final Path ALERTS_DOC = ROOT.resolve("docs/alerts.md");

    /** The operator's CRDs, release 1.15.0, vendored beside the checks (see its README.md). */
    static final Path CRDS =
            ROOT.resolve("deploy-checks/src/test/resources/flink-operator-1.15.0-crds");

    /** The autoscaler's option reference, operator release 1.15.0 (see its README.md). */
    static final Path AUTOSCALER_OPTIONS =
            ROOT.resolve(
                    "deploy-checks/src/test/resources/flink-operator-1.15.0-autoscaler/auto_scaler_configuration.html");

    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory())
                    .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** The non-empty documents of a YAML file. */
    static List<JsonNode> documents(Path file) {
        try {
            return documents(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }

    /** The non-empty documents of YAML text. */
    static List<JsonNode> documents(String yaml) {
        List<JsonNode> docs = new ArrayList<>();
        try (YAMLParser parser = (YAMLParser) YAML.getFactory().createParser(yaml);
                MappingIterator<JsonNode> it = YAML.readValues(parser, JsonNode.class)) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode() && !doc.isEmpty()) {
                    docs.add(doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("YAML does not parse: " + e.getMessage(), e);
        }
        return docs;
    }

    /** The single document of a YAML file, as an object. */
    static ObjectNode document(Path file) {
        List<JsonNode> docs = documents(file);
        if (docs.size() != 1 || !docs.get(0).isObject()) {
            throw new AssertionError(file + " should hold one YAML object, holds " + docs.size());
        }
        return (ObjectNode) docs.get(0);
    }

    /** Every *.yaml and *.yml file under {@code dir}, sorted. */
    static List<Path> yamlFiles(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(
                            p ->
                                    p.getFileName().toString().endsWith(".yaml")
                                            || p.getFileName().toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The path relative to the repository root, for messages. */
    static String rel(Path file) {
        return ROOT.relativize(file.toAbsolutePath().normalize()).toString();
    }
}
