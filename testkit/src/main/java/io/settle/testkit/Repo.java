package io.settle.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository is: its {@code flink-conf/} is the one home of the cluster's settings. */
public final class Repo {
    private Repo() {}

    /**
     * The repository root: the system property {@code settle.root} (the launcher sets it), else the
     * first folder upwards from the working directory that holds {@code flink-conf/config.yaml}.
     */
    public static Path root() {
        String given = System.getProperty("settle.root");
        if (given != null && !given.isBlank()) {
            return Path.of(given).toAbsolutePath().normalize();
        }
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("flink-conf/config.yaml"))) {
                return d;
            }
        }
        throw new IllegalStateException(
                "no flink-conf/config.yaml in " + dir + " or above: run from the repository");
    }

    /** {@code flink-conf/}: the cluster's config.yaml and log4j files. */
    public static Path flinkConf() {
        return root().resolve("flink-conf");
    }
}
