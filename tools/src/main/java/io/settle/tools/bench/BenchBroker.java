package io.settle.tools.bench;

import io.settle.testkit.EmbeddedKafka;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The bench's Kafka broker in a JVM of its own (one combined KRaft node, {@link EmbeddedKafka}), so
 * the broker's CPU, heap and garbage collection are not the Flink process's. {@link #main} prints
 * {@value #READY} and the bootstrap servers, then runs until its standard input closes; {@link
 * #start} launches it with this JVM's class path and stops it on {@link #close}.
 */
final class BenchBroker implements AutoCloseable {
    static final String READY = "BENCH-BROKER-READY ";

    private final Process process;
    private final String bootstrap;

    private BenchBroker(Process process, String bootstrap) {
        this.process = process;
        this.bootstrap = bootstrap;
    }

    static BenchBroker start(Path logFile) throws IOException, InterruptedException {
        List<String> command = javaCommand("-Xmx1g", "-XX:+UseG1GC");
        command.add(BenchBroker.class.getName());
        Process p = new ProcessBuilder(command).redirectError(logFile.toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly, "bench-broker-stop"));
        BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith(READY)) {
                return new BenchBroker(p, line.substring(READY.length()).trim());
            }
            if (System.nanoTime() > deadline) {
                break;
            }
        }
        p.destroyForcibly();
        throw new IOException("the broker process did not start; see " + logFile);
    }

    /**
     * The start of a command line for a child JVM of the bench: this JVM's java, {@code flags},
     * this JVM's module flags and logging settings, and its class path; the main class and its
     * arguments follow.
     */
    static List<String> javaCommand(String... flags) {
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(javaBin));
        command.addAll(List.of(flags));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-") || arg.startsWith("-Dlog4j")) {
                command.add(arg);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path")));
        return command;
    }

    String bootstrap() {
        return bootstrap;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        try {
            process.getOutputStream().close(); // main() stops the broker when its input closes
        } catch (IOException e) {
            // already gone
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    public static void main(String[] args) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            System.out.println(READY + kafka.bootstrapServers());
            System.out.flush();
            while (System.in.read() != -1) {
                // runs until the bench closes our input (or dies)
            }
        }
        System.exit(0);
    }
}
