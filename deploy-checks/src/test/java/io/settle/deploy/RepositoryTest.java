package io.settle.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The repository holds sources, not what builds and runs leave behind, and it builds and tests from
 * itself alone: nothing tracked reads a folder beside the clone.
 */
class RepositoryTest {
    /** What a build, a test or a run writes: never tracked. */
    static final Pattern GENERATED =
            Pattern.compile(
                    "(^|/)(target|bench/work|bench/results/quick|node_modules|\\.idea|\\.vscode)/"
                            + "|(^|/)\\.jqwik-database$"
                            + "|\\.(pid|log|class|iml|tmp)$"
                            + "|(^|/)dependency-reduced-pom\\.xml$");

    static List<String> tracked() throws IOException, InterruptedException {
        Process git =
                new ProcessBuilder("git", "ls-files", "-z")
                        .directory(Repo.ROOT.toFile())
                        .redirectErrorStream(true)
                        .start();
        String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(git.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(git.exitValue())
                .as("git ls-files in %s (the tests run from a git checkout): %s", Repo.ROOT, out)
                .isZero();
        List<String> files = new ArrayList<>();
        for (String f : out.split("\0")) {
            if (!f.isEmpty()) {
                files.add(f);
            }
        }
        return files;
    }

    @Test
    void noGeneratedOrRuntimeFileIsTracked() throws Exception {
        List<String> files = tracked();
        assertThat(files).hasSizeGreaterThan(100).contains("pom.xml", "settle", ".ci/run");
        assertThat(files)
                .as("generated or runtime files in git (remove them: git rm --cached)")
                .noneMatch(f -> GENERATED.matcher(f).find());
    }

    @Test
    void theGeneratedPatternCatchesWhatRunsLeaveBehind() {
        for (String f :
                List.of(
                        "broker.pid",
                        "operators/.jqwik-database",
                        "job/target/settle-job.jar",
                        "bench/work/input.jsonl",
                        "cluster/log/jobmanager.log")) {
            assertThat(GENERATED.matcher(f).find()).as(f).isTrue();
        }
        assertThat(GENERATED.matcher("job/src/main/java/io/settle/jobs/SettlementJob.java").find())
                .isFalse();
    }

    @Test
    void nothingTrackedReadsOutsideTheRepository() throws Exception {
        List<String> offenders = new ArrayList<>();
        for (String f : tracked()) {
            if (f.endsWith(".md")
                    || f.endsWith(".png")
                    || f.endsWith(".gz")
                    || f.contains("/compat/")) {
                continue; // prose and binaries
            }
            Path file = Repo.ROOT.resolve(f);
            if (!Files.isRegularFile(file) || Files.size(file) > 2_000_000) {
                continue;
            }
            String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            if (text.contains("../shared") && !f.endsWith("RepositoryTest.java")) {
                offenders.add(f);
            }
        }
        assertThat(offenders).as("files that read ../shared").isEmpty();
    }
}
