package io.settle.cli;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.description.BlockElement;
import org.apache.flink.configuration.description.TextElement;
import org.apache.flink.util.TimeUtils;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * The options of one command (the job, the report, a tool behind {@code ./settle}), as Flink {@link
 * ConfigOption}s: one command-line syntax, one duration syntax (Flink's: {@code 90s}, {@code 15
 * min}, {@code 2 h}, {@code 7 d} or ISO-8601 {@code PT2H}), one error style (every message names
 * its option, {@link BadOptionException}) and one {@code --help} layout for every command.
 *
 * <p>A command line is {@code --key value} or {@code --key=value} pairs; an option whose default is
 * {@code false} is a flag and may be given alone ({@code --quick}). Each option may be given once.
 * With {@link Builder#kafkaProperties()}, {@code --kafka.property.NAME VALUE} and the environment's
 * {@code SETTLE_KAFKA_PROPERTY_NAME} pass Kafka client properties through (their values are never
 * printed).
 */
public final class OptionSet {
    public static final String KAFKA_PROPERTY_PREFIX = "kafka.property.";
    public static final String KAFKA_PROPERTY_ENV_PREFIX = "SETTLE_KAFKA_PROPERTY_";

    private final String command;
    private final String usage;
    private final String about;
    private final List<ConfigOption<?>> options;
    private final boolean kafkaProperties;
    private final Map<String, String> valueNames;
    private final Map<String, ConfigOption<?>> byKey = new LinkedHashMap<>();

    private OptionSet(Builder b) {
        this.command = b.command;
        this.usage = b.usage;
        this.about = b.about;
        this.options = List.copyOf(b.options);
        this.kafkaProperties = b.kafkaProperties;
        this.valueNames = Map.copyOf(b.valueNames);
        for (ConfigOption<?> o : options) {
            if (byKey.put(o.key(), o) != null) {
                throw new IllegalStateException(command + ": option --" + o.key() + " twice");
            }
        }
    }

    /**
     * Starts the option set of {@code command} (how a user calls it, e.g. {@code settle bench}).
     */
    public static Builder command(String command) {
        return new Builder(command);
    }

    /** Every {@code static final ConfigOption} field of {@code holder}, in declaration order. */
    public static List<ConfigOption<?>> declaredIn(Class<?> holder) {
        List<ConfigOption<?>> found = new ArrayList<>();
        for (Field f : holder.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == ConfigOption.class) {
                try {
                    f.setAccessible(true);
                    found.add((ConfigOption<?>) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return found;
    }

    public String command() {
        return command;
    }

    public List<ConfigOption<?>> options() {
        return options;
    }

    public boolean contains(ConfigOption<?> option) {
        return byKey.get(option.key()) == option;
    }

    /** Reads {@code args} (and, for Kafka properties, {@code env}); fails naming the option. */
    public Parsed parse(String[] args, Map<String, String> env) {
        Configuration conf = new Configuration();
        Properties kafka = new Properties();
        if (kafkaProperties) {
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
        }
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
                continue;
            }
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new BadOptionException(
                        "unexpected argument '" + arg + "': options are --name value (see --help)");
            }
            String key = arg.substring(2);
            String value = null;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            }
            if (kafkaProperties
                    && key.startsWith(KAFKA_PROPERTY_PREFIX)
                    && key.length() > KAFKA_PROPERTY_PREFIX.length()) {
                if (value == null) {
                    value = valueAfter(args, i++, key);
                }
                kafka.setProperty(key.substring(KAFKA_PROPERTY_PREFIX.length()), value);
                continue;
            }
            ConfigOption<?> option = byKey.get(key);
            if (option == null) {
                throw new BadOptionException("unknown option '--" + key + "' (see --help)");
            }
            if (value == null) {
                boolean flagAlone =
                        isFlag(option) && (i + 1 >= args.length || args[i + 1].startsWith("--"));
                value = flagAlone ? "true" : valueAfter(args, i++, key);
            }
            if (conf.containsKey(key)) {
                throw BadOptionException.of(key, "is given twice");
            }
            conf.setString(key, value);
        }
        Parsed parsed = new Parsed(this, conf, kafka, help);
        if (!help) {
            for (ConfigOption<?> o : options) {
                parsed.get(o); // every value given parses
            }
        }
        return parsed;
    }

    private static String valueAfter(String[] args, int i, String key) {
        if (i + 1 >= args.length) {
            throw BadOptionException.of(key, "needs a value");
        }
        return args[i + 1];
    }

    /** An option whose default is {@code false}: given alone, it means {@code true}. */
    public static boolean isFlag(ConfigOption<?> o) {
        return o.hasDefaultValue() && Boolean.FALSE.equals(o.defaultValue());
    }

    // ---------------------------------------------------------------------------------------
    // Help.

    /** The {@code --help} text: what the command does, its usage, every option with its default. */
    public String help() {
        StringBuilder b = new StringBuilder();
        if (!about.isEmpty()) {
            b.append(about).append("\n\n");
        }
        b.append("Usage: ").append(usage).append("\n\nOptions:\n");
        for (ConfigOption<?> o : options) {
            String left = "--" + o.key() + (isFlag(o) ? "" : " " + valueName(o));
            b.append(String.format(Locale.ROOT, "  %-36s default: %s%n", left, defaultText(o)));
            b.append("      ").append(description(o)).append('\n');
        }
        if (kafkaProperties) {
            b.append(
                            String.format(
                                    Locale.ROOT,
                                    "  %-36s%n",
                                    "--" + KAFKA_PROPERTY_PREFIX + "NAME VALUE"))
                    .append("      a Kafka client property (security.protocol, ssl.*, ...); or ")
                    .append(KAFKA_PROPERTY_ENV_PREFIX)
                    .append(
                            "NAME in the environment (dots as underscores); values are never printed.\n");
        }
        b.append(String.format(Locale.ROOT, "  %-36s%n", "--help"))
                .append("      prints this and exits.\n");
        return b.toString();
    }

    /** The options as a Markdown table ({@code | option | default | meaning |}), for the docs. */
    public String markdownTable() {
        StringBuilder b = new StringBuilder();
        b.append("| option | default | meaning |\n| --- | --- | --- |\n");
        for (ConfigOption<?> o : options) {
            b.append("| `--")
                    .append(o.key())
                    .append("` | ")
                    .append(o.hasDefaultValue() ? "`" + defaultText(o) + "`" : "")
                    .append(" | ")
                    .append(description(o).replace("|", "\\|"))
                    .append(" |\n");
        }
        if (kafkaProperties) {
            b.append("| `--")
                    .append(KAFKA_PROPERTY_PREFIX)
                    .append("NAME` |  | a Kafka client property; or `")
                    .append(KAFKA_PROPERTY_ENV_PREFIX)
                    .append("NAME` in the environment |\n");
        }
        return b.toString();
    }

    /** An option's default as a person writes it: {@code 2 h}, not {@code PT2H}. */
    public static String defaultText(ConfigOption<?> o) {
        if (!o.hasDefaultValue()) {
            return "(none)";
        }
        Object v = o.defaultValue();
        if (v instanceof Duration) {
            return TimeUtils.formatWithHighestUnit((Duration) v);
        }
        return String.valueOf(v);
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

    private String valueName(ConfigOption<?> o) {
        String named = valueNames.get(o.key());
        if (named != null) {
            return named;
        }
        Object v = o.hasDefaultValue() ? o.defaultValue() : null;
        if (v instanceof Duration) {
            return "DURATION";
        }
        if (v instanceof Integer || v instanceof Long) {
            return "N";
        }
        if (v instanceof Double) {
            return "R";
        }
        if (v instanceof Enum) {
            return "MODE";
        }
        return "VALUE";
    }

    /** Builds an {@link OptionSet}. */
    public static final class Builder {
        private final String command;
        private String usage;
        private String about = "";
        private final List<ConfigOption<?>> options = new ArrayList<>();
        private final Map<String, String> valueNames = new LinkedHashMap<>();
        private boolean kafkaProperties;

        private Builder(String command) {
            this.command = Objects.requireNonNull(command);
            this.usage = command + " [options]";
        }

        /** The usage line after {@code Usage: }. */
        public Builder usage(String usage) {
            this.usage = usage;
            return this;
        }

        /** What the command does, a paragraph at the top of {@code --help}. */
        public Builder about(String about) {
            this.about = about;
            return this;
        }

        public Builder options(List<ConfigOption<?>> more) {
            options.addAll(more);
            return this;
        }

        /** What {@code --help} calls the option's value ({@code FILE}, {@code DATE}, ...). */
        public Builder valueName(ConfigOption<?> option, String name) {
            valueNames.put(option.key(), name);
            return this;
        }

        /** Accept {@code --kafka.property.NAME VALUE} and {@code SETTLE_KAFKA_PROPERTY_NAME}. */
        public Builder kafkaProperties() {
            this.kafkaProperties = true;
            return this;
        }

        public OptionSet build() {
            return new OptionSet(this);
        }
    }
}
