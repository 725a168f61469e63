package io.settle.tools.bench;

import org.apache.flink.configuration.MemorySize;
import org.apache.flink.util.TimeUtils;

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
        CEILING("the dedup ceiling: a bare keyed dedup-only DataStream job on RocksDB"),
        REPLAY("replay throughput of the full job"),
        SQL("the Flink SQL peer, good shape and naive join"),
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

    static final Map<String, String> HELP = new LinkedHashMap<>();

    static {
        HELP.put("--quick", "a development run: small sizes, short steps (a few minutes)");
        HELP.put(
                "--events N",
                "records of generated input for replay, sql, ceiling (4000000; quick 100000)");
        HELP.put(
                "--backlog N",
                "records pre-loaded into the catch-up topic (4000000; quick 100000)");
        HELP.put("--open N", "open settlements for state and recovery (1000000; quick 20000)");
        HELP.put("--only LIST", "parts to run, comma separated: " + partKeys() + " (all)");
        HELP.put(
                "--rates LIST",
                "live step rates, events/s (5000,10000,15000,20000,25000,30000,40000,50000,75000: stepping stops at the first one not sustained; quick 2000,5000)");
        HELP.put("--step D", "length of each live step (90s; quick 10s)");
        HELP.put("--burst D", "length of the burst at 3x (2m; quick 10s)");
        HELP.put("--parallelism N", "parallelism of every job (2)");
        HELP.put("--checkpoint-interval D", "exactly-once checkpoint interval of every job (10s)");
        HELP.put("--managed-memory SIZE", "TaskManager managed memory, RocksDB's share (512m)");
        HELP.put("--seed S", "generator seed (42)");
        HELP.put(
                "--out DIR",
                "where latest.json, latest.md and the plots go (bench/results; quick bench/results/quick)");
        HELP.put("--work DIR", "generated input, checkpoints and outputs (bench/work)");
        HELP.put("--jfr", "record each part with Java Flight Recorder into WORK/jfr/PART.jfr");
        HELP.put("--readme", "also write the table into README.md between its bench markers");
    }

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
    final boolean readme;
    final boolean jfr;
    final boolean help;

    private BenchOptions(
            Map<String, String> given, boolean quick, boolean readme, boolean jfr, boolean help) {
        this.quick = quick;
        this.jfr = jfr;
        this.help = help;
        this.readme = readme;
        events = count(given, "events", quick ? 100_000 : 4_000_000);
        backlog = count(given, "backlog", quick ? 100_000 : 4_000_000);
        open = count(given, "open", quick ? 20_000 : 1_000_000);
        parts = parts(given.get("only"));
        rates =
                rates(
                        given.getOrDefault(
                                "rates",
                                quick
                                        ? "2000,5000"
                                        : "5000,10000,15000,20000,25000,30000,40000,50000,75000"));
        step = duration(given, "step", quick ? "10s" : "90s");
        burst = duration(given, "burst", quick ? "10s" : "2m");
        parallelism = (int) count(given, "parallelism", 2);
        checkpointInterval = duration(given, "checkpoint-interval", "10s");
        managedMemory = MemorySize.parse(given.getOrDefault("managed-memory", "512m"));
        seed = Long.parseLong(given.getOrDefault("seed", "42"));
        out = Path.of(given.getOrDefault("out", quick ? "bench/results/quick" : "bench/results"));
        work = Path.of(given.getOrDefault("work", "bench/work"));
    }

    /** Parses the command line; throws {@link IllegalArgumentException} naming what is wrong. */
    public static BenchOptions parse(String... args) {
        Map<String, String> given = new LinkedHashMap<>();
        boolean quick = false;
        boolean readme = false;
        boolean jfr = false;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick":
                    quick = true;
                    continue;
                case "--readme":
                    readme = true;
                    continue;
                case "--jfr":
                    jfr = true;
                    continue;
                case "--help":
                case "-h":
                    help = true;
                    continue;
                default:
                    break;
            }
            if (!a.startsWith("--") || !known(a.substring(2))) {
                throw new IllegalArgumentException("unknown option '" + a + "' (see --help)");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option '" + a + "' needs a value");
            }
            given.put(a.substring(2), args[++i]);
        }
        return new BenchOptions(given, quick, readme, jfr, help);
    }

    private static boolean known(String name) {
        for (String k : HELP.keySet()) {
            if (k.split(" ")[0].equals("--" + name) && k.contains(" ")) {
                return true;
            }
        }
        return false;
    }

    static String help() {
        StringBuilder b =
                new StringBuilder(
                        "usage: ./settle bench [--quick] [--events N] [--only LIST] [--jfr] [options]\n\n"
                                + "Measures Settle on this machine against the Flink SQL peer and bare ceilings;\n"
                                + "prints a table and writes latest.json, latest.md and PNG plots.\n\nOptions:\n");
        HELP.forEach((k, v) -> b.append(String.format(Locale.ROOT, "  %-26s %s%n", k, v)));
        b.append("\nParts:\n");
        for (Part p : Part.values()) {
            b.append(String.format(Locale.ROOT, "  %-10s %s%n", p.key(), p.what()));
        }
        return b.toString();
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
                throw new IllegalArgumentException(
                        "option '--only': unknown part '"
                                + name.trim()
                                + "'; parts are "
                                + partKeys());
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
                throw new IllegalArgumentException(
                        "option '--rates': '" + r + "' is not a positive rate");
            }
        }
        return rates;
    }

    private static long count(Map<String, String> given, String key, long fallback) {
        String v = given.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v.trim().replace("_", ""));
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "option '--" + key + "' must be a positive whole number, got '" + v + "'");
        }
    }

    private static Duration duration(Map<String, String> given, String key, String fallback) {
        String v = given.getOrDefault(key, fallback);
        try {
            return v.startsWith("P") ? Duration.parse(v) : TimeUtils.parseDuration(v);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "option '--" + key + "' must be a duration like 90s or 2m, got '" + v + "'");
        }
    }
}
