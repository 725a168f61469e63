package io.settle.generator;

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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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

    static final CliOption<Path> OUT =
            CliOption.required("out", "FILE", "the JSON Lines file to write", CliOption::path);
    static final CliOption<Long> COUNT =
            CliOption.required(
                    "count", "N", "how many records to write", CliOption::positiveWholeNumber);
    static final CliOption<Long> SEED =
            CliOption.optional(
                    "seed",
                    "S",
                    "the seed: the same seed and options write the same file",
                    GeneratorOptions.DEFAULT_SEED,
                    CliOption::wholeNumber);
    static final CliOption<LocalDate> DAY =
            CliOption.optional(
                    "day",
                    "DATE",
                    "the business day, UTC",
                    LocalDate.parse("2026-11-25"),
                    CliOption::date);

    static final CommandLine COMMAND_LINE =
            new CommandLine(
                    "generate --out FILE --count N [options]",
                    "Writes a synthetic business day of settlement events as JSON Lines: event times "
                            + "from 07:00 to 18:00 UTC, busiest at the open and the close, with "
                            + "duplicates, reordered and late events and malformed records.",
                    options());

    private static List<CliOption<?>> options() {
        List<CliOption<?>> all = new ArrayList<>(List.of(OUT, COUNT, SEED, DAY));
        all.addAll(GeneratorCliOptions.ALL);
        return all;
    }

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
        if (args.length > 0 && args[0].equals("generate")) {
            args = Arrays.copyOfRange(args, 1, args.length); // as a launcher passes it
        }
        CommandLine.Parsed p;
        GeneratorOptions options;
        try {
            p = COMMAND_LINE.parse(args);
            if (p.helpRequested()) {
                out.print(COMMAND_LINE.help());
                return 0;
            }
            options = GeneratorCliOptions.from(p, p.get(SEED));
        } catch (CommandLine.UsageException e) {
            err.println("generate: " + e.getMessage());
            return 2;
        }
        try {
            Summary summary = write(p.get(OUT), p.get(COUNT), options, p.get(DAY));
            out.println(p.get(OUT) + ": " + summary.line());
            return 0;
        } catch (IOException e) {
            err.println("generate: cannot write " + p.get(OUT) + ": " + e);
            return 1;
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
