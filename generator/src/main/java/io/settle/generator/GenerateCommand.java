package io.settle.generator;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import io.settle.cli.BadOptionException;
import io.settle.cli.OptionSet;
import io.settle.cli.Parsed;
import io.settle.generator.GeneratedRecord.Kind;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * {@code generate --out FILE --count N [options]}: writes a synthetic business day as JSON Lines,
 * the input of a replay. The records are written in the order they were sent, with event times
 * between 07:00 and 18:00 UTC of {@code --day}, busier at the open and at the close ({@link
 * Burst#marketDay}), and anomalies at the rates asked for. Prints a one-line summary.
 */
public final class GenerateCommand {

    /** The business day's opening and closing times, UTC. */
    public static final LocalTime OPEN = LocalTime.of(7, 0);

    public static final LocalTime CLOSE = LocalTime.of(18, 0);

    public static final ConfigOption<String> OUT =
            ConfigOptions.key("out")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("The JSON Lines file to write. Required.");

    public static final ConfigOption<Long> COUNT =
            ConfigOptions.key("count")
                    .longType()
                    .noDefaultValue()
                    .withDescription("How many records to write. Required.");

    public static final ConfigOption<Long> SEED =
            ConfigOptions.key("seed")
                    .longType()
                    .defaultValue(GeneratorOptions.DEFAULT_SEED)
                    .withDescription("The seed: the same seed and options write the same file.");

    public static final ConfigOption<String> DAY =
            ConfigOptions.key("day")
                    .stringType()
                    .defaultValue("2026-11-25")
                    .withDescription("The business day, a UTC date (YYYY-MM-DD).");

    /** The command line of {@code settle generate}. */
    public static final OptionSet OPTIONS =
            OptionSet.command("settle generate")
                    .usage("settle generate --out FILE --count N [options]")
                    .about(
                            "Writes a synthetic business day of settlement events as JSON Lines: event times "
                                    + "from 07:00 to 18:00 UTC, busiest at the open and the close, with "
                                    + "duplicates, reordered and late events and malformed records.")
                    .options(List.of(OUT, COUNT, SEED, DAY))
                    .options(TrafficOptions.ALL)
                    .valueName(OUT, "FILE")
                    .valueName(COUNT, "N")
                    .valueName(DAY, "DATE")
                    .valueName(SEED, "S")
                    .build();

    /** What a generated file holds. */
    public record Summary(
            long records,
            long settlements,
            long duplicates,
            long malformed,
            long reordered,
            long late) {

        public String line() {
            return String.format(
                    "records=%d settlements=%d duplicates=%d malformed=%d reordered=%d late=%d",
                    records, settlements, duplicates, malformed, reordered, late);
        }
    }

    private GenerateCommand() {}

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Runs the command; returns the exit status (0 done, 1 failed, 2 bad command line). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Path file;
        long count;
        LocalDate day;
        GeneratorOptions options;
        try {
            Parsed p = OPTIONS.parse(args, Map.of());
            if (p.help()) {
                out.print(OPTIONS.help());
                return 0;
            }
            file = Path.of(p.require(OUT, ""));
            if (!p.has(COUNT) || p.get(COUNT) < 1) {
                throw BadOptionException.of(
                        COUNT.key(), "is required, a number of records above 0");
            }
            count = p.get(COUNT);
            day = date(p.get(DAY));
            options = TrafficOptions.from(p, p.get(SEED));
        } catch (BadOptionException e) {
            err.println(OPTIONS.command() + ": " + e.getMessage());
            err.println("Run '" + OPTIONS.command() + " --help' for the options.");
            return 2;
        }
        try {
            Summary summary = write(file, count, options, day);
            out.println(file + ": " + summary.line());
            return 0;
        } catch (IOException e) {
            err.println(OPTIONS.command() + ": cannot write " + file + ": " + e);
            return 1;
        }
    }

    private static LocalDate date(String text) {
        try {
            return LocalDate.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw BadOptionException.of(
                    DAY.key(), "must be a date like 2026-11-25, got '" + text + "'");
        }
    }

    /** Writes {@code count} records of {@code day} to {@code file}, one per line. */
    public static Summary write(Path file, long count, GeneratorOptions options, LocalDate day)
            throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            return write(out, count, options, day);
        }
    }

    /** Writes {@code count} records of {@code day} to {@code out}, one per line. */
    public static Summary write(
            OutputStream out, long count, GeneratorOptions options, LocalDate day)
            throws IOException {
        Instant open = day.atTime(OPEN).toInstant(ZoneOffset.UTC);
        Duration span = Duration.between(OPEN, CLOSE);
        Burst burst = Burst.marketDay(span);
        TrafficGenerator generator = new TrafficGenerator(options);
        long duplicates = 0;
        long malformed = 0;
        long reordered = 0;
        long late = 0;
        for (long i = 0; i < count; i++) {
            Instant now = open.plus(burst.offsetOfShare((double) i / count));
            GeneratedRecord record = generator.next(now);
            for (byte b : record.value()) {
                if (b == '\n' || b == '\r') {
                    throw new IllegalStateException("a record spans lines: " + record);
                }
            }
            out.write(record.value());
            out.write('\n');
            Kind kind = record.kind();
            if (kind.isDuplicate()) {
                duplicates++;
            } else if (kind.isMalformed()) {
                malformed++;
            } else if (kind == Kind.REORDERED) {
                reordered++;
            } else if (kind == Kind.LATE) {
                late++;
            }
        }
        return new Summary(
                count, generator.settlementsStarted(), duplicates, malformed, reordered, late);
    }
}
