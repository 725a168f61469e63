package io.settle.jobs;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.description.BlockElement;
import org.apache.flink.configuration.description.TextElement;
import org.apache.flink.util.TimeUtils;

import io.settle.operators.core.ClockMode;
import io.settle.operators.core.SettlementConfig;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Every option of the job, in one place, with its default and description ({@code --help} prints
 * them). Parsing fails fast with a message that names the option.
 *
 * <p>Kafka client properties pass through untouched as {@code --kafka.property.NAME VALUE} or, for
 * secrets, from the environment as {@code SETTLE_KAFKA_PROPERTY_NAME} ({@code
 * SETTLE_KAFKA_PROPERTY_SASL_JAAS_CONFIG} becomes {@code sasl.jaas.config}). Their values are never
 * printed or logged.
 */
public final class SettleOptions {
    private SettleOptions() {}

    /** Live from Kafka, or replay from files. */
    public enum Mode {
        LIVE,
        REPLAY
    }

    /** How the alerts reach their topic. */
    public enum Delivery {
        AT_LEAST_ONCE,
        EXACTLY_ONCE
    }

    public static final String KAFKA_PROPERTY_PREFIX = "kafka.property.";
    public static final String KAFKA_PROPERTY_ENV_PREFIX = "SETTLE_KAFKA_PROPERTY_";

    public static final ConfigOption<Mode> MODE =
            ConfigOptions.key("mode")
                    .enumType(Mode.class)
                    .defaultValue(Mode.LIVE)
                    .withDescription(
                            "live: from the events topic to the output topics; replay: from files to files.");

    public static final ConfigOption<String> BOOTSTRAP_SERVERS =
            ConfigOptions.key("kafka.bootstrap-servers")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Kafka bootstrap servers (live mode; required there).");

    public static final ConfigOption<String> TOPIC_EVENTS =
            ConfigOptions.key("topic.events")
                    .stringType()
                    .defaultValue("settle.events")
                    .withDescription("Topic the settlement events are read from.");

    public static final ConfigOption<String> TOPIC_RESULTS =
            ConfigOptions.key("topic.results")
                    .stringType()
                    .defaultValue("settle.results")
                    .withDescription("Topic the results are written to, exactly once.");

    public static final ConfigOption<String> TOPIC_ALERTS =
            ConfigOptions.key("topic.alerts")
                    .stringType()
                    .defaultValue("settle.alerts")
                    .withDescription("Topic the alerts are written to.");

    public static final ConfigOption<String> TOPIC_DEAD_LETTERS =
            ConfigOptions.key("topic.dead-letters")
                    .stringType()
                    .defaultValue("settle.dead-letters")
                    .withDescription(
                            "Topic rejected records are written to, exactly once (its max.message.bytes must allow 2 MiB).");

    public static final ConfigOption<String> GROUP_ID =
            ConfigOptions.key("kafka.group-id")
                    .stringType()
                    .defaultValue("settle")
                    .withDescription(
                            "Consumer group; offsets live in checkpoints and are committed to it for monitoring.");

    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX =
            ConfigOptions.key("kafka.transactional-id-prefix")
                    .stringType()
                    .defaultValue("settle")
                    .withDescription(
                            "Prefix of the transactional ids of the exactly-once sinks: unique per job on a cluster.");

