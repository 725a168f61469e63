package io.settle.generator;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import io.settle.cli.BadOptionException;
import io.settle.cli.OptionSet;
import io.settle.cli.Parsed;
import io.settle.generator.GeneratedRecord.Kind;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Sends generated traffic to a Kafka topic at a target rate, shaped by a {@link Burst}, for a
 * duration or until {@link #stop()}ped. Events are stamped with the wall clock as they are sent;
 * the record key is the settlement id.
 *
 * <p>A plain idempotent {@link KafkaProducer} ({@code acks=all}, a few ms of {@code linger.ms});
 * the rate is kept by sending, every few milliseconds, the records the burst shape says are due by
 * then. If the producer cannot keep up, at most half a second of backlog is kept and the rest is
 * skipped (counted in {@link #skipped()}), so a stall is not followed by a flood.
 *
 * <p>{@link #run()} runs on one thread; {@link #stop()} and the counters are for any other.
 */
public final class KafkaLoad implements Runnable {

    public static final Duration DEFAULT_CYCLE = Duration.ofMinutes(10);
    public static final String DEFAULT_TOPIC = "settlement-events";

    /** How long the loop sleeps between batches. */
    static final long BATCH_MILLIS = 5;

    private static final Kind[] KINDS = Kind.values();

    private final String topic;
    private final GeneratorOptions options;
    private final double rate;
    private final Duration duration;
    private final Burst burst;
    private final Supplier<Producer<String, byte[]>> producerFactory;
    private final Clock clock;

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLongArray sentByKind = new AtomicLongArray(KINDS.length);
    private final AtomicReference<Exception> firstError = new AtomicReference<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean stopRequested;
    private volatile long startNanos;

    /**
     * A load with the {@link Burst#marketDay market-day} shape over a {@link #DEFAULT_CYCLE}.
     *
     * @param rate records per second at 1x (the open runs at 3x, the close at 2.5x)
     * @param duration how long to run, or null to run until stopped
     * @param producerProperties extra producer settings, applied over the defaults
     */
    public KafkaLoad(
            String bootstrapServers,
            String topic,
            GeneratorOptions options,
            double rate,
            Duration duration,
            Properties producerProperties) {
        this(
                bootstrapServers,
                topic,
                options,
                rate,
                duration,
                producerProperties,
                Burst.marketDay(DEFAULT_CYCLE));
    }

    /** As above, with another shape (e.g. another cycle, or {@link Burst#flat}). */
    public KafkaLoad(
            String bootstrapServers,
            String topic,
            GeneratorOptions options,
            double rate,
            Duration duration,
            Properties producerProperties,
            Burst burst) {
        this(
                topic,
                options,
                rate,
                duration,
                burst,
                () -> new KafkaProducer<>(producerConfig(bootstrapServers, producerProperties)),
                Clock.systemUTC());
    }

    /** Any producer, any clock. */
    KafkaLoad(
            String topic,
            GeneratorOptions options,
            double rate,
            Duration duration,
            Burst burst,
            Supplier<Producer<String, byte[]>> producerFactory,
            Clock clock) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.options = Objects.requireNonNull(options, "options");
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("rate must be a positive number, got " + rate);
        }
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw new IllegalArgumentException("duration must be positive, got " + duration);
        }
        this.rate = rate;
        this.duration = duration;
        this.burst = Objects.requireNonNull(burst, "burst");
        this.producerFactory = Objects.requireNonNull(producerFactory, "producerFactory");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The producer settings: the defaults, then {@code extra} over them. */
    public static Properties producerConfig(String bootstrapServers, Properties extra) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Objects.requireNonNull(bootstrapServers));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "settle-load-generator");
        if (extra != null) {
            p.putAll(extra);
        }
        return p;
    }

    /**
     * Sends until the duration is over or {@link #stop()} is called, then flushes and closes the
     * producer. Runs once.
     */
    @Override
    public void run() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("a KafkaLoad runs once");
        }
        TrafficGenerator generator = new TrafficGenerator(options);
        try (Producer<String, byte[]> producer = producerFactory.get()) {
            startNanos = System.nanoTime();
            long budgetUsed = 0;
            while (!stopRequested) {
                Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
                if (duration != null && elapsed.compareTo(duration) >= 0) {
                    break;
                }
                long due = (long) (rate * burst.weightedSeconds(elapsed)) - budgetUsed;
                long cap = Math.max(1, (long) (rate * burst.multiplierAt(elapsed) / 2));
                if (due > cap) {
                    skipped.addAndGet(due - cap);
                    budgetUsed += due - cap;
                    due = cap;
                }
                for (long i = 0; i < due && !stopRequested; i++) {
                    send(producer, generator.next(clock.instant()));
                    budgetUsed++;
                }
                sleep(BATCH_MILLIS);
            }
            producer.flush();
        } catch (KafkaException e) {
            failed(e); // the producer could not be made or closed: nothing more will be sent
        } finally {
            finished.countDown();
        }
    }

    private void send(Producer<String, byte[]> producer, GeneratedRecord record) {
        Kind kind = record.kind();
        try {
            producer.send(
                    new ProducerRecord<>(topic, record.key(), record.value()),
                    (metadata, e) -> {
                        if (e == null) {
                            acked.incrementAndGet();
                        } else {
                            failed(e);
                        }
                    });
            sent.incrementAndGet();
            sentByKind.incrementAndGet(kind.ordinal());
        } catch (KafkaException e) {
            failed(e);
        }
    }

    private void failed(Exception e) {
        failed.incrementAndGet();
        firstError.compareAndSet(null, e);
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopRequested = true;
        }
    }

    /** Asks {@link #run()} to stop after the record it is sending; returns at once. */
    public void stop() {
        stopRequested = true;
    }

    /** Waits for {@link #run()} to have flushed and closed its producer. */
    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Records handed to the producer. */
    public long sent() {
        return sent.get();
    }

    /** Records of {@code kind} handed to the producer. */
    public long sent(Kind kind) {
        return sentByKind.get(kind.ordinal());
    }

    /** Records the broker acknowledged. */
    public long acked() {
        return acked.get();
    }

    /** Records that could not be sent or were not acknowledged. */
    public long failed() {
        return failed.get();
    }

    /** Records the rate asked for that were skipped because the producer could not keep up. */
    public long skipped() {
        return skipped.get();
    }

    /** The first send failure, or null. */
    public Exception firstError() {
        return firstError.get();
    }

    /** One line for a progress display: totals, the current rate and the anomalies sent. */
    public String progressLine() {
        long start = startNanos;
        double seconds = start == 0 ? 0 : (System.nanoTime() - start) / 1e9;
        long duplicates = sent(Kind.DUPLICATE) + sent(Kind.DUPLICATE_RESERIALIZED);
        long malformed = 0;
        for (Kind k : KINDS) {
            if (k.isMalformed()) {
                malformed += sent(k);
            }
        }
        return String.format(
                "%.0fs sent=%d acked=%d failed=%d skipped=%d (%.0f/s) duplicates=%d reordered=%d late=%d malformed=%d",
                seconds,
                sent(),
                acked(),
                failed(),
                skipped(),
                seconds > 0 ? sent() / seconds : 0.0,
                duplicates,
                sent(Kind.REORDERED),
                sent(Kind.LATE),
                malformed);
    }

    // ---------------------------------------------------------------------------------------
    // The command line.

    public static final ConfigOption<String> BOOTSTRAP =
            ConfigOptions.key("bootstrap")
                    .stringType()
                    .defaultValue("localhost:9092")
                    .withDescription("Kafka bootstrap servers.");

    public static final ConfigOption<String> TOPIC =
            ConfigOptions.key("topic")
                    .stringType()
                    .defaultValue(DEFAULT_TOPIC)
                    .withDescription("The events topic.");

    public static final ConfigOption<Double> RATE =
            ConfigOptions.key("rate")
                    .doubleType()
                    .defaultValue(1000.0)
                    .withDescription(
                            "Records per second at 1x; the open runs at 3x, the close at 2.5x.");

    public static final ConfigOption<Duration> DURATION =
            ConfigOptions.key("duration")
                    .durationType()
                    .noDefaultValue()
                    .withDescription("How long to run; until stopped (Ctrl-C) when not given.");

    public static final ConfigOption<Duration> CYCLE =
            ConfigOptions.key("cycle")
                    .durationType()
                    .defaultValue(DEFAULT_CYCLE)
                    .withDescription("The length of one open-to-close burst cycle.");

    public static final ConfigOption<Long> SEED =
            ConfigOptions.key("seed")
                    .longType()
                    .noDefaultValue()
                    .withDescription(
                            "The seed; ids include it, so runs into one topic must differ. Default: the start time in ms.");

    public static final ConfigOption<Duration> PROGRESS =
            ConfigOptions.key("progress")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(5))
                    .withDescription("How often to print a progress line.");

    public static final ConfigOption<String> PRODUCER =
            ConfigOptions.key("producer")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Extra Kafka producer settings, K=V[,K=V].");

    /** The command line of the load generator ({@code settle load}). */
    public static final OptionSet OPTIONS =
            OptionSet.command("settle load")
                    .usage("settle load [options]")
                    .about(
                            "Sends settlement events to a Kafka topic at a target rate, busiest at the "
                                    + "open and the close of each cycle, with duplicates, reordered and "
                                    + "late events and malformed records, until the duration is over or "
                                    + "it is stopped (Ctrl-C).")
                    .options(
                            List.of(
                                    BOOTSTRAP, TOPIC, RATE, DURATION, CYCLE, SEED, PROGRESS,
                                    PRODUCER))
                    .options(TrafficOptions.ALL)
                    .build();

    static Properties properties(String text) {
        Properties p = new Properties();
        if (text == null || text.isBlank()) {
            return p;
        }
        for (String pair : text.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw BadOptionException.of(PRODUCER.key(), "'" + pair + "' is not KEY=VALUE");
            }
            p.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return p;
    }

    public static void main(String[] args) throws InterruptedException {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        if (args.length > 0 && args[0].equals("load")) {
            args = Arrays.copyOfRange(args, 1, args.length); // as a launcher passes it
        }
        Parsed p;
        KafkaLoad load;
        try {
            p = OPTIONS.parse(args, Map.of());
            if (p.help()) {
                out.print(OPTIONS.help());
                return 0;
            }
            long seed = p.has(SEED) ? p.get(SEED) : System.currentTimeMillis();
            if (p.get(RATE) <= 0) {
                throw BadOptionException.of(RATE.key(), "must be above 0, got " + p.get(RATE));
            }
            load =
                    new KafkaLoad(
                            p.get(BOOTSTRAP),
                            p.get(TOPIC),
                            TrafficOptions.from(p, seed),
                            p.get(RATE),
                            p.has(DURATION) ? p.positive(DURATION) : null,
                            properties(p.get(PRODUCER)),
                            Burst.marketDay(p.positive(CYCLE)));
            out.printf(
                    "load: %s to %s at %.0f/s (%s), seed %d, for %s%n",
                    p.get(BOOTSTRAP),
                    p.get(TOPIC),
                    p.get(RATE),
                    load.burst,
                    seed,
                    p.get(DURATION) == null ? "until stopped" : p.get(DURATION));
        } catch (BadOptionException e) {
            err.println(OPTIONS.command() + ": " + e.getMessage());
            err.println("Run '" + OPTIONS.command() + " --help' for the options.");
            return 2;
        }
        Thread worker = new Thread(load, "settle-load");
        Thread hook =
                new Thread(
                        () -> {
                            load.stop();
                            try {
                                load.awaitFinished(Duration.ofSeconds(30));
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "settle-load-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        worker.start();
        long progressMillis = p.positive(PROGRESS).toMillis();
        while (!load.awaitFinished(Duration.ofMillis(progressMillis))) {
            out.println(load.progressLine());
        }
        worker.join();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it stopped us
        }
        out.println("done: " + load.progressLine());
        if (load.failed() > 0) {
            err.println("load: " + load.failed() + " records failed, first: " + load.firstError());
            return 1;
        }
        return 0;
    }
}
