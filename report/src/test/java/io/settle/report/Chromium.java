package io.settle.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real browser for the report page: Debian's {@code chromium}, headless, with a fresh profile, no
 * sandbox, no background networking. A test that needs it fails, naming the package, when it is
 * absent ({@code ./settle test} installs it).
 */
final class Chromium {
    private static final long TIMEOUT_SECONDS = 60;

    private final Path binary;
    private final Path work;

    private Chromium(Path binary, Path work) {
        this.binary = binary;
        this.work = work;
    }

    /** The browser; the test fails, naming what to install, when none is installed. */
    static Chromium require(Path work) {
        Path binary = find();
        if (binary == null) {
            throw new AssertionError(
                    "chromium is not installed: the report page must be checked in a browser;"
                            + " install Debian's chromium package (./settle test does, as root),"
                            + " or set SETTLE_CHROMIUM to a Chromium binary");
        }
        return new Chromium(binary, work);
    }

    private static Path find() {
        List<Path> candidates = new ArrayList<>();
        String configured = System.getenv("SETTLE_CHROMIUM");
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        }
        candidates.add(Path.of("/usr/bin/chromium"));
        candidates.add(Path.of("/usr/bin/chromium-browser"));
        for (Path p : candidates) {
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** The DOM after the page loaded and its scripts ran, {@code fragment} (#...) appended. */
    String dumpDom(Path html, String fragment) throws Exception {
        return run(List.of("--dump-dom", html.toUri() + (fragment == null ? "" : fragment)));
    }

    /** A PNG of the top {@code width} x {@code height} pixels of the page. */
    void screenshot(Path html, Path png, int width, int height) throws Exception {
        Files.createDirectories(png.toAbsolutePath().getParent());
        run(
                List.of(
                        "--hide-scrollbars",
                        "--window-size=" + width + "," + height,
                        "--screenshot=" + png.toAbsolutePath(),
                        html.toUri().toString()));
        if (!Files.isRegularFile(png) || Files.size(png) == 0) {
            throw new AssertionError("chromium wrote no screenshot to " + png);
        }
    }

    private String run(List<String> args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(work, "chromium-profile-");
        Path stdout = Files.createTempFile(work, "chromium-", ".out");
        Path stderr = Files.createTempFile(work, "chromium-", ".log");
        List<String> command =
                new ArrayList<>(
                        List.of(
                                binary.toString(),
                                "--headless",
                                "--no-sandbox",
                                "--disable-gpu",
                                "--disable-background-networking",
                                "--disable-component-update",
                                "--disable-sync",
                                "--no-first-run",
                                "--user-data-dir=" + profile));
        command.addAll(args);
        Process p =
                new ProcessBuilder(command)
                        .redirectOutput(stdout.toFile())
                        .redirectError(stderr.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .start();
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError(
                        "chromium did not finish in " + TIMEOUT_SECONDS + " s: " + command);
            }
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        if (p.exitValue() != 0) {
            throw new AssertionError(
                    "chromium failed ("
                            + p.exitValue()
                            + "): "
                            + command
                            + "\n"
                            + Files.readString(stderr));
        }
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }
}
