package io.settle.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The savepoint scripts: the same verbs for the standalone cluster ({@code
 * savepoint-scripts/standalone/}) and for the Flink Kubernetes Operator ({@code
 * savepoint-scripts/k8s/}), on one shell library ({@code savepoint-scripts/lib.sh}).
 *
 * <p>Every verb exists on both targets, answers {@code --help} with its header and fails on a bad
 * option with exit 2 naming it; options a verb has on both targets have the same names. The
 * Kubernetes verbs run for real with {@code --dry-run}: each prints the manifest or patch it would
 * apply, which must validate against the operator's CRDs, without touching kubectl (a kubectl on
 * the PATH that records any call proves it is never run). Without {@code --dry-run} they run
 * against a fake kubectl that answers as the operator would ({@code fake-kubectl}), which shows
 * what they print: the result alone on stdout, in the same shape as the standalone verbs.
 */
class SavepointScriptsTest {

    static final List<String> VERBS =
            List.of("trigger", "stop", "restore", "upgrade", "list", "dispose");
    static final List<String> TARGETS = List.of("standalone", "k8s");

    /** Options each verb has on both targets, by the same name. */
    static final Map<String, List<String>> SHARED_OPTIONS =
            Map.of(
                    "trigger", List.of("--dir", "--format", "--timeout"),
                    "stop", List.of("--timeout"),
                    "restore", List.of("--allowNonRestoredState", "--timeout"),
                    "upgrade", List.of("--timeout"),
                    "list", List.of(),
                    "dispose", List.of("--timeout"));

    static final String SAVEPOINT = "s3://settle-prod/savepoints/savepoint-4f1c2a-5e0c0e3b1a2b";
    static final String JOB_ID = "0123456789abcdef0123456789abcdef";
    static final String JOB_ID_PATTERN = "[0-9a-f]{32}";

    @TempDir static Path bin;

    private static Path kubectlCalls;

