package io.settle.tools.bench;

import io.settle.generator.Burst;
import io.settle.generator.GeneratorOptions;
import io.settle.generator.KafkaLoad;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The live bench's load generator in a JVM of its own ({@link KafkaLoad} at a flat rate), so that
 * the bench process holds the job alone and its CPU is the job's: the generator's threads, heap,
 * garbage collection and JIT are not counted against the job.
 *
 * <p>The child reports on its standard output: {@code P sent acked} every 100 ms, {@code C
 * key@eventTime createdMillis} for each event it stamped before sending it (the {@link
 * LatencyProbe} needs their real creation time), and {@code D sent acked} once it has flushed. It
 * stops when its duration is over or when its standard input closes.
 */
final class LoadProcess implements AutoCloseable {
    private static final String PROGRESS = "P ";
    private static final String CREATED = "C ";
    private static final String DONE = "D ";

    private final Process process;
    private final Thread reader;
    private volatile long sent;
    private volatile long acked;
    private volatile boolean done;

    private LoadProcess(Process process) {
        this.process = process;
        this.reader = new Thread(this::read, "bench-load-reader");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /**
     * Starts a load at {@code rate} records per second for {@code duration} (null: until closed).
     */
    static LoadProcess start(
            String bootstrap, String topic, double rate, Duration duration, long seed, Path logFile)
            throws IOException {
        List<String> command = BenchBroker.javaCommand("-Xmx512m", "-XX:+UseSerialGC");
        command.addAll(
                List.of(
                        LoadProcess.class.getName(),
                        bootstrap,
                        topic,
                        Double.toString(rate),
                        duration == null ? "0" : Long.toString(duration.toMillis()),
                        Long.toString(seed)));
        Process p =
                new ProcessBuilder(command)
                        .redirectError(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                        .start();
        return new LoadProcess(p);
    }

    private void read() {
        try (BufferedReader in =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith(CREATED)) {
                    int space = line.lastIndexOf(' ');
                    LatencyProbe.CREATED.putIfAbsent(
                            line.substring(2, space), Long.parseLong(line.substring(space + 1)));
                } else if (line.startsWith(PROGRESS) || line.startsWith(DONE)) {
                    String[] parts = line.split(" ");
                    sent = Long.parseLong(parts[1]);
                    acked = Long.parseLong(parts[2]);
                    done |= line.startsWith(DONE);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the child is gone; its counts are the last it reported
        }
    }

    long sent() {
        return sent;
    }

    long acked() {
        return acked;
    }

    /** Waits for the load to end by itself (its duration is over) and to have flushed. */
    void await() throws InterruptedException {
        process.waitFor();
        reader.join(10_000);
        check();
    }

    /** Asks the load to stop, and waits for it to have flushed. */
    @Override
    public void close() throws InterruptedException {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // already gone
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        reader.join(10_000);
        check();
    }

    private void check() {
        if (!done) {
            throw new IllegalStateException(
                    "the load generator process ended without flushing (exit "
                            + process.exitValue()
                            + "); see the bench's load log");
        }
    }

    /** Prints the creation time of events stamped before they were sent, for the bench's probe. */
    public static final class Created extends LatencyProbe.Interceptor {
        static PrintStream out;

        @Override
        protected void noteCreated(String settlementAtEventTime, long createdMillis) {
            synchronized (out) {
                out.print(CREATED + settlementAtEventTime + " " + createdMillis + "\n");
            }
        }
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String topic = args[1];
        double rate = Double.parseDouble(args[2]);
        long millis = Long.parseLong(args[3]);
        long seed = Long.parseLong(args[4]);
        PrintStream out =
                new PrintStream(
                        new java.io.BufferedOutputStream(
                                new java.io.FileOutputStream(java.io.FileDescriptor.out), 1 << 16),
                        false,
                        StandardCharsets.UTF_8);
        Created.out = out;
        System.setOut(System.err); // anything else that prints (logging) stays off the protocol
        Properties producer = new Properties();
        producer.put("interceptor.classes", Created.class.getName());
        KafkaLoad load =
                new KafkaLoad(
                        bootstrap,
                        topic,
                        GeneratorOptions.defaults(seed),
                        rate,
                        millis == 0 ? null : Duration.ofMillis(millis),
                        producer,
                        Burst.flat(Duration.ofMinutes(10)));
        Thread stdin =
                new Thread(
                        () -> {
                            try {
                                while (System.in.read() != -1) {
                                    // runs until the bench closes our input
                                }
                            } catch (IOException e) {
                                // closed
                            }
                            load.stop();
                        },
                        "load-stdin");
        stdin.setDaemon(true);
        stdin.start();
        Thread progress =
                new Thread(
                        () -> {
                            while (!Thread.currentThread().isInterrupted()) {
                                synchronized (out) {
                                    out.print(PROGRESS + load.sent() + " " + load.acked() + "\n");
                                    out.flush();
                                }
                                try {
                                    Thread.sleep(100);
                                } catch (InterruptedException e) {
                                    return;
                                }
                            }
                        },
                        "load-progress");
        progress.setDaemon(true);
        progress.start();
        load.run();
        progress.interrupt();
        progress.join();
        if (load.firstError() != null) {
            System.err.println("load generator: " + load.firstError());
        }
        synchronized (out) {
            out.print(DONE + load.sent() + " " + load.acked() + "\n");
            out.flush();
        }
        System.exit(0);
    }
}
