package io.settle.tools.bench;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * With {@code --jfr}, a Java Flight Recorder recording (the JDK's "profile" settings) of each part:
 * the jobs run in this JVM, so the recording holds their task threads, RocksDB calls and garbage
 * collection. Written as {@code PART.jfr} under the work folder's {@code jfr/}; open it with JDK
 * Mission Control or {@code jfr print --events jdk.ExecutionSample}.
 */
final class Profiler implements AutoCloseable {
    private final Recording recording;
    private final Path file;

    private Profiler(Recording recording, Path file) {
        this.recording = recording;
        this.file = file;
    }

    /** Starts a recording when the options ask for one; closing it writes the file. */
    static Profiler start(BenchOptions options, String part) throws Exception {
        if (!options.jfr) {
            return new Profiler(null, null);
        }
        Path file = options.work.toAbsolutePath().resolve("jfr").resolve(part + ".jfr");
        Files.createDirectories(file.getParent());
        Recording r = new Recording(Configuration.getConfiguration("profile"));
        r.setName("bench-" + part);
        r.start();
        return new Profiler(r, file);
    }

    @Override
    public void close() throws Exception {
        if (recording != null) {
            recording.stop();
            recording.dump(file);
            recording.close();
            System.out.println("bench: flight recording " + file);
        }
    }
}
