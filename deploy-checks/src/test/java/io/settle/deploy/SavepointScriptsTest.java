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
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kubernetes savepoint scripts, run for real with {@code --dry-run}: each prints the manifest
 * it would apply, which must validate against the operator's CRDs and say what the script is for,
 * without touching kubectl (a kubectl on the PATH that records any call proves it is never run).
 * Bad usage exits 2 with a message; {@code --help} prints the script's header.
 */
class SavepointScriptsTest {

    private static final List<String> SCRIPTS =
            List.of("savepoint.sh", "upgrade.sh", "restore.sh", "suspend.sh", "resume.sh");

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

    static Run run(String script, String... args) throws Exception {
        List<String> command =
                new ArrayList<>(List.of("bash", Repo.SCRIPTS.resolve(script).toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().remove("SETTLE_NAMESPACE");
        pb.environment().remove("SETTLE_DEPLOYMENT");
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as(script + " finishes").isTrue();
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

    @Test
    void savepointPrintsASnapshotOfTheDeployment() throws Exception {
        JsonNode s =
                onlyManifest(
                        run(
                                "savepoint.sh",
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

        JsonNode named = onlyManifest(run("savepoint.sh", "--dry-run"), "FlinkStateSnapshot");
        assertThat(named.at("/metadata/name").asText()).matches("settle-savepoint-\\d{8}-\\d{6}");
        JsonNode disposing =
                onlyManifest(
                        run("savepoint.sh", "--dry-run", "--dispose-on-delete"),
                        "FlinkStateSnapshot");
        assertThat(disposing.at("/spec/savepoint/disposeOnDelete").asBoolean()).isTrue();
    }

    @Test
    void upgradePatchesTheImageOnly() throws Exception {
        JsonNode p =
                onlyManifest(
                        run(
                                "upgrade.sh",
                                "--dry-run",
                                "--image",
                                "registry.example.com/settle/settle:0.2.0"),
                        "FlinkDeployment");
        assertThat(p.at("/metadata/name").asText()).isEqualTo("settle");
        assertThat(p.at("/spec/image").asText())
                .isEqualTo("registry.example.com/settle/settle:0.2.0");
        assertThat(p.path("spec").size()).isEqualTo(1);
    }

    @Test
    void restoreSetsThePathAndANewNonce() throws Exception {
        String path = "s3://settle-prod/savepoints/savepoint-4f1c2a-5e0c0e3b1a2b";
        JsonNode p =
                onlyManifest(
                        run("restore.sh", "--dry-run", "--savepoint", path, "--nonce", "7"),
                        "FlinkDeployment");
        assertThat(p.at("/spec/job/initialSavepointPath").asText()).isEqualTo(path);
        assertThat(p.at("/spec/job/savepointRedeployNonce").asLong()).isEqualTo(7);
        assertThat(p.at("/spec/image").isMissingNode()).as("the image stays as it is").isTrue();
        JsonNode rollback =
                onlyManifest(
                        run(
                                "restore.sh",
                                "--dry-run",
                                "--savepoint",
                                path,
                                "--image",
                                "registry.example.com/settle/settle:0.1.0"),
                        "FlinkDeployment");
        assertThat(rollback.at("/spec/image").asText())
                .isEqualTo("registry.example.com/settle/settle:0.1.0");
        assertThat(rollback.at("/spec/job/initialSavepointPath").asText()).isEqualTo(path);
        JsonNode unnumbered =
                onlyManifest(
                        run("restore.sh", "--dry-run", "--savepoint", path), "FlinkDeployment");
        assertThat(unnumbered.at("/spec/job/savepointRedeployNonce").isIntegralNumber()).isTrue();
        assertThat(unnumbered.at("/spec/job/savepointRedeployNonce").asLong()).isPositive();
    }

    @Test
    void suspendAndResumeFlipTheJobState() throws Exception {
        JsonNode suspend =
                onlyManifest(run("suspend.sh", "--dry-run", "-d", "settle"), "FlinkDeployment");
        assertThat(suspend.at("/spec/job/state").asText()).isEqualTo("suspended");
        JsonNode resume = onlyManifest(run("resume.sh", "--dry-run"), "FlinkDeployment");
        assertThat(resume.at("/spec/job/state").asText()).isEqualTo("running");
    }

    @Test
    void badUsageExitsTwoAndNamesTheProblem() throws Exception {
        assertThat(run("upgrade.sh", "--dry-run"))
                .satisfies(
                        r -> {
                            assertThat(r.exit()).isEqualTo(2);
                            assertThat(r.err()).contains("--image is required");
                        });
        assertThat(run("restore.sh", "--dry-run", "--savepoint", "/tmp/local-savepoint"))
                .satisfies(
                        r -> {
                            assertThat(r.exit()).isEqualTo(2);
                            assertThat(r.err()).contains("durable storage");
                        });
        assertThat(run("resume.sh", "--dry-run", "--bogus").exit()).isEqualTo(2);
        assertThat(run("savepoint.sh", "--dry-run", "--name", "Not_A_Name").exit()).isEqualTo(2);
        assertThat(run("suspend.sh", "--dry-run", "-n", "Bad Namespace").exit()).isEqualTo(2);
        assertThat(kubectlCalls).doesNotExist();
    }

    @Test
    void everyScriptHasHelpAHeaderStrictModeAndTheSharedLibrary() throws Exception {
        assertThat(Files.readString(Repo.SCRIPTS.resolve("lib.sh"))).contains("wait_for()");
        for (String script : SCRIPTS) {
            String text = Files.readString(Repo.SCRIPTS.resolve(script));
            assertThat(text).startsWith("#!/usr/bin/env bash\n# ");
            assertThat(text).contains("\nset -euo pipefail\n");
            assertThat(text).contains("source \"$(dirname \"${BASH_SOURCE[0]}\")/lib.sh\"");
            assertThat(Files.isExecutable(Repo.SCRIPTS.resolve(script))).as(script).isTrue();
            Run help = run(script, "--help");
            assertThat(help.exit()).isZero();
            assertThat(help.out())
                    .contains("savepoint-scripts/k8s/" + script)
                    .contains("--dry-run");
        }
    }

    @Test
    void withoutDryRunTheScriptsUseKubectl() throws Exception {
        // The same tripwire catches a real call: a script that must talk to the cluster does.
        try {
            Run r = run("resume.sh", "-n", "settle-dev");
            assertThat(r.exit()).isNotZero();
            assertThat(kubectlCalls).exists();
            assertThat(Files.readString(kubectlCalls))
                    .contains("kubectl -n settle-dev get flinkdeployment settle");
        } finally {
            Files.deleteIfExists(kubectlCalls);
        }
    }
}
