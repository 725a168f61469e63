package io.settle.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every manifest under {@code k8s/} parses, is of a kind this project knows, and the operator's
 * resources (the FlinkDeployment, its overlays' patches and renderings, the FlinkStateSnapshot)
 * validate against the CRDs of operator release 1.15.0 as {@code kubectl apply} would check them.
 */
class ManifestsTest {

    /** Kinds under k8s/ and how they are checked: the CRD, or DeploymentTest/MonitoringTest. */
    private static final Set<String> KNOWN_KINDS =
            Set.of(
                    "FlinkDeployment",
                    "FlinkStateSnapshot",
                    "ServiceAccount",
                    "Role",
                    "RoleBinding",
                    "PodMonitor",
                    "PrometheusRule",
                    "Kustomization");

    /** Plain Prometheus files (rules and their unit tests) that live beside the manifests. */
    private static final Set<String> NOT_MANIFESTS =
            Set.of("settle.rules.yml", "settle.rules.test.yml");

    static List<ObjectNode> manifests() {
        List<ObjectNode> all = new ArrayList<>();
        for (Path file : Repo.yamlFiles(Repo.K8S)) {
            if (NOT_MANIFESTS.contains(file.getFileName().toString())) {
                continue;
            }
            for (JsonNode doc : Repo.documents(file)) {
                ObjectNode o = (ObjectNode) doc;
                o.put("_file", Repo.rel(file));
                all.add(o);
            }
        }
        return all;
    }

    static ObjectNode withoutFile(ObjectNode o) {
        ObjectNode copy = o.deepCopy();
        copy.remove("_file");
        return copy;
    }

    @Test
    void everyYamlFileParsesWithoutDuplicateKeys() {
        List<Path> files = Repo.yamlFiles(Repo.K8S);
        assertThat(files).hasSizeGreaterThanOrEqualTo(12);
        for (Path f : files) {
            assertThat(Repo.documents(f)).as(Repo.rel(f)).isNotEmpty();
        }
    }

    @Test
    void everyManifestIsOfAKnownKind() {
        Map<String, Integer> kinds = new TreeMap<>();
        for (ObjectNode m : manifests()) {
            String kind = m.path("kind").asText();
            assertThat(KNOWN_KINDS)
                    .as("kind of a manifest in %s", m.path("_file").asText())
                    .contains(kind);
            assertThat(m.path("apiVersion").asText()).as(m.path("_file").asText()).isNotBlank();
            kinds.merge(kind, 1, Integer::sum);
        }
        assertThat(kinds)
                .containsEntry("FlinkDeployment", 3) // the base and two overlay patches
                .containsEntry("FlinkStateSnapshot", 1)
                .containsEntry("PodMonitor", 1)
                .containsEntry("PrometheusRule", 1);
    }

    @Test
    void operatorResourcesValidateAgainstTheCrds() {
        int validated = 0;
        for (ObjectNode m : manifests()) {
            if (CrdSchemas.isOperatorKind(m.path("kind").asText())) {
                assertThat(CrdSchemas.errors(withoutFile(m)))
                        .as("%s in %s", m.path("kind").asText(), m.path("_file").asText())
                        .isEmpty();
                validated++;
            }
        }
        assertThat(validated).isEqualTo(4);
    }

    @Test
    void overlaysRenderToValidDeploymentsInTheirNamespaces() {
        for (String env : List.of("dev", "prod")) {
            List<ObjectNode> rendered = Kustomize.render(Repo.K8S.resolve("overlays/" + env));
            assertThat(rendered)
                    .extracting(o -> o.path("kind").asText())
                    .containsExactlyInAnyOrder(
                            "ServiceAccount",
                            "Role",
                            "RoleBinding",
                            "FlinkDeployment",
                            "PodMonitor",
                            "PrometheusRule",
                            "ConfigMap");
            for (ObjectNode o : rendered) {
                assertThat(o.path("metadata").path("namespace").asText())
                        .as(
                                "%s/%s",
                                o.path("kind").asText(), o.path("metadata").path("name").asText())
                        .isEqualTo("settle-" + env);
                if (CrdSchemas.isOperatorKind(o.path("kind").asText())) {
                    assertThat(CrdSchemas.errors(o)).as(env + " FlinkDeployment").isEmpty();
                }
            }
        }
    }

    @Test
    void overlaysChangeWhatDiffersBetweenEnvironmentsOnly() {
        JsonNode base = Deployments.base();
        JsonNode dev = Deployments.rendered("dev");
        JsonNode prod = Deployments.rendered("prod");
        // Same job, same upgrade discipline, same monitoring port everywhere.
        for (JsonNode d : List.of(dev, prod)) {
            for (String same : List.of("flinkVersion", "mode", "serviceAccount", "podTemplate")) {
                assertThat(d.path("spec").path(same))
                        .as(same)
                        .isEqualTo(base.path("spec").path(same));
            }
            assertThat(d.path("spec").path("job").path("upgradeMode"))
                    .isEqualTo(base.path("spec").path("job").path("upgradeMode"));
            assertThat(d.path("spec").path("job").path("jarURI"))
                    .isEqualTo(base.path("spec").path("job").path("jarURI"));
        }
        // Separate state: no environment writes into another's checkpoints or savepoints.
        for (String key :
                List.of(
                        "execution.checkpointing.dir",
                        "execution.checkpointing.savepoint-dir",
                        "high-availability.storageDir")) {
            assertThat(Deployments.conf(dev).get(key))
                    .as(key)
                    .isNotEqualTo(Deployments.conf(prod).get(key))
                    .startsWith("s3://");
        }
        assertThat(prod.path("spec").path("jobManager").path("replicas").asInt()).isGreaterThan(1);
    }

    // ---------------------------------------------------------------------------------------
    // The validator is not vacuous: it refuses what the API server would refuse.

    private static Set<String> errorsAfter(Consumer<ObjectNode> change) {
        ObjectNode d = Deployments.base().deepCopy();
        change.accept(d);
        return CrdSchemas.errors(d);
    }

    private static ObjectNode spec(ObjectNode d) {
        return (ObjectNode) d.get("spec");
    }

    @Test
    void theBaseDeploymentIsValidAsIs() {
        assertThat(errorsAfter(d -> {})).isEmpty();
    }

    @Test
    void aMisspeltFieldIsRefused() {
        assertThat(
                        errorsAfter(
                                d ->
                                        ((ObjectNode) spec(d).get("job"))
                                                .put("upgradeMod", "savepoint")))
                .anySatisfy(e -> assertThat(e).contains("upgradeMod"));
        assertThat(
                        errorsAfter(
                                d ->
                                        ((ObjectNode) spec(d).at("/podTemplate/spec/containers/0"))
                                                .put("securityContex", "x")))
                .isNotEmpty();
    }

    @Test
    void aValueOutsideItsEnumOrTypeIsRefused() {
        assertThat(errorsAfter(d -> spec(d).put("flinkVersion", "v2_3"))).isNotEmpty();
        assertThat(
                        errorsAfter(
                                d ->
                                        ((ObjectNode) spec(d).get("job"))
                                                .put("upgradeMode", "last_state")))
                .isNotEmpty();
        assertThat(errorsAfter(d -> ((ObjectNode) spec(d).get("job")).put("parallelism", "four")))
                .isNotEmpty();
        assertThat(
                        errorsAfter(
                                d ->
                                        ((ObjectNode) spec(d).at("/jobManager/resource"))
                                                .put("cpu", "one")))
                .isNotEmpty();
        assertThat(errorsAfter(d -> ((ObjectNode) spec(d).get("job")).putArray("args").add(3)))
                .isNotEmpty();
    }

    @Test
    void intOrStringAndPreservedFieldsAcceptWhatKubernetesAccepts() {
        // Pod template resources are int-or-string quantities; flinkConfiguration keeps anything.
        assertThat(
                        errorsAfter(
                                d -> {
                                    ObjectNode c =
                                            (ObjectNode)
                                                    spec(d).at("/podTemplate/spec/containers/0");
                                    c.putObject("resources")
                                            .putObject("limits")
                                            .put("cpu", 2)
                                            .put("memory", "4Gi");
                                    ((ObjectNode) spec(d).get("flinkConfiguration"))
                                            .put("anything.at.all", "x");
                                }))
                .isEmpty();
        assertThat(
                        errorsAfter(
                                d ->
                                        ((ObjectNode) spec(d).at("/podTemplate/spec/containers/0"))
                                                .putObject("resources")
                                                .putObject("limits")
                                                .put("cpu", true)))
                .isNotEmpty();
    }

    @Test
    void theResourceEnvelopeIsChecked() {
        assertThat(errorsAfter(d -> ((ObjectNode) d.get("metadata")).remove("name"))).isNotEmpty();
        assertThat(errorsAfter(d -> ((ObjectNode) d.get("metadata")).put("name", "Settle_Prod")))
                .isNotEmpty();
        assertThat(errorsAfter(d -> d.put("apiVersion", "flink.apache.org/v1alpha1"))).isNotEmpty();
        assertThat(
                        errorsAfter(
                                d ->
                                        ((ObjectNode) d.get("metadata"))
                                                .putObject("labels")
                                                .put("n", 1)))
                .isNotEmpty();
    }

    @Test
    void aSnapshotWithAnUnknownFormatIsRefused() {
        ObjectNode snapshot =
                (ObjectNode) Repo.document(Repo.K8S.resolve("snapshots/savepoint-manual.yaml"));
        assertThat(CrdSchemas.errors(snapshot)).isEmpty();
        ((ObjectNode) snapshot.at("/spec/savepoint")).put("formatType", "BINARY");
        assertThat(CrdSchemas.errors(snapshot)).isNotEmpty();
        ObjectNode checkpointWithFields =
                (ObjectNode) Repo.document(Repo.K8S.resolve("snapshots/savepoint-manual.yaml"));
        ((ObjectNode) checkpointWithFields.get("spec")).putObject("checkpoint").put("type", "FULL");
        assertThat(CrdSchemas.errors(checkpointWithFields))
                .as("checkpoint is an object with no fields in this CRD")
                .isNotEmpty();
    }

    @Test
    void duplicateYamlKeysAreRefused() {
        assertThatThrownBy(() -> Repo.documents("a: 1\nb: 2\na: 3\n"))
                .hasMessageContaining("Duplicate field 'a'");
    }

    @Test
    void theRendererRefusesWhatItDoesNotRender(@TempDir Path dir) throws Exception {
        Files.writeString(
                dir.resolve("kustomization.yaml"),
                "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nimages:\n  - name: x\n");
        assertThatThrownBy(() -> Kustomize.render(dir)).hasMessageContaining("'images'");
    }
}
