package io.settle.tools.bench;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;

import io.settle.cli.BadOptionException;
import io.settle.cli.OptionSet;
import io.settle.cli.Parsed;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What {@code ./settle bench} runs and at what size. {@code --quick} changes every default to a
 * development size (about two minutes); any option given explicitly wins over it.
 */
public final class BenchOptions {

    /** The parts of the bench, in the order they run. */
    public enum Part {
        CEILING(
                "the floor (decode only) and the dedup ceiling (a bare keyed dedup-only DataStream job), both on the batch runtime"),
        REPLAY(
                "replay of the full job on the batch runtime, wall rate, and again on twice the events (no slower per record)"),
        SQL("the Flink SQL peer in batch mode, good shape and naive join, writing JSON"),
        CATCHUP("Kafka catch-up of a backlog, with the Kafka ceiling job"),
        STATE("bytes per open settlement, heap and RSS, savepoint size and restore time"),
        LIVE("live end to end at fixed rates in steps: sustained rate and latency"),
        BURST("3x the sustained rate, then back: time to drain, checkpoint durations"),
        RECOVERY("TaskManager killed under load: time to the first new committed result");

        private final String what;

        Part(String what) {
            this.what = what;
        }

        public String what() {
            return what;
        }

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        boolean needsKafka() {
            return ordinal() >= CATCHUP.ordinal();
        }
    }

    static final String FULL_RATES = "5000,10000,15000,20000,25000,30000,40000,50000,75000";
    static final String QUICK_RATES = "2000,5000";