    /** A kubectl that only records that it was called, first on the PATH. */
    @BeforeAll
    static void kubectlTripwire() throws IOException {
        kubectlCalls = bin.resolve("kubectl-calls");
        Path kubectl = bin.resolve("kubectl");
        Files.writeString(
                kubectl, "#!/bin/sh\necho \"kubectl $*\" >> '" + kubectlCalls + "'\nexit 97\n");
        Files.setPosixFilePermissions(kubectl, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    record Run(int exit, String out, String err) {
        List<JsonNode> manifests() {
            return Repo.documents(out);
        }
    }

    /** Runs savepoint-scripts/TARGET/VERB with the tripwire kubectl. */
    static Run run(String target, String verb, String... args) throws Exception {
        return run(bin, Map.of(), target, verb, args);
    }

    static Run run(Path path, Map<String, String> env, String target, String verb, String... args)
            throws Exception {
        List<String> command =
                new ArrayList<>(
                        List.of("bash", Repo.SCRIPTS.resolve(target).resolve(verb).toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("PATH", path + ":" + System.getenv("PATH"));
        pb.environment().remove("SETTLE_NAMESPACE");
        pb.environment().remove("SETTLE_DEPLOYMENT");
        pb.environment().remove("SETTLE_CLUSTER_DIR");
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(target + "/" + verb + " finishes").isTrue();
        return new Run(
                p.exitValue(),
                new String(out, StandardCharsets.UTF_8),
                new String(err, StandardCharsets.UTF_8));
    }

    private static JsonNode onlyManifest(Run r, String kind) {
        assertThat(r.exit()).as(r.err()).isZero();
        List<JsonNode> docs = r.manifests();
        assertThat(docs).hasSize(1);
        JsonNode doc = docs.get(0);
        assertThat(doc.path("kind").asText()).isEqualTo(kind);
        assertThat(CrdSchemas.errors(doc)).as(r.out()).isEmpty();
        assertThat(kubectlCalls).as("kubectl is never run with --dry-run").doesNotExist();
        return doc;
    }

    // ---------------------------------------------------------------------------------------
    // Both targets: the same verbs, help, bad options, option names, one library.

    @Test
    void bothTargetsHaveTheSameVerbs() throws IOException {
        for (String target : TARGETS) {
            Set<String> scripts = new TreeSet<>();
            try (Stream<Path> files = Files.list(Repo.SCRIPTS.resolve(target))) {
                files.map(f -> f.getFileName().toString())
                        .filter(n -> !n.equals("lib.sh"))
                        .forEach(scripts::add);
            }
            assertThat(scripts).as(target).containsExactlyInAnyOrderElementsOf(VERBS);
        }
    }

    @Test
    void everyVerbHasAHeaderStrictModeHelpAndItsTwin() throws Exception {
        for (String target : TARGETS) {
            String twin = target.equals("k8s") ? "standalone" : "k8s";
            String library =
                    target.equals("k8s")
                            ? "source \"$(dirname \"${BASH_SOURCE[0]}\")/lib.sh\""
                            : "source \"$(dirname \"${BASH_SOURCE[0]}\")/../../cluster/lib.sh\"";
            for (String verb : VERBS) {
                String name = "savepoint-scripts/" + target + "/" + verb;
                Path script = Repo.SCRIPTS.resolve(target).resolve(verb);
                String text = Files.readString(script);
                assertThat(text).as(name).startsWith("#!/usr/bin/env bash\n# ");
                assertThat(text).as(name).contains("\nset -euo pipefail\n").contains(library);
                assertThat(Files.isExecutable(script)).as(name).isTrue();
                Run help = run(target, verb, "--help");
                assertThat(help.exit()).as(name).isZero();
                assertThat(help.out())
                        .as(name)
                        .contains("Usage: " + name)
                        .contains("savepoint-scripts/" + twin + "/" + verb);
                if (target.equals("k8s")) {
                    assertThat(help.out())
                            .as(name)
                            .contains("--dry-run")
                            .contains("-n, --namespace NS")
                            .contains("-d, --deployment NAME");
                }
            }
        }
        assertThat(kubectlCalls).doesNotExist();
    }

    @Test
    void everyVerbFailsOnABadOptionWithExitTwoNamingIt() throws Exception {
        for (String target : TARGETS) {
            for (String verb : VERBS) {
                Run r =
                        target.equals("k8s")
                                ? run(target, verb, "--dry-run", "--no-such-option")
                                : run(target, verb, "--no-such-option");
                assertThat(r.exit()).as(target + "/" + verb + ": " + r.err()).isEqualTo(2);
                assertThat(r.err())
                        .as(target + "/" + verb)
                        .contains("'--no-such-option'")
                        .contains("--help");
                assertThat(r.out()).as(target + "/" + verb).isEmpty();
            }
        }
        assertThat(kubectlCalls).doesNotExist();
    }

    @Test
    void optionsOnBothTargetsHaveTheSameNames() throws Exception {
        for (String verb : VERBS) {
            for (String option : SHARED_OPTIONS.get(verb)) {
                for (String target : TARGETS) {
                    assertThat(run(target, verb, "--help").out())
                            .as(target + "/" + verb + " documents " + option)
                            .contains(option);
                }
            }
        }
        // The Kubernetes verbs take them (the standalone ones need a cluster to go further).
        onlyManifest(
                run(
                        "k8s",
                        "trigger",
                        "--dry-run",
                        "--dir",
                        "s3://b/savepoints",
                        "--format",
                        "native",
                        "--timeout",
                        "60"),
                "FlinkStateSnapshot");
        onlyManifest(
                run("k8s", "restore", "--dry-run", "--allowNonRestoredState", SAVEPOINT),
                "FlinkDeployment");
        assertThat(run("k8s", "trigger", "--dry-run", "--format", "binary").exit()).isEqualTo(2);
        assertThat(run("standalone", "trigger", "--format", "binary", JOB_ID).exit()).isEqualTo(2);
    }

    /** Each shell function is defined once, in one file, across the libraries and scripts. */
    @Test
    void oneLibraryAndNoFunctionDefinedTwice() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path dir : List.of(Repo.ROOT.resolve("cluster"), Repo.SCRIPTS)) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.filter(Files::isRegularFile).sorted().forEach(files::add);
            }
        }
        files.add(Repo.ROOT.resolve("drill/run"));
        files.add(Repo.ROOT.resolve("drill/lib.sh"));
        Pattern definition = Pattern.compile("(?m)^\\s*([A-Za-z_][A-Za-z0-9_]*)\\(\\)\\s*\\{");
        Map<String, List<String>> definedIn = new TreeMap<>();
        for (Path f : files) {
            Matcher m = definition.matcher(Files.readString(f));
            while (m.find()) {
                definedIn.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(Repo.rel(f));
            }
        }
        Map<String, List<String>> twice = new LinkedHashMap<>();
        definedIn.forEach(
                (fn, where) -> {
                    if (where.size() > 1) {
                        twice.put(fn, where);
                    }
                });
        assertThat(twice).as("functions defined more than once").isEmpty();
        for (String fn :
                List.of(
                        "say",
                        "warn",
                        "die",
                        "usage_error",
                        "print_help",
                        "need_value",
                        "unknown_option",
                        "require_seconds",
                        "wait_until",
                        "now_ms")) {
            assertThat(definedIn.get(fn)).as(fn).containsExactly("savepoint-scripts/lib.sh");
        }
        assertThat(Files.readString(Repo.ROOT.resolve("cluster/lib.sh")))
                .contains(
                        "source \"$(dirname \"${BASH_SOURCE[0]}\")/../savepoint-scripts/lib.sh\"");
        assertThat(Files.readString(Repo.SCRIPTS.resolve("k8s/lib.sh")))
                .contains("source \"$(dirname \"${BASH_SOURCE[0]}\")/../lib.sh\"");
    }