    public static final ConfigOption<Duration> TRANSACTION_TIMEOUT =
            ConfigOptions.key("kafka.transaction-timeout")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(15))
                    .withDescription(
                            "transaction.timeout.ms of the exactly-once producers: above the longest checkpoint plus restart time, at most the broker's transaction.max.timeout.ms.");

    public static final ConfigOption<Delivery> ALERTS_DELIVERY =
            ConfigOptions.key("alerts.delivery")
                    .enumType(Delivery.class)
                    .defaultValue(Delivery.AT_LEAST_ONCE)
                    .withDescription(
                            "AT_LEAST_ONCE (alert ids are deterministic, consumers deduplicate) or EXACTLY_ONCE.");

    public static final ConfigOption<Integer> PARALLELISM =
            ConfigOptions.key("parallelism")
                    .intType()
                    .defaultValue(-1)
                    .withDescription("Parallelism of the job; -1 takes the cluster's default.");

    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
            ConfigOptions.key("checkpoint.interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription(
                            "Exactly-once checkpoint interval: results become readable (read_committed) at each checkpoint.");

    public static final ConfigOption<Duration> IDLENESS =
            ConfigOptions.key("watermark.idleness")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription(
                            "A partition quiet this long stops holding the watermark back.");

    public static final ConfigOption<Duration> MAX_FUTURE_SKEW =
            ConfigOptions.key("watermark.max-future-skew")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(5))
                    .withDescription(
                            "An event stamped further than this ahead of the wall clock moves the watermark only this far, so one bad clock cannot make every other event late.");

    public static final ConfigOption<Duration> MAX_OUT_OF_ORDERNESS =
            ConfigOptions.key("watermark.max-out-of-orderness")
                    .durationType()
                    .defaultValue(SettlementConfig.DEFAULT_MAX_OUT_OF_ORDERNESS)
                    .withDescription(
                            "Events this much out of order still apply in apply order; ticks fire this long after their instant.");

    public static final ConfigOption<Duration> SETTLEMENT_WINDOW =
            ConfigOptions.key("sla.settlement-window")
                    .durationType()
                    .defaultValue(SettlementConfig.DEFAULT_SETTLEMENT_WINDOW)
                    .withDescription(
                            "Deadline of a booking that gives none: its eventTime plus this.");

    public static final ConfigOption<Duration> AT_RISK_LEAD =
            ConfigOptions.key("sla.at-risk-lead")
                    .durationType()
                    .defaultValue(SettlementConfig.DEFAULT_AT_RISK_LEAD)
                    .withDescription(
                            "AT_RISK fires this long before the deadline of an open settlement.");

    public static final ConfigOption<Duration> EXPIRY =
            ConfigOptions.key("settlement.expiry")
                    .durationType()
                    .defaultValue(SettlementConfig.DEFAULT_EXPIRY)
                    .withDescription(
                            "An open settlement ends EXPIRED this long after its deadline.");

    public static final ConfigOption<Duration> RETENTION =
            ConfigOptions.key("settlement.retention")
                    .durationType()
                    .defaultValue(SettlementConfig.DEFAULT_RETENTION)
                    .withDescription(
                            "An ended settlement's state (and its duplicate detection) is kept this long.");

    public static final ConfigOption<Duration> ORPHAN_TIMEOUT =
            ConfigOptions.key("settlement.orphan-timeout")
                    .durationType()
                    .defaultValue(SettlementConfig.DEFAULT_ORPHAN_TIMEOUT)
                    .withDescription(
                            "An event waiting this long for its booking raises ORPHAN_EVENT.");

    public static final ConfigOption<String> INPUT =
            ConfigOptions.key("input")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Replay: a JSON Lines file or a folder of them (required there).");

    public static final ConfigOption<String> OUTPUT =
            ConfigOptions.key("output")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Replay: an empty or new folder for results/, alerts/, dlq/ and open/ (required there).");

    public static final ConfigOption<String> UNTIL =
            ConfigOptions.key("until")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Replay: the instant the clock stops; events after it are left out. Default: the greatest valid eventTime of the input (a first pass finds it).");

    /** Every option, in --help order. */
    public static List<ConfigOption<?>> all() {
        List<ConfigOption<?>> options = new ArrayList<>();
        for (Field f : SettleOptions.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == ConfigOption.class) {
                try {
                    options.add((ConfigOption<?>) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return options;
    }

    /** The --help text. */
    public static String help() {
        StringBuilder b = new StringBuilder();
        b.append("Settle: deduplicates and settles post-trade events exactly once.\n\n");
        b.append("Usage: flink run settle-jobs.jar [--option value ...]\n\nOptions:\n");
        for (ConfigOption<?> o : all()) {
            b.append(
                    String.format(Locale.ROOT, "  --%-32s default: %s%n", o.key(), defaultText(o)));
            b.append("      ").append(description(o)).append('\n');
        }
        b.append("  --")
                .append(KAFKA_PROPERTY_PREFIX)
                .append(
                        "NAME VALUE         a Kafka client property (security.protocol, sasl.*, ssl.*, ...),\n")
                .append("      or from the environment as ")
                .append(KAFKA_PROPERTY_ENV_PREFIX)
                .append("NAME (dots as underscores); values are never printed.\n");
        return b.toString();
    }

    /** An option's default as a person writes it: {@code 2 h}, not {@code PT2H}. */
    public static String defaultText(ConfigOption<?> o) {
        if (!o.hasDefaultValue()) {
            return "(none)";
        }
        Object v = o.defaultValue();
        return v instanceof Duration
                ? TimeUtils.formatWithHighestUnit((Duration) v)
                : String.valueOf(v);
    }

    /** An option's description as plain text. */
    public static String description(ConfigOption<?> o) {
        StringBuilder b = new StringBuilder();
        for (BlockElement block : o.description().getBlocks()) {
            if (block instanceof TextElement) {
                b.append(((TextElement) block).getFormat());
            }
        }
        return b.toString();
    }

    /** Thrown for a bad command line: the message names the option. */
    public static final class BadOptionException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public BadOptionException(String message) {
            super(message);
        }
    }

    /** What the command line and environment say. */
    public static final class Parsed {
        private final Configuration conf;
        private final Properties kafkaProperties;
        private final boolean help;

        Parsed(Configuration conf, Properties kafkaProperties, boolean help) {
            this.conf = conf;
            this.kafkaProperties = kafkaProperties;
            this.help = help;
        }

        public boolean help() {
            return help;
        }

        public <T> T get(ConfigOption<T> option) {
            try {
                return conf.get(option);
            } catch (IllegalArgumentException e) {
                throw new BadOptionException("option '--" + option.key() + "': " + rootMessage(e));
            }
        }

        public Properties kafkaProperties() {
            Properties copy = new Properties();
            copy.putAll(kafkaProperties);
            return copy;
        }

        public Mode mode() {
            return get(MODE);
        }

        /** The settlement configuration; replay needs its clock's end, given or found. */
        public SettlementConfig settlementConfig(Instant replayUntil) {
            try {
                SettlementConfig.Builder b =
                        SettlementConfig.builder()
                                .settlementWindow(get(SETTLEMENT_WINDOW))
                                .atRiskLead(get(AT_RISK_LEAD))
                                .expiry(get(EXPIRY))
                                .retention(get(RETENTION))
                                .orphanTimeout(get(ORPHAN_TIMEOUT))
                                .maxOutOfOrderness(get(MAX_OUT_OF_ORDERNESS));
                return mode() == Mode.REPLAY
                        ? b.clockMode(ClockMode.REPLAY).replayUntil(replayUntil).build()
                        : b.build();
            } catch (BadOptionException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw new BadOptionException(e.getMessage());
            }
        }

        /** --until, parsed; null when not given. */
        public Instant until() {
            String until = get(UNTIL);
            if (until == null) {
                return null;
            }
            try {
                return java.time.OffsetDateTime.parse(until).toInstant();
            } catch (DateTimeParseException e) {
                throw new BadOptionException(
                        "option '--until' must be an ISO-8601 instant with an offset, like 2026-11-25T18:00:00Z, got '"
                                + until
                                + "'");
            }
        }

        /** The options, Kafka property values hidden: safe to log. */
        public String describe() {
            StringBuilder b = new StringBuilder();
            for (ConfigOption<?> o : all()) {
                if (conf.contains(o)) {
                    b.append("--")
                            .append(o.key())
                            .append(' ')
                            .append(conf.getString(o.key(), ""))
                            .append(' ');
                }
            }
            for (String name : kafkaProperties.stringPropertyNames()) {
                b.append("--").append(KAFKA_PROPERTY_PREFIX).append(name).append(" *** ");
            }
            return b.toString().trim();
        }

        /** Fails fast on the options a mode needs. */
        public void validate() {
            for (ConfigOption<?> o : all()) {
                get(o); // every value parses
            }
            if (get(PARALLELISM) == 0 || get(PARALLELISM) < -1) {
                throw new BadOptionException(
                        "option '--parallelism' must be a positive number or -1, got "
                                + get(PARALLELISM));
            }
            if (get(CHECKPOINT_INTERVAL).toMillis() < 10) {
                throw new BadOptionException(
                        "option '--checkpoint.interval' must be at least 10ms, got "
                                + get(CHECKPOINT_INTERVAL));
            }
            if (mode() == Mode.LIVE) {
                require(BOOTSTRAP_SERVERS, "live mode");
                if (get(TRANSACTION_TIMEOUT).compareTo(get(CHECKPOINT_INTERVAL)) <= 0) {
                    throw new BadOptionException(
                            "option '--kafka.transaction-timeout' ("
                                    + get(TRANSACTION_TIMEOUT)
                                    + ") must be longer than '--checkpoint.interval' ("
                                    + get(CHECKPOINT_INTERVAL)
                                    + ")");
                }
            } else {
                require(INPUT, "replay mode");
                require(OUTPUT, "replay mode");
                until();
            }
            settlementConfig(mode() == Mode.REPLAY ? Instant.EPOCH : null);
        }

        private void require(ConfigOption<String> option, String why) {
            String v = get(option);
            if (v == null || v.isBlank()) {
                throw new BadOptionException(
                        "option '--" + option.key() + "' is required in " + why);
            }
        }
    }

    /** Parses {@code --key value} pairs and the environment's Kafka properties. */
    public static Parsed parse(String[] args, Map<String, String> env) {
        CommandLine line = readCommandLine(args, env, all(), false);
        return new Parsed(line.conf(), line.kafkaProperties(), line.help());
    }

    /** What a command line and the environment say, before any option is interpreted. */
    public record CommandLine(Configuration conf, Properties kafkaProperties, boolean help) {}

    /**
     * Reads {@code --key value} (or {@code --key=value}) pairs of the {@code known} options, {@code
     * --kafka.property.NAME VALUE} and the environment's {@code SETTLE_KAFKA_PROPERTY_*} into a
     * configuration and Kafka properties; an unknown option, a missing value or (when {@code
     * rejectRepeats}) an option given twice fails naming the option. Shared by every main that
     * takes the job's kind of options.
     */
    public static CommandLine readCommandLine(
            String[] args,
            Map<String, String> env,
            List<ConfigOption<?>> known,
            boolean rejectRepeats) {
        Map<String, ConfigOption<?>> byKey = new LinkedHashMap<>();
        for (ConfigOption<?> o : known) {
            byKey.put(o.key(), o);
        }
        Configuration conf = new Configuration();
        Properties kafka = new Properties();
        env.forEach(
                (name, value) -> {
                    if (name.startsWith(KAFKA_PROPERTY_ENV_PREFIX)
                            && name.length() > KAFKA_PROPERTY_ENV_PREFIX.length()) {
                        kafka.setProperty(
                                name.substring(KAFKA_PROPERTY_ENV_PREFIX.length())
                                        .toLowerCase(Locale.ROOT)
                                        .replace('_', '.'),
                                value);
                    }
                });
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
                continue;
            }
            if (!arg.startsWith("--")) {
                throw new BadOptionException(
                        "unexpected argument '" + arg + "': options are --name value (see --help)");
            }
            String key = arg.substring(2);
            String value;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new BadOptionException("option '--" + key + "' needs a value");
            }
            if (key.startsWith(KAFKA_PROPERTY_PREFIX)
                    && key.length() > KAFKA_PROPERTY_PREFIX.length()) {
                kafka.setProperty(key.substring(KAFKA_PROPERTY_PREFIX.length()), value);
            } else if (byKey.containsKey(key)) {
                if (rejectRepeats && conf.containsKey(key)) {
                    throw new BadOptionException("option '--" + key + "' is given twice");
                }
                conf.setString(key, value);
            } else {
                throw new BadOptionException("unknown option '--" + key + "' (see --help)");
            }
        }
        return new CommandLine(conf, kafka, help);
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == t ? t.getMessage() : t.getMessage() + " (" + root.getMessage() + ")";
    }
}