    static final ConfigOption<Boolean> QUICK =
            ConfigOptions.key("quick")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "A development run: small sizes, short steps (a few minutes); options given explicitly win.");
    static final ConfigOption<Long> EVENTS =
            ConfigOptions.key("events")
                    .longType()
                    .noDefaultValue()
                    .withDescription(
                            "Records of generated input for replay, sql, ceiling (4000000; quick 100000).");
    static final ConfigOption<Long> BACKLOG =
            ConfigOptions.key("backlog")
                    .longType()
                    .noDefaultValue()
                    .withDescription(
                            "Records pre-loaded into the catch-up topic (4000000; quick 100000).");
    static final ConfigOption<Long> OPEN =
            ConfigOptions.key("open")
                    .longType()
                    .noDefaultValue()
                    .withDescription(
                            "Open settlements for state and recovery (1000000; quick 20000).");
    static final ConfigOption<String> ONLY =
            ConfigOptions.key("only")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Parts to run, comma separated (all when not given): "
                                    + partKeys()
                                    + ".");
    static final ConfigOption<String> RATES =
            ConfigOptions.key("rates")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Live step rates, events/s; stepping stops at the first one not sustained ("
                                    + FULL_RATES
                                    + "; quick "
                                    + QUICK_RATES
                                    + ").");
    static final ConfigOption<Duration> STEP =
            ConfigOptions.key("step")
                    .durationType()
                    .noDefaultValue()
                    .withDescription("Length of each live step (90 s; quick 10 s).");
    static final ConfigOption<Duration> BURST =
            ConfigOptions.key("burst")
                    .durationType()
                    .noDefaultValue()
                    .withDescription("Length of the burst at 3x (2 min; quick 10 s).");
    static final ConfigOption<Integer> PARALLELISM =
            ConfigOptions.key("parallelism")
                    .intType()
                    .defaultValue(2)
                    .withDescription("Parallelism of every job.");
    static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
            ConfigOptions.key("checkpoint-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(2))
                    .withDescription(
                            "Exactly-once checkpoint interval of every job (the job's default, 2 s).");
    static final ConfigOption<String> MANAGED_MEMORY =
            ConfigOptions.key("managed-memory")
                    .stringType()
                    .defaultValue("512m")
                    .withDescription("TaskManager managed memory, RocksDB's share.");
    static final ConfigOption<Long> SEED =
            ConfigOptions.key("seed")
                    .longType()
                    .defaultValue(42L)
                    .withDescription("Generator seed.");
    static final ConfigOption<String> OUT =
            ConfigOptions.key("out")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Where latest.json, latest.md and the plots go (bench/results; quick bench/results/quick).");
    static final ConfigOption<String> WORK =
            ConfigOptions.key("work")
                    .stringType()
                    .defaultValue("bench/work")
                    .withDescription("Generated input, checkpoints and outputs.");
    static final ConfigOption<Boolean> JFR =
            ConfigOptions.key("jfr")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Record each part with Java Flight Recorder into WORK/jfr/PART.jfr.");
    static final ConfigOption<Boolean> DOCS =
            ConfigOptions.key("docs")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Also write the table into docs/performance.md between its bench markers.");

    /** The command line of {@code settle bench}. */
    public static final OptionSet OPTIONS =
            OptionSet.command("settle bench")
                    .usage("settle bench [--quick] [--events N] [--only LIST] [--jfr] [options]")
                    .about(
                            "Measures Settle on this machine against the Flink SQL peer and bare ceilings; prints a table and writes latest.json, latest.md and PNG plots. Parts: "
                                    + partsText()
                                    + ".")
                    .options(OptionSet.declaredIn(BenchOptions.class))
                    .valueName(ONLY, "LIST")
                    .valueName(RATES, "LIST")
                    .valueName(MANAGED_MEMORY, "SIZE")
                    .valueName(OUT, "DIR")
                    .valueName(WORK, "DIR")
                    .build();

    final boolean quick;
    final long events;
    final long backlog;
    final long open;
    final Set<Part> parts;
    final List<Double> rates;
    final Duration step;
    final Duration burst;
    final int parallelism;
    final Duration checkpointInterval;
    final MemorySize managedMemory;
    final long seed;
    final Path out;
    final Path work;
    final boolean docs;
    final boolean jfr;
    final boolean help;

    private BenchOptions(Parsed p) {
        help = p.help();
        quick = p.get(QUICK);
        jfr = p.get(JFR);
        docs = p.get(DOCS);
        events = count(p, EVENTS, quick ? 100_000 : 4_000_000);
        backlog = count(p, BACKLOG, quick ? 100_000 : 4_000_000);
        open = count(p, OPEN, quick ? 20_000 : 1_000_000);
        parts = parts(p.get(ONLY));
        rates = rates(p.has(RATES) ? p.get(RATES) : quick ? QUICK_RATES : FULL_RATES);
        step = p.has(STEP) ? p.positive(STEP) : Duration.ofSeconds(quick ? 10 : 90);
        burst =
                p.has(BURST)
                        ? p.positive(BURST)
                        : quick ? Duration.ofSeconds(10) : Duration.ofMinutes(2);
        parallelism = p.atLeast(PARALLELISM, 1);
        checkpointInterval = p.positive(CHECKPOINT_INTERVAL);
        try {
            managedMemory = MemorySize.parse(p.get(MANAGED_MEMORY));
        } catch (IllegalArgumentException e) {
            throw BadOptionException.of(
                    MANAGED_MEMORY.key(),
                    "must be a size like 512m, got '" + p.get(MANAGED_MEMORY) + "'");
        }
        seed = p.get(SEED);
        out = Path.of(p.has(OUT) ? p.get(OUT) : quick ? "bench/results/quick" : "bench/results");
        work = Path.of(p.get(WORK));
    }

    /** Parses the command line; a bad one throws {@link BadOptionException} naming the option. */
    public static BenchOptions parse(String... args) {
        return new BenchOptions(OPTIONS.parse(args, Map.of()));
    }

    static String help() {
        return OPTIONS.help();
    }

    private static String partsText() {
        List<String> parts = new ArrayList<>();
        for (Part p : Part.values()) {
            parts.add(p.key() + " (" + p.what() + ")");
        }
        return String.join("; ", parts);
    }

    boolean runs(Part part) {
        return parts.contains(part);
    }

    boolean needsKafka() {
        return parts.stream().anyMatch(Part::needsKafka);
    }

    /** The settings as JSON-ready pairs, for the report. */
    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", quick ? "quick" : "full");
        m.put("parts", parts.stream().map(Part::key).toList());
        m.put("events", events);
        m.put("backlog", backlog);
        m.put("open_settlements_target", open);
        m.put("live_rates", rates);
        m.put("live_step_s", step.toSeconds());
        m.put("burst_s", burst.toSeconds());
        m.put("parallelism", parallelism);
        m.put("checkpoint_interval_ms", checkpointInterval.toMillis());
        m.put("managed_memory", managedMemory.toString());
        m.put("seed", seed);
        m.put("jfr", jfr);
        return m;
    }

    private static String partKeys() {
        List<String> keys = new ArrayList<>();
        for (Part p : Part.values()) {
            keys.add(p.key());
        }
        return String.join(",", keys);
    }

    static Set<Part> parts(String only) {
        if (only == null || only.isBlank()) {
            return EnumSet.allOf(Part.class);
        }
        Set<Part> parts = EnumSet.noneOf(Part.class);
        for (String name : only.split(",")) {
            String n = name.trim().toUpperCase(Locale.ROOT);
            try {
                parts.add(Part.valueOf(n));
            } catch (IllegalArgumentException e) {
                throw BadOptionException.of(
                        "only",
                        "names an unknown part '" + name.trim() + "'; parts are " + partKeys());
            }
        }
        return parts;
    }

    private static List<Double> rates(String text) {
        List<Double> rates = new ArrayList<>();
        for (String r : text.split(",")) {
            try {
                double v = Double.parseDouble(r.trim().replace("_", ""));
                if (!(v > 0)) {
                    throw new NumberFormatException();
                }
                rates.add(v);
            } catch (NumberFormatException e) {
                throw BadOptionException.of(
                        "rates", "has '" + r + "', which is not a positive rate");
            }
        }
        return rates;
    }

    private static long count(Parsed p, ConfigOption<Long> option, long fallback) {
        if (!p.has(option)) {
            return fallback;
        }
        long n = p.get(option);
        if (n <= 0) {
            throw BadOptionException.of(option.key(), "must be a positive whole number, got " + n);
        }
        return n;
    }
}