    // ---------------------------------------------------------------------------------------
    // Kubernetes, --dry-run: the manifests and patches, valid against the operator's CRDs.

    @Test
    void triggerPrintsASnapshotOfTheDeployment() throws Exception {
        JsonNode s =
                onlyManifest(
                        run(
                                "k8s",
                                "trigger",
                                "--dry-run",
                                "-n",
                                "settle-dev",
                                "--name",
                                "before-release"),
                        "FlinkStateSnapshot");
        assertThat(s.at("/metadata/name").asText()).isEqualTo("before-release");
        assertThat(s.at("/metadata/namespace").asText()).isEqualTo("settle-dev");
        assertThat(s.at("/spec/jobReference/kind").asText()).isEqualTo("FlinkDeployment");
        assertThat(s.at("/spec/jobReference/name").asText()).isEqualTo("settle");
        assertThat(s.at("/spec/savepoint/disposeOnDelete").asBoolean()).isFalse();
        assertThat(s.at("/spec/savepoint/formatType").asText()).isEqualTo("CANONICAL");
        assertThat(s.at("/spec/savepoint/path").isMissingNode()).isTrue();

        JsonNode named = onlyManifest(run("k8s", "trigger", "--dry-run"), "FlinkStateSnapshot");
        assertThat(named.at("/metadata/name").asText()).matches("settle-savepoint-\\d{8}-\\d{6}");
        JsonNode disposing =
                onlyManifest(
                        run(
                                "k8s",
                                "trigger",
                                "--dry-run",
                                "--dispose-on-delete",
                                "--format",
                                "native",
                                "--dir",
                                "s3://b/savepoints"),
                        "FlinkStateSnapshot");
        assertThat(disposing.at("/spec/savepoint/disposeOnDelete").asBoolean()).isTrue();
        assertThat(disposing.at("/spec/savepoint/formatType").asText()).isEqualTo("NATIVE");
        assertThat(disposing.at("/spec/savepoint/path").asText()).isEqualTo("s3://b/savepoints");
    }

