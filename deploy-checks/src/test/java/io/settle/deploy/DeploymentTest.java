package io.settle.deploy;

import org.apache.flink.util.TimeUtils;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.settle.jobs.SettleOptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the manifests promise each other and the job: the image holds the jar the deployment runs,
 * the job's arguments are options the job accepts, Kafka and S3 secrets come from Secrets only, the
 * pods run as the image's non-root user with the rights native mode and HA need, upgrades go
 * through savepoints without a silent fallback, and the PodMonitor finds the reporter's port.
 */
class DeploymentTest {

    private static final Path DOCKERFILE = Repo.K8S.resolve("Dockerfile");

    private static String dockerfile() {
        return Repo.read(DOCKERFILE);
    }

    private static String dockerfileMatch(String regex) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(dockerfile());
        assertThat(m.find()).as("Dockerfile line matching " + regex).isTrue();
        return m.group(1);
    }

    // ---------------------------------------------------------------------------------------
    // Image and job jar.

    @Test
    void theImageIsFlinkOfTheDeploymentsVersion() {
        String from = dockerfileMatch("^FROM (\\S+)");
        assertThat(from).isEqualTo("flink:2.2");
        for (ObjectNode d : Deployments.all().values()) {
            assertThat(d.at("/spec/flinkVersion").asText()).isEqualTo("v2_2");
        }
    }

    @Test
    void theImageHoldsTheShadedJobJarTheDeploymentRuns() throws Exception {
        String source = "job/target/settle-job.jar";
        Matcher copy =
                Pattern.compile("^COPY (?:--chown=\\S+ )?(\\S+) (\\S+)$", Pattern.MULTILINE)
                        .matcher(dockerfile());
        assertThat(copy.find()).as("a COPY of the job jar").isTrue();
        assertThat(copy.group(1)).isEqualTo(source);
        String target = copy.group(2);
        assertThat(target).startsWith("/opt/flink/usrlib/");

        for (ObjectNode d : Deployments.all().values()) {
            assertThat(d.at("/spec/job/jarURI").asText()).isEqualTo("local://" + target);
        }
        // The jar the Dockerfile copies is the one the build makes, with the deployment's entry.
        Path jar = Repo.ROOT.resolve(source);
        assertThat(jar).as("built by the jobs module's package phase").isRegularFile();
        try (JarFile j = new JarFile(jar.toFile())) {
            String main = j.getManifest().getMainAttributes().getValue("Main-Class");
            assertThat(Deployments.base().at("/spec/job/entryClass").asText()).isEqualTo(main);
            assertThat(j.getEntry(main.replace('.', '/') + ".class")).isNotNull();
            assertThat(j.getEntry("org/apache/flink/connector/kafka/source/KafkaSource.class"))
                    .as("the Kafka connector is bundled")
                    .isNotNull();
            assertThat(
                            j.getEntry(
                                    "org/apache/flink/streaming/api/environment/StreamExecutionEnvironment.class"))
                    .as("Flink itself is the cluster's")
                    .isNull();
        }
    }

    @Test
    void theS3PluginIsEnabledWhereverStateIsOnS3() {
        assertThat(dockerfile()).contains("/opt/flink/plugins/s3-fs-hadoop");
        for (Map.Entry<String, ObjectNode> e : Deployments.all().entrySet()) {
            Map<String, String> conf = Deployments.conf(e.getValue());
            for (String key :
                    List.of(
                            "execution.checkpointing.dir",
                            "execution.checkpointing.savepoint-dir",
                            "high-availability.storageDir")) {
                assertThat(conf.get(key)).as(e.getKey() + " " + key).startsWith("s3://");
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // Job arguments and Kafka properties.

    /** The environment a pod gets from the manifest, with placeholder values for Secrets. */
    private static Map<String, String> podEnvironment(JsonNode deployment) {
        Map<String, String> env = new HashMap<>();
        for (JsonNode e : Deployments.mainContainer(deployment).path("env")) {
            env.put(e.path("name").asText(), "value-of-" + e.path("name").asText());
        }
        return env;
    }

    @Test
    void theJobArgumentsAreOptionsTheJobAccepts() {
        Set<String> prefixes = new HashSet<>();
        Set<String> groups = new HashSet<>();
        for (Map.Entry<String, ObjectNode> e : Deployments.all().entrySet()) {
            SettleOptions.Parsed options =
                    SettleOptions.parse(
                            Deployments.args(e.getValue()), podEnvironment(e.getValue()));
            options.validate(); // throws, naming the option, on anything the job would refuse
            assertThat(options.help()).isFalse();
            assertThat(options.mode()).isEqualTo(SettleOptions.Mode.LIVE);
            if (!e.getKey().equals("base")) {
                prefixes.add(options.get(SettleOptions.TRANSACTIONAL_ID_PREFIX));
                groups.add(options.get(SettleOptions.GROUP_ID));
            }
        }
        assertThat(prefixes).as("transactional ids are unique per environment").hasSize(2);
        assertThat(groups).as("consumer groups are unique per environment").hasSize(2);
    }

    @Test
    void kafkaSecurityPropertiesReachTheJobFromTheEnvironment() {
        JsonNode base = Deployments.base();
        Properties kafka =
                SettleOptions.parse(Deployments.args(base), podEnvironment(base)).kafkaProperties();
        assertThat(kafka.stringPropertyNames())
                .containsExactlyInAnyOrder(
                        "security.protocol", "sasl.mechanism", "sasl.jaas.config");
        // ... and each comes from the Secret key of the same name.
        for (JsonNode e : Deployments.mainContainer(base).path("env")) {
            String name = e.path("name").asText();
            if (name.startsWith(io.settle.cli.OptionSet.KAFKA_PROPERTY_ENV_PREFIX)) {
                String property =
                        name.substring(io.settle.cli.OptionSet.KAFKA_PROPERTY_ENV_PREFIX.length())
                                .toLowerCase(java.util.Locale.ROOT)
                                .replace('_', '.');
                assertThat(e.at("/valueFrom/secretKeyRef/key").asText()).isEqualTo(property);
                assertThat(e.at("/valueFrom/secretKeyRef/name").asText()).isEqualTo("settle-kafka");
            }
        }
    }

    @Test
    void noSecretIsWrittenDown() throws Exception {
        for (ObjectNode d : Deployments.all().values()) {
            for (JsonNode e : Deployments.mainContainer(d).path("env")) {
                assertThat(e.has("value"))
                        .as(
                                "env %s must come from a Secret (valueFrom.secretKeyRef)",
                                e.path("name").asText())
                        .isFalse();
                assertThat(e.at("/valueFrom/secretKeyRef/name").asText()).isNotBlank();
            }
            for (String arg : Deployments.args(d)) {
                assertThat(arg.toLowerCase(java.util.Locale.ROOT))
                        .doesNotContain("password")
                        .doesNotContain("jaas")
                        .doesNotContain("secret");
            }
            for (String key : Deployments.conf(d).keySet()) {
                assertThat(key)
                        .doesNotContain("access-key")
                        .doesNotContain("secret-key")
                        .doesNotContain("password");
            }
        }
        for (ObjectNode m : ManifestsTest.manifests()) {
            assertThat(m.path("kind").asText()).as(m.path("_file").asText()).isNotEqualTo("Secret");
        }
        Pattern credential =
                Pattern.compile(
                        "password\\s*=\\s*\"[^\"]+\"|BEGIN [A-Z ]*PRIVATE KEY|AKIA[0-9A-Z]{16}",
                        Pattern.CASE_INSENSITIVE);
        List<Path> files = new ArrayList<>();
        for (Path dir : List.of(Repo.K8S, Repo.SCRIPTS)) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.filter(Files::isRegularFile)
                        .filter(p -> !p.toString().endsWith(".png"))
                        .forEach(files::add);
            }
        }
        assertThat(files).isNotEmpty();
        for (Path f : files) {
            assertThat(credential.matcher(Repo.read(f)).find())
                    .as("a credential in " + Repo.rel(f))
                    .isFalse();
        }
    }

    // ---------------------------------------------------------------------------------------
    // Checkpoints, upgrades, HA.

    @Test
    void upgradesGoThroughSavepointsWithoutSilentFallback() {
        for (Map.Entry<String, ObjectNode> e : Deployments.all().entrySet()) {
            JsonNode job = e.getValue().at("/spec/job");
            Map<String, String> conf = Deployments.conf(e.getValue());
            assertThat(job.path("upgradeMode").asText()).as(e.getKey()).isEqualTo("savepoint");
            assertThat(job.path("state").asText()).isEqualTo("running");
            assertThat(job.path("allowNonRestoredState").asBoolean(true)).isFalse();
            assertThat(conf)
                    .containsEntry(
                            "kubernetes.operator.job.upgrade.last-state-fallback.enabled", "false")
                    .containsEntry("high-availability.type", "kubernetes")
                    .containsEntry("state.backend.type", "rocksdb")
                    .containsEntry("execution.checkpointing.incremental", "true")
                    .containsKey("execution.checkpointing.savepoint-dir")
                    .containsKey("kubernetes.operator.periodic.savepoint.interval")
                    .containsKey("kubernetes.operator.savepoint.history.max.count")
                    .containsKey("kubernetes.operator.savepoint.history.max.age");
            assertThat(job.has("initialSavepointPath"))
                    .as(
                            "a restore path is set for one restore (savepoint-scripts/k8s/restore), not left in the manifests")
                    .isFalse();
        }
    }

    @Test
    void checkpointsFinishWellInsideTheKafkaTransactionTimeout() {
        for (Map.Entry<String, ObjectNode> e : Deployments.all().entrySet()) {
            Map<String, String> conf = Deployments.conf(e.getValue());
            SettleOptions.Parsed options =
                    SettleOptions.parse(
                            Deployments.args(e.getValue()), podEnvironment(e.getValue()));
            Duration interval =
                    TimeUtils.parseDuration(conf.get("execution.checkpointing.interval"));
            assertThat(interval)
                    .as("the cluster's interval is the job's --checkpoint.interval")
                    .isEqualTo(options.get(SettleOptions.CHECKPOINT_INTERVAL));
            Duration timeout = TimeUtils.parseDuration(conf.get("execution.checkpointing.timeout"));
            Duration backoff =
                    TimeUtils.parseDuration(
                            conf.get("restart-strategy.exponential-delay.max-backoff"));
            assertThat(timeout.plus(backoff).multipliedBy(2))
                    .as("two failed checkpoints and restarts fit in one Kafka transaction")
                    .isLessThan(options.get(SettleOptions.TRANSACTION_TIMEOUT));
            // A tolerated failure does not restart the job: the transactions of the failed
            // checkpoint stay open until the next one completes.
            int tolerated =
                    Integer.parseInt(
                            conf.getOrDefault(
                                    "execution.checkpointing.tolerable-failed-checkpoints", "0"));
            assertThat(timeout.plus(interval).multipliedBy(tolerated + 1L))
                    .as(
                            "the tolerated failed checkpoints and the next one fit in one Kafka"
                                    + " transaction")
                    .isLessThan(options.get(SettleOptions.TRANSACTION_TIMEOUT));
        }
    }

    // ---------------------------------------------------------------------------------------
    // Pods: identity, rights, security, metrics port.

    @Test
    void podsRunAsTheImagesNonRootUser() {
        String user = dockerfileMatch("^USER (\\d+)(?::\\d+)?$");
        assertThat(Integer.parseInt(user)).isNotZero();
        for (ObjectNode d : Deployments.all().values()) {
            JsonNode pod = d.at("/spec/podTemplate/spec/securityContext");
            assertThat(pod.path("runAsNonRoot").asBoolean()).isTrue();
            assertThat(pod.path("runAsUser").asText()).isEqualTo(user);
            JsonNode container = Deployments.mainContainer(d).path("securityContext");
            assertThat(container.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
            assertThat(container.path("capabilities").path("drop").toString()).contains("ALL");
        }
    }

    @Test
    void theServiceAccountHasTheRightsNativeModeAndHaNeed() {
        ObjectNode sa = null;
        ObjectNode role = null;
        ObjectNode binding = null;
        for (JsonNode doc : Repo.documents(Repo.K8S.resolve("base/rbac.yaml"))) {
            switch (doc.path("kind").asText()) {
                case "ServiceAccount" -> sa = (ObjectNode) doc;
                case "Role" -> role = (ObjectNode) doc;
                case "RoleBinding" -> binding = (ObjectNode) doc;
                default -> throw new AssertionError("unexpected " + doc.path("kind"));
            }
        }
        assertThat(sa).isNotNull();
        assertThat(role).isNotNull();
        assertThat(binding).isNotNull();
        String account = sa.at("/metadata/name").asText();
        for (ObjectNode d : Deployments.all().values()) {
            assertThat(d.at("/spec/serviceAccount").asText()).isEqualTo(account);
        }
        assertThat(binding.at("/roleRef/kind").asText()).isEqualTo("Role");
        assertThat(binding.at("/roleRef/name").asText())
                .isEqualTo(role.at("/metadata/name").asText());
        assertThat(binding.at("/subjects/0/kind").asText()).isEqualTo("ServiceAccount");
        assertThat(binding.at("/subjects/0/name").asText()).isEqualTo(account);

        // The operator's job role: pods and configmaps (TaskManagers, HA), deployments (the JM).
        Map<String, Set<String>> granted = new HashMap<>();
        for (JsonNode rule : role.path("rules")) {
            for (JsonNode group : rule.path("apiGroups")) {
                for (JsonNode resource : rule.path("resources")) {
                    Set<String> verbs =
                            granted.computeIfAbsent(
                                    group.asText() + "/" + resource.asText(), k -> new HashSet<>());
                    rule.path("verbs").forEach(v -> verbs.add(v.asText()));
                }
            }
        }
        List<String> all = List.of("get", "list", "watch", "create", "update", "patch", "delete");
        for (String resource :
                List.of(
                        "/pods",
                        "/configmaps",
                        "apps/deployments",
                        "apps/deployments/finalizers")) {
            assertThat(granted.getOrDefault(resource, Set.of())).as(resource).containsAll(all);
        }
        assertThat(granted.keySet())
                .as("nothing beyond the job role: no secrets, no cluster rights")
                .containsExactlyInAnyOrder(
                        "/pods", "/configmaps", "apps/deployments", "apps/deployments/finalizers");
        // Rendered, the binding's subject is in the overlay's namespace.
        for (String env : Deployments.ENVIRONMENTS) {
            for (ObjectNode o : Kustomize.render(Repo.K8S.resolve("overlays/" + env))) {
                if (o.path("kind").asText().equals("RoleBinding")) {
                    assertThat(o.at("/subjects/0/namespace").asText()).isEqualTo("settle-" + env);
                }
            }
        }
    }

    @Test
    void thePodMonitorScrapesTheReportersNamedPortOnFlinksNativeLabels() {
        JsonNode monitor = Repo.document(Repo.MONITORING.resolve("podmonitor.yaml"));
        JsonNode base = Deployments.base();
        Map<String, String> conf = Deployments.conf(base);
        assertThat(conf.get("metrics.reporters")).isEqualTo("prom");
        assertThat(conf.get("metrics.reporter.prom.factory.class"))
                .isEqualTo("org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        int reporterPort =
                Integer.parseInt(conf.getOrDefault("metrics.reporter.prom.port", "9249"));

        String portName = monitor.at("/spec/podMetricsEndpoints/0/port").asText();
        JsonNode port = null;
        for (JsonNode p : Deployments.mainContainer(base).path("ports")) {
            if (p.path("name").asText().equals(portName)) {
                port = p;
            }
        }
        assertThat(port).as("a containerPort named " + portName).isNotNull();
        assertThat(port.path("containerPort").asInt()).isEqualTo(reporterPort);

        JsonNode labels = monitor.at("/spec/selector/matchLabels");
        assertThat(labels.path("app").asText()).isEqualTo(base.at("/metadata/name").asText());
        assertThat(labels.path("type").asText()).isEqualTo("flink-native-kubernetes");
        JsonNode component = monitor.at("/spec/selector/matchExpressions/0");
        assertThat(component.path("key").asText()).isEqualTo("component");
        assertThat(component.path("values").toString())
                .contains("jobmanager")
                .contains("taskmanager");
        assertThat(monitor.at("/spec/podTargetLabels").toString()).contains("\"app\"");
    }
}
