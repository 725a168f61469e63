package io.settle.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sources of release 0.1.0 that the drill's step (0) builds its job jar from ({@code
 * drill/releases/v0.1.0-src.tar.gz}): a job's build, nothing else, and, where the repository's
 * history is there (not in CI's clone), byte for byte what the git tag holds.
 */
class ReleaseSourcesTest {
    private static final Path ARCHIVE = Repo.ROOT.resolve("drill/releases/v0.1.0-src.tar.gz");
    private static final List<String> PATHS =
            List.of(
                    "pom.xml",
                    "jobs/pom.xml",
                    "operators/pom.xml",
                    "deploy-checks/pom.xml",
                    "jobs/src/main",
                    "operators/src/main");

    @Test
    void holdsTheReleasesJobBuild(@TempDir Path dir) throws Exception {
        run(dir, "tar", "-xzf", ARCHIVE.toString(), "-C", dir.toString());
        assertThat(Files.readString(dir.resolve("pom.xml")))
                .contains("<version>0.1.0-SNAPSHOT</version>");
        assertThat(dir.resolve("jobs/src/main/java/io/settle/jobs/SettlementJob.java")).exists();
        assertThat(files(dir).keySet())
                .allMatch(f -> PATHS.stream().anyMatch(p -> f.equals(p) || f.startsWith(p + "/")));
    }

    @Test
    void equalsTheGitTagWhereHistoryIsThere(@TempDir Path dir) throws Exception {
        if (run(Repo.ROOT, "git", "rev-parse", "-q", "--verify", "v0.1.0^{commit}") != 0) {
            return; // a clone without tags (CI's): the archive is what there is to build from
        }
        Path fromArchive = Files.createDirectories(dir.resolve("archive"));
        Path fromTag = Files.createDirectories(dir.resolve("tag"));
        run(dir, "tar", "-xzf", ARCHIVE.toString(), "-C", fromArchive.toString());
        Path tar = dir.resolve("tag.tar");
        List<String> archive =
                new ArrayList<>(List.of("git", "archive", "-o", tar.toString(), "v0.1.0"));
        archive.addAll(PATHS);
        assertThat(run(Repo.ROOT, archive.toArray(String[]::new))).isZero();
        run(dir, "tar", "-xf", tar.toString(), "-C", fromTag.toString());
        Map<String, String> expected = files(fromTag);
        assertThat(expected).isNotEmpty();
        assertThat(files(fromArchive)).isEqualTo(expected);
    }

    /** Every regular file under {@code root}, by relative path, with its content. */
    private static Map<String, String> files(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                out.put(root.relativize(p).toString(), Files.readString(p));
            }
        }
        return out;
    }

    private static int run(Path dir, String... command) throws Exception {
        Process p =
                new ProcessBuilder(command)
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
        return p.waitFor();
    }
}