    @Test
    void upgradePatchesTheImageOnly() throws Exception {
        JsonNode p =
                onlyManifest(
                        run(
                                "k8s",
                                "upgrade",
                                "--dry-run",
                                "registry.example.com/settle/settle:0.2.0"),
                        "FlinkDeployment");
        assertThat(p.at("/metadata/name").asText()).isEqualTo("settle");
        assertThat(p.at("/spec/image").asText())
                .isEqualTo("registry.example.com/settle/settle:0.2.0");
        assertThat(p.path("spec").size()).isEqualTo(1);
    }

    @Test
    void restoreSetsThePathANewNonceAndRunning() throws Exception {
        JsonNode p =
                onlyManifest(
                        run("k8s", "restore", "--dry-run", SAVEPOINT, "--nonce", "7"),
                        "FlinkDeployment");
        assertThat(p.at("/spec/job/initialSavepointPath").asText()).isEqualTo(SAVEPOINT);
        assertThat(p.at("/spec/job/savepointRedeployNonce").asLong()).isEqualTo(7);
        assertThat(p.at("/spec/job/state").asText())
                .as("a stopped (suspended) job starts too")
                .isEqualTo("running");
        assertThat(p.at("/spec/job/allowNonRestoredState").asBoolean()).isFalse();
        assertThat(p.at("/spec/image").isMissingNode()).as("the image stays as it is").isTrue();
        JsonNode rollback =
                onlyManifest(
                        run(
                                "k8s",
                                "restore",
                                "--dry-run",
                                "--image",
                                "registry.example.com/settle/settle:0.1.0",
                                SAVEPOINT),
                        "FlinkDeployment");
        assertThat(rollback.at("/spec/image").asText())
                .isEqualTo("registry.example.com/settle/settle:0.1.0");
        assertThat(rollback.at("/spec/job/initialSavepointPath").asText()).isEqualTo(SAVEPOINT);
        JsonNode unnumbered =
                onlyManifest(run("k8s", "restore", "--dry-run", SAVEPOINT), "FlinkDeployment");
        assertThat(unnumbered.at("/spec/job/savepointRedeployNonce").isIntegralNumber()).isTrue();
        assertThat(unnumbered.at("/spec/job/savepointRedeployNonce").asLong()).isPositive();
        JsonNode dropping =
                onlyManifest(
                        run("k8s", "restore", "--dry-run", "--allowNonRestoredState", SAVEPOINT),
                        "FlinkDeployment");
        assertThat(dropping.at("/spec/job/allowNonRestoredState").asBoolean()).isTrue();
    }

    @Test
    void stopSuspendsTheDeployment() throws Exception {
        JsonNode stop =
                onlyManifest(run("k8s", "stop", "--dry-run", "-d", "settle"), "FlinkDeployment");
        assertThat(stop.at("/spec/job/state").asText()).isEqualTo("suspended");
        assertThat(stop.path("spec").path("job").size()).isEqualTo(1);
    }

    @Test
    void disposeNamesTheSnapshotItWouldDelete() throws Exception {
        Run r = run("k8s", "dispose", "--dry-run", "-n", "settle-dev", "before-release");
        JsonNode s = onlyManifest(r, "FlinkStateSnapshot");
        assertThat(s.at("/metadata/name").asText()).isEqualTo("before-release");
        assertThat(s.at("/metadata/namespace").asText()).isEqualTo("settle-dev");
        assertThat(r.out())
                .contains("# kubectl -n settle-dev delete flinkstatesnapshot before-release")
                .contains("disposeOnDelete");
    }

