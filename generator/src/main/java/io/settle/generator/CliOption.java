package io.settle.generator;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A typed command-line option ({@code --name VALUE}) with a description and a default, declared as
 * a constant next to the command that reads it, the way Flink's {@code ConfigOption}s are (the
 * generator runs without Flink on its class path, so it cannot use those).
 *
 * @param <T> the value's type
 */
public final class CliOption<T> {

    /** Reads an option's text; throws {@link IllegalArgumentException} saying what is wrong. */
    @FunctionalInterface
    public interface Parser<T> {
        T parse(String text);
    }

    private final String name;
    private final String valueName;
    private final String description;
    private final T defaultValue;
    private final String defaultText;
    private final boolean required;
    private final Parser<T> parser;

    private CliOption(
            String name,
            String valueName,
            String description,
            T defaultValue,
            String defaultText,
            boolean required,
            Parser<T> parser) {
        this.name = Objects.requireNonNull(name);
        this.valueName = Objects.requireNonNull(valueName);
        this.description = Objects.requireNonNull(description);
        this.defaultValue = defaultValue;
        this.defaultText = defaultText;
        this.required = required;
        this.parser = Objects.requireNonNull(parser);
    }

    /** An option that must be given. */
    public static <T> CliOption<T> required(
            String name, String valueName, String description, Parser<T> parser) {
        return new CliOption<>(name, valueName, description, null, null, true, parser);
    }

    /** An option with a default value, shown by {@code --help}. */
    public static <T> CliOption<T> optional(
            String name, String valueName, String description, T defaultValue, Parser<T> parser) {
        return new CliOption<>(
                name,
                valueName,
                description,
                Objects.requireNonNull(defaultValue, "defaultValue"),
                display(defaultValue),
                false,
                parser);
    }

    /**
     * An option whose absence means something that is not a value ({@code defaultText} says what,
     * e.g. "until stopped"); it reads as null when not given.
     */
    public static <T> CliOption<T> optionalWithout(
            String name,
            String valueName,
            String description,
            String defaultText,
            Parser<T> parser) {
        return new CliOption<>(name, valueName, description, null, defaultText, false, parser);
    }

    /** A default as a user would type it: {@code 10m} rather than {@code PT10M}. */
    static String display(Object value) {
        if (value instanceof Duration) {
            Duration d = (Duration) value;
            if (d.toMillis() % 86_400_000 == 0) {
                return d.toDays() + "d";
            } else if (d.toMillis() % 3_600_000 == 0) {
                return d.toHours() + "h";
            } else if (d.toMillis() % 60_000 == 0) {
                return d.toMinutes() + "m";
            } else if (d.toMillis() % 1_000 == 0) {
                return d.toSeconds() + "s";
            }
            return d.toMillis() + "ms";
        }
        if (value instanceof Double) {
            return BigDecimal.valueOf((Double) value).stripTrailingZeros().toPlainString();
        }
        if (value instanceof Map && ((Map<?, ?>) value).isEmpty()) {
            return "none";
        }
        return String.valueOf(value);
    }

    public String name() {
        return name;
    }

    /** {@code --name}. */
    public String flag() {
        return "--" + name;
    }

    public String valueName() {
        return valueName;
    }

    public String description() {
        return description;
    }

    public T defaultValue() {
        return defaultValue;
    }

    /** How {@code --help} shows the default: "required" for required options. */
    public String defaultText() {
        return required ? "required" : "default: " + defaultText;
    }

    public boolean isRequired() {
        return required;
    }

    T parse(String text) {
        return parser.parse(text);
    }

    @Override
    public String toString() {
        return flag();
    }

    // ---------------------------------------------------------------------------------------
    // Parsers.

    public static String text(String s) {
        if (s.isBlank()) {
            throw new IllegalArgumentException("must not be blank");
        }
        return s;
    }

    public static Long wholeNumber(String s) {
        try {
            return Long.parseLong(s.trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is not a whole number");
        }
    }

    public static Long positiveWholeNumber(String s) {
        long n = wholeNumber(s);
        if (n <= 0) {
            throw new IllegalArgumentException("must be positive, got " + n);
        }
        return n;
    }

    public static Integer positiveInt(String s) {
        long n = positiveWholeNumber(s);
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("must be at most " + Integer.MAX_VALUE);
        }
        return (int) n;
    }

    /** A share between 0 and 1, as {@code 0.05} or {@code 5%}. */
    public static Double rate(String s) {
        String t = s.trim();
        boolean percent = t.endsWith("%");
        double r;
        try {
            r = Double.parseDouble(percent ? t.substring(0, t.length() - 1) : t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is not a rate like 0.05 or 5%");
        }
        if (percent) {
            r /= 100;
        }
        if (!(r >= 0 && r <= 1)) {
            throw new IllegalArgumentException("'" + s + "' is not a rate between 0 and 1");
        }
        return r;
    }

    /** A positive number of events per second. */
    public static Double positiveRate(String s) {
        double r;
        try {
            r = Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is not a number");
        }
        if (!(r > 0) || Double.isInfinite(r)) {
            throw new IllegalArgumentException("must be a positive number, got '" + s + "'");
        }
        return r;
    }

    public static Path path(String s) {
        return Path.of(text(s));
    }

    public static LocalDate date(String s) {
        try {
            return LocalDate.parse(s.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + s + "' is not a date like 2026-11-25");
        }
    }

    private static final Pattern SHORT_DURATION = Pattern.compile("([0-9]+)\\s*(ms|s|m|min|h|d)");

    /** A positive duration: ISO-8601 ({@code PT90S}) or a number and a unit ({@code 90s}). */
    public static Duration duration(String s) {
        String t = s.trim();
        Duration d;
        Matcher m = SHORT_DURATION.matcher(t.toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            switch (m.group(2)) {
                case "ms":
                    d = Duration.ofMillis(n);
                    break;
                case "s":
                    d = Duration.ofSeconds(n);
                    break;
                case "m":
                case "min":
                    d = Duration.ofMinutes(n);
                    break;
                case "h":
                    d = Duration.ofHours(n);
                    break;
                default:
                    d = Duration.ofDays(n);
                    break;
            }
        } else {
            try {
                d = Duration.parse(t);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(
                        "'" + s + "' is not a duration like 90s, 10m, 2h or PT1H30M");
            }
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("must be a positive duration, got '" + s + "'");
        }
        return d;
    }
}
