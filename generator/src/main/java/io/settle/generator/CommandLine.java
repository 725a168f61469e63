package io.settle.generator;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small command-line parser: {@code --name VALUE} or {@code --name=VALUE} for each declared
 * {@link CliOption}, {@code --help} for the list. It fails fast with a {@link UsageException}
 * naming the option that is unknown, repeated, missing its value, required or wrong.
 */
public final class CommandLine {

    /** A command line that cannot be run; the message names the option at fault. */
    public static final class UsageException extends IllegalArgumentException {
        public UsageException(String message) {
            super(message);
        }
    }

    /** What a command line said. */
    public static final class Parsed {
        private final Map<CliOption<?>, Object> values;
        private final boolean help;

        private Parsed(Map<CliOption<?>, Object> values, boolean help) {
            this.values = values;
            this.help = help;
        }

        /** True when {@code --help} was asked for: print {@link CommandLine#help()} and stop. */
        public boolean helpRequested() {
            return help;
        }

        /** The option's value, its default if not given (null for one without a default). */
        @SuppressWarnings("unchecked")
        public <T> T get(CliOption<T> option) {
            if (!values.containsKey(option)) {
                if (help) {
                    return option.defaultValue();
                }
                throw new IllegalArgumentException(option + " is not an option of this command");
            }
            return (T) values.get(option);
        }
    }

    private final String usage;
    private final String summary;
    private final Map<String, CliOption<?>> options = new LinkedHashMap<>();

    /**
     * @param usage the synopsis, e.g. {@code "generate --out FILE --count N [options]"}
     * @param summary what the command does, a sentence or two
     */
    public CommandLine(String usage, String summary, List<CliOption<?>> options) {
        this.usage = usage;
        this.summary = summary;
        for (CliOption<?> o : options) {
            if (this.options.put(o.name(), o) != null) {
                throw new IllegalArgumentException("option " + o + " declared twice");
            }
        }
    }

    /** Parses {@code args}; throws {@link UsageException} naming the first thing wrong. */
    public Parsed parse(String... args) {
        Map<CliOption<?>, String> given = new HashMap<>();
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
                continue;
            }
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageException("unexpected argument '" + arg + "' (try --help)");
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            CliOption<?> option = options.get(name);
            if (option == null) {
                throw new UsageException("unknown option --" + name + " (try --help)");
            }
            if (value == null) {
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    throw new UsageException(
                            "option " + option + " needs a value: " + option.valueName());
                }
                value = args[++i];
            }
            if (given.put(option, value) != null) {
                throw new UsageException("option " + option + " is given twice");
            }
        }
        Map<CliOption<?>, Object> values = new HashMap<>();
        if (help) {
            return new Parsed(values, true);
        }
        for (CliOption<?> option : options.values()) {
            String text = given.get(option);
            if (text == null) {
                if (option.isRequired()) {
                    throw new UsageException(
                            "option "
                                    + option
                                    + " is required: "
                                    + option.description()
                                    + " (try --help)");
                }
                values.put(option, option.defaultValue());
                continue;
            }
            try {
                values.put(option, option.parse(text));
            } catch (IllegalArgumentException e) {
                throw new UsageException("option " + option + ": " + e.getMessage());
            }
        }
        return new Parsed(values, false);
    }

    /** The usage line, the summary and every option with its description and default. */
    public String help() {
        StringBuilder b = new StringBuilder();
        b.append("Usage: ").append(usage).append("\n\n").append(summary).append("\n\nOptions:\n");
        int width = 0;
        for (CliOption<?> o : options.values()) {
            width = Math.max(width, o.flag().length() + 1 + o.valueName().length());
        }
        for (CliOption<?> o : options.values()) {
            String left = o.flag() + " " + o.valueName();
            b.append("  ")
                    .append(left)
                    .append(" ".repeat(width - left.length() + 2))
                    .append(o.description())
                    .append(" (")
                    .append(o.defaultText())
                    .append(")\n");
        }
        b.append("  --help").append(" ".repeat(Math.max(2, width - 4))).append("print this help\n");
        return b.toString();
    }
}
