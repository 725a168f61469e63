package io.settle.generator;

import io.settle.operators.codec.DecodeResult;
import io.settle.operators.codec.EventCodec;
import io.settle.operators.model.Origin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class GenerateCommandTest {

    @TempDir Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int generate(String... args) {
        return GenerateCommand.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** The file's lines as bytes, split at '\n' only, as a replay reads them. */
    private static List<byte[]> lines(Path file) throws Exception {
        byte[] all = Files.readAllBytes(file);
        assertThat(all[all.length - 1])
                .as("the last line ends with a newline")
                .isEqualTo((byte) '\n');
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == '\n') {
                byte[] line = new byte[i - start];
                System.arraycopy(all, start, line, 0, line.length);
                lines.add(line);
                start = i + 1;
            }
        }
        return lines;
    }

    @Test
    void writesTheCountOfSingleLineRecordsAndASummary() throws Exception {
        Path file = dir.resolve("day/events.jsonl");

        int status =
                generate(
                        "--out",
                        file.toString(),
                        "--count",
                        "20000",
                        "--seed",
                        "5",
                        "--malformed",
                        "0.02",
                        "--day",
                        "2026-11-26");

        assertThat(status).as("stderr: %s", err).isZero();
        List<byte[]> lines = lines(file);
        assertThat(lines).hasSize(20_000);
        String summary = out.toString(StandardCharsets.UTF_8);
        assertThat(summary)
                .contains("records=20000")
                .contains("settlements=")
                .contains("duplicates=")
                .contains("malformed=");
        assertThat(summary.lines()).hasSize(1);

        EventCodec codec = new EventCodec();
        Instant open = Instant.parse("2026-11-26T07:00:00Z");
        Instant close = Instant.parse("2026-11-26T18:00:00Z");
        int rejected = 0;
        int inFirstHour = 0;
        int inMiddleHour = 0;
        for (int i = 0; i < lines.size(); i++) {
            byte[] line = lines.get(i);
            assertThat(line).as("line %d", i + 1).doesNotContain((byte) '\r').isNotEmpty();
            DecodeResult r = codec.decode(line, Origin.file(file.toString(), i + 1));
            if (!r.isValid()) {
                rejected++;
                continue;
            }
            Instant t = r.event().getEventTime();
            assertThat(t).isAfterOrEqualTo(open).isBefore(close);
            if (t.isBefore(open.plusSeconds(3600))) {
                inFirstHour++;
            } else if (!t.isBefore(open.plusSeconds(5 * 3600))
                    && t.isBefore(open.plusSeconds(6 * 3600))) {
                inMiddleHour++;
            }
        }
        assertThat(summary).contains("malformed=" + rejected);
        assertThat(rejected).isBetween(300, 500);
        // 3x at the open (the first 66 minutes of 11 hours) against 1x in the middle.
        assertThat(inFirstHour).isGreaterThan(inMiddleHour * 5 / 2);
    }

    @Test
    void theSameSeedWritesTheSameFile() throws Exception {
        Path a = dir.resolve("a.jsonl");
        Path b = dir.resolve("b.jsonl");
        GenerateCommand.write(a, 5_000, GeneratorOptions.defaults(3), LocalDate.of(2026, 11, 25));
        GenerateCommand.write(b, 5_000, GeneratorOptions.defaults(3), LocalDate.of(2026, 11, 25));
        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
    }

    @Test
    void anUnknownOptionFailsNamingIt() {
        int status =
                generate("--out", dir.resolve("x").toString(), "--count", "5", "--colour", "red");
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--colour");
        assertThat(dir.resolve("x")).doesNotExist();
    }

    @Test
    void aBadNumberFailsNamingTheOption() {
        int status = generate("--out", dir.resolve("x").toString(), "--count", "lots");
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--count").contains("lots");
    }

    @Test
    void ratesAddingUpToMoreThanOneFail() {
        int status =
                generate(
                        "--out",
                        dir.resolve("x").toString(),
                        "--count",
                        "5",
                        "--duplicates",
                        "0.6",
                        "--reorder",
                        "0.6");
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("more than 1");
    }

    @Test
    void helpListsEveryOptionWithItsDefault() {
        int status = generate("--help");
        assertThat(status).isZero();
        String help = out.toString(StandardCharsets.UTF_8);
        assertThat(help)
                .contains("--out FILE")
                .contains("--count N")
                .contains("--seed S")
                .contains("default: 42")
                .contains("--duplicates R")
                .contains("default: 0.05")
                .contains("--reorder R")
                .contains("default: 0.1")
                .contains("--late R")
                .contains("--malformed R")
                .contains("default: 0.005")
                .contains("--day DATE")
                .contains("default: 2026-11-25")
                .contains("--max-in-flight N");
    }
}