    @Test
    void listPrintsTheQueryAndAppliesNothing() throws Exception {
        Run r = run("k8s", "list", "--dry-run", "-n", "settle-dev");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.manifests()).isEmpty();
        assertThat(r.out()).contains("# kubectl -n settle-dev get flinkstatesnapshot");
        assertThat(kubectlCalls).doesNotExist();
    }

    @Test
    void badUsageExitsTwoAndNamesTheProblem() throws Exception {
        assertThat(run("k8s", "upgrade", "--dry-run"))
                .satisfies(
                        r -> {
                            assertThat(r.exit()).isEqualTo(2);
                            assertThat(r.err()).contains("IMAGE is required");
                        });
        assertThat(run("k8s", "restore", "--dry-run", "/tmp/local-savepoint"))
                .satisfies(
                        r -> {
                            assertThat(r.exit()).isEqualTo(2);
                            assertThat(r.err()).contains("durable storage");
                        });
        assertThat(run("k8s", "restore", "--dry-run").err()).contains("SAVEPOINT is required");
        assertThat(run("k8s", "dispose", "--dry-run").err()).contains("SNAPSHOT is required");
        assertThat(run("k8s", "stop", "--dry-run", "now").exit()).isEqualTo(2);
        assertThat(run("k8s", "trigger", "--dry-run", "--name", "Not_A_Name").exit()).isEqualTo(2);
        assertThat(run("k8s", "stop", "--dry-run", "-n", "Bad Namespace").exit()).isEqualTo(2);
        assertThat(run("k8s", "list", "--dry-run", "--timeout", "soon").exit()).isEqualTo(2);
        assertThat(kubectlCalls).doesNotExist();

        assertThat(run("standalone", "trigger").err()).contains("JOB_ID is required");
        assertThat(run("standalone", "trigger", "not-a-job").exit()).isEqualTo(2);
        assertThat(run("standalone", "stop", "--drain", JOB_ID).err()).contains("never drains");
        assertThat(run("standalone", "restore", SAVEPOINT).err())
                .contains("SAVEPOINT and JAR are required");
        assertThat(run("standalone", "dispose").err()).contains("SAVEPOINT is required");
    }

    @Test
    void withoutDryRunTheScriptsUseKubectl() throws Exception {
        // The same tripwire catches a real call: a script that must talk to the cluster does.
        try {
            Run r = run("k8s", "stop", "-n", "settle-dev");
            assertThat(r.exit()).isNotZero();
            assertThat(kubectlCalls).exists();
            assertThat(Files.readString(kubectlCalls))
                    .contains("kubectl -n settle-dev get flinkdeployment settle");
        } finally {
            Files.deleteIfExists(kubectlCalls);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Kubernetes, live against a fake operator: the result alone on stdout.

    @TempDir Path fake;

    /** Runs a k8s verb against fake-kubectl, in its own work dir (its calls, its state). */
    private Run live(Map<String, String> env, String verb, String... args) throws Exception {
        Path fakeBin = fake.resolve("bin");
        if (!Files.exists(fakeBin.resolve("kubectl"))) {
            Files.createDirectories(fakeBin);
            Files.copy(
                    Repo.ROOT.resolve("deploy-checks/src/test/resources/fake-kubectl"),
                    fakeBin.resolve("kubectl"));
            Files.setPosixFilePermissions(
                    fakeBin.resolve("kubectl"), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path work = Files.createTempDirectory(fake, verb);
        Files.writeString(
                work.resolve("snapshots.tsv"),
                String.join(
                        "\n",
                        "2025-03-02T10:00:00Z\tsettle-savepoint-b\tFlinkDeployment\tsettle\t{\"disposeOnDelete\":false}\tCOMPLETED\ts3://b/sp-2",
                        "2025-03-01T10:00:00Z\tsettle-periodic-a\tFlinkDeployment\tsettle\t{\"formatType\":\"CANONICAL\"}\tCOMPLETED\ts3://b/sp-1",
                        "2025-03-01T11:00:00Z\tsettle-checkpoint-x\tFlinkDeployment\tsettle\t\tCOMPLETED\ts3://b/chk-1",
                        "2025-03-01T12:00:00Z\tother-savepoint\tFlinkDeployment\tother\t{}\tCOMPLETED\ts3://b/other",
                        "2025-03-03T10:00:00Z\tsettle-savepoint-c\tFlinkDeployment\tsettle\t{}\tIN_PROGRESS\t",
                        ""));
        Map<String, String> all = new TreeMap<>(env);
        all.put("FAKE_KUBECTL_DIR", work.toString());
        List<String> withTimeout = new ArrayList<>(List.of(args));
        withTimeout.addAll(List.of("--timeout", "30"));
        Run r = run(fakeBin, all, "k8s", verb, withTimeout.toArray(new String[0]));
        assertThat(r.err()).as(verb).doesNotContain("fake-kubectl: unexpected");
        return r;
    }

    @Test
    void theVerbsPrintTheirResultAloneOnStdout() throws Exception {
        Run trigger = live(Map.of(), "trigger");
        assertThat(trigger.exit()).as(trigger.err()).isZero();
        assertThat(trigger.out()).isEqualTo("s3://b/savepoints/savepoint-1\n");

        Run stop = live(Map.of(), "stop");
        assertThat(stop.exit()).as(stop.err()).isZero();
        assertThat(stop.out()).isEqualTo("s3://b/savepoints/savepoint-new\n");

        Run restore = live(Map.of(), "restore", SAVEPOINT);
        assertThat(restore.exit()).as(restore.err()).isZero();
        assertThat(restore.out()).matches(JOB_ID_PATTERN + "\n");

        Run upgrade = live(Map.of(), "upgrade", "registry.example.com/settle/settle:0.2.0");
        assertThat(upgrade.exit()).as(upgrade.err()).isZero();
        assertThat(upgrade.out())
                .matches("s3://b/savepoints/savepoint-new\n" + JOB_ID_PATTERN + "\n");
    }

    @Test
    void listShowsTheDeploymentsSavepointsOldestFirst() throws Exception {
        Run r = live(Map.of(), "list");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).matches("SNAPSHOT\\s+WRITTEN\\s+STATE\\s+PATH");
        assertThat(lines.subList(1, lines.size()))
                .satisfiesExactly(
                        l ->
                                assertThat(l)
                                        .startsWith("settle-periodic-a ")
                                        .endsWith(" s3://b/sp-1"),
                        l ->
                                assertThat(l)
                                        .startsWith("settle-savepoint-b ")
                                        .endsWith(" s3://b/sp-2"),
                        l ->
                                assertThat(l)
                                        .startsWith("settle-savepoint-c ")
                                        .contains("IN_PROGRESS"));
    }

    @Test
    void disposeSaysWhetherTheOperatorDisposesTheFiles() throws Exception {
        Run kept = live(Map.of("FAKE_DISPOSE_ON_DELETE", "false"), "dispose", "settle-savepoint-b");
        assertThat(kept.exit()).as(kept.err()).isZero();
        assertThat(kept.out()).isEqualTo("s3://b/savepoints/savepoint-1\n");
        assertThat(kept.err()).contains("KEPT").contains("disposeOnDelete is false");

        Run disposed =
                live(Map.of("FAKE_DISPOSE_ON_DELETE", "true"), "dispose", "settle-savepoint-b");
        assertThat(disposed.exit()).as(disposed.err()).isZero();
        assertThat(disposed.out()).isEqualTo("s3://b/savepoints/savepoint-1\n");
        assertThat(disposed.err()).contains("the operator disposed of its files");

        Run stuck =
                live(
                        Map.of("FAKE_DISPOSE_ON_DELETE", "true", "FAKE_JOB_STATE", "FAILED"),
                        "dispose",
                        "settle-savepoint-b");
        assertThat(stuck.exit()).isEqualTo(1);
        assertThat(stuck.err()).contains("REST API").contains("FAILED");
        assertThat(stuck.out()).isEmpty();
    }
}
