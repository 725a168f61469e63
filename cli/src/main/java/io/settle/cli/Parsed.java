package io.settle.cli;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * What a command line said, read through its {@link OptionSet}. A command whose options mean more
 * together (a mode, a derived configuration) extends it with what it derives.
 */
public class Parsed {
    private final OptionSet set;
    private final Configuration conf;
    private final Properties kafkaProperties;
    private final boolean help;

    Parsed(OptionSet set, Configuration conf, Properties kafkaProperties, boolean help) {
        this.set = set;
        this.conf = conf;
        this.kafkaProperties = kafkaProperties;
        this.help = help;
    }

    /** The same command line, for a subclass that derives more from it. */
    protected Parsed(Parsed parsed) {
        this(parsed.set, parsed.conf, parsed.kafkaProperties, parsed.help);
    }

    /** {@code --help} was asked for. */
    public boolean help() {
        return help;
    }

    public OptionSet set() {
        return set;
    }

    /** The option's value (its default when not given); a value that does not parse names it. */
    public <T> T get(ConfigOption<T> option) {
        if (!set.contains(option)) {
            throw new IllegalArgumentException(set.command() + " has no option --" + option.key());
        }
        try {
            return conf.get(option);
        } catch (IllegalArgumentException e) {
            throw BadOptionException.of(option.key(), "has a bad value: " + rootMessage(e));
        }
    }

    /** The option was given on the command line. */
    public boolean has(ConfigOption<?> option) {
        return conf.containsKey(option.key());
    }

    /** The value of a string option that must be given ({@code why}: when it must). */
    public String require(ConfigOption<String> option, String why) {
        String v = get(option);
        if (v == null || v.isBlank()) {
            throw BadOptionException.of(
                    option.key(), "is required" + (why.isEmpty() ? "" : " " + why));
        }
        return v;
    }

    /** An ISO-8601 instant with an offset; null when not given. */
    public Instant instant(ConfigOption<String> option) {
        String text = get(option);
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw BadOptionException.of(
                    option.key(),
                    "must be an ISO-8601 instant with an offset, like 2026-11-25T18:00:00Z, got '"
                            + text
                            + "'");
        }
    }

    /** A duration that must be above zero. */
    public Duration positive(ConfigOption<Duration> option) {
        Duration d = get(option);
        if (d == null || d.isZero() || d.isNegative()) {
            throw BadOptionException.of(option.key(), "must be a positive duration, got " + d);
        }
        return d;
    }

    /** An integer that must be at least {@code min}. */
    public int atLeast(ConfigOption<Integer> option, int min) {
        int v = get(option);
        if (v < min) {
            throw BadOptionException.of(option.key(), "must be at least " + min + ", got " + v);
        }
        return v;
    }

    /** A share between 0 and 1. */
    public double share(ConfigOption<Double> option) {
        double v = get(option);
        if (!(v >= 0 && v <= 1)) {
            throw BadOptionException.of(option.key(), "must be a share from 0 to 1, got " + v);
        }
        return v;
    }

    /** The Kafka client properties given, a copy. */
    public Properties kafkaProperties() {
        Properties copy = new Properties();
        copy.putAll(kafkaProperties);
        return copy;
    }

    /**
     * The options of {@code other} that were given, as a command line {@code other} parses: how a
     * tool hands the job's options on to the job.
     */
    public List<String> argsOf(OptionSet other) {
        List<String> args = new ArrayList<>();
        for (ConfigOption<?> o : other.options()) {
            if (set.contains(o) && has(o)) {
                args.add("--" + o.key());
                args.add(conf.getString(o.key(), ""));
            }
        }
        return args;
    }

    /** The options given, Kafka property values hidden: safe to log. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        for (ConfigOption<?> o : set.options()) {
            if (has(o)) {
                b.append("--")
                        .append(o.key())
                        .append(' ')
                        .append(conf.getString(o.key(), ""))
                        .append(' ');
            }
        }
        for (String name : kafkaProperties.stringPropertyNames()) {
            b.append("--").append(OptionSet.KAFKA_PROPERTY_PREFIX).append(name).append(" *** ");
        }
        return b.toString().trim();
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
