package io.settle.jobs;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.settle.operators.RandomDay;
import io.settle.operators.codec.EventCodec;
import io.settle.operators.codec.OutputCodec;
import io.settle.operators.codec.ReplayLayout;
import io.settle.operators.core.ReplayOracle;
import io.settle.operators.model.Origin;
import io.settle.operators.model.SettlementEvent;
import io.settle.testkit.Flink;
import io.settle.testkit.JsonLines;
import io.settle.testkit.OracleCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replay from a file on the MiniCluster, as {@code --mode replay --input F --output D} runs it (the
 * clock's end found by the first pass): one day of distinct events with exact copies, malformed
 * lines and blank ones, in three orders, gives the same results, alerts, dead letters and open book
 * every time, equal to the oracle's; dead letters point at their file and 1-based physical line.
 */
class ReplayITCase {
    @RegisterExtension static final MiniClusterExtension FLINK = Flink.miniCluster();

    private static final List<String> FOLDERS =
            List.of(FileIo.RESULTS, FileIo.ALERTS, FileIo.DEAD_LETTERS, FileIo.OPEN_BOOK);

    /** One physical line of the input: a valid event (or a copy of one), malformed, or blank. */
    private record Line(byte[] bytes, SettlementEvent event) {
        boolean malformed() {
            return event == null && !new String(bytes, StandardCharsets.UTF_8).isBlank();
        }
    }

    @Test
    void threeOrdersOfOneDayGiveTheOraclesOutputs(@TempDir Path dir) throws Exception {
        List<Line> lines = day();
        List<Map<String, List<String>>> outputs = new ArrayList<>();
        for (long seed = 1; seed <= 3; seed++) {
            List<Line> order = new ArrayList<>(lines);
            Collections.shuffle(order, new Random(seed));
            outputs.add(replayAndCheck(order, dir.resolve("order-" + seed)));
        }
        for (String folder : FOLDERS) {
            List<String> first = withoutLines(folder, outputs.get(0).get(folder));
            assertThat(first).as(folder).isNotEmpty();
            for (int i = 1; i < outputs.size(); i++) {
                assertThat(withoutLines(folder, outputs.get(i).get(folder)))
                        .as("%s of order %d against order 1", folder, i + 1)
                        .isEqualTo(first);
            }
        }
    }

    @Test
    void aMistypedYearIsADeadLetterAndMovesNoClockAndAConflictingCopyIsTold(@TempDir Path dir)
            throws Exception {
        String booked =
                "{\"eventId\":\"b-1\",\"type\":\"OBLIGATION_BOOKED\",\"settlementId\":\"FX-1\","
                        + "\"eventTime\":\"2026-11-25T09:00:00Z\",\"deadline\":\"2026-11-25T16:00:00Z\","
                        + "\"legs\":[{\"legId\":\"USD\",\"payer\":\"BANK_A\",\"payee\":\"BANK_B\","
                        + "\"currency\":\"USD\",\"amount\":\"1000000.00\"}]}";
        String mistyped =
                "{\"eventId\":\"c-1\",\"type\":\"LEG_CONFIRMED\",\"settlementId\":\"FX-2\","
                        + "\"eventTime\":\"2099-11-25T09:05:10Z\",\"legId\":\"USD\","
                        + "\"currency\":\"USD\",\"amount\":\"5.00\"}";
        // And a second version of the booking (another deadline): the batch runtime takes
        // fingerprints only when an id comes again, and must still tell the two apart.
        String conflicting = booked.replace("16:00:00Z", "17:00:00Z");
        Path input = dir.resolve("day.jsonl");
        Path output = dir.resolve("out");
        Files.writeString(input, booked + "\n" + mistyped + "\n" + conflicting + "\n");
        SettlementJob.execute(Flink.env(dir.resolve("checkpoints"), null), replay(input, output));

        List<String> deadLetters = readPartFiles(output.resolve(FileIo.DEAD_LETTERS));
        assertThat(deadLetters).hasSize(2);
        assertThat(deadLetters)
                .extracting(d -> JsonLines.parse(d).path("reason").asText())
                .containsExactlyInAnyOrder("FUTURE_EVENT", "CONFLICTING_DUPLICATE");
        JsonNode dl =
                deadLetters.stream()
                        .map(JsonLines::parse)
                        .filter(d -> d.path("reason").asText().equals("FUTURE_EVENT"))
                        .findFirst()
                        .orElseThrow();
        assertThat(dl.path("reason").asText()).isEqualTo("FUTURE_EVENT");
        assertThat(dl.path("raw").asText()).isEqualTo(mistyped);
        assertThat(dl.path("origin").path("line").asLong()).isEqualTo(2);
        // The clock stopped at the booking, not in 2099: FX-1 is open, not expired.
        assertThat(readPartFiles(output.resolve(FileIo.RESULTS))).isEmpty();
        List<String> open = readPartFiles(output.resolve(FileIo.OPEN_BOOK));
        assertThat(open).hasSize(1);
        assertThat(JsonLines.parse(open.get(0)).path("settlementId").asText()).isEqualTo("FX-1");
        assertThat(
                        JsonLines.parse(
                                        Files.readString(output.resolve(ReplayLayout.SUCCESS))
                                                .trim())
                                .path("until")
                                .asText())
                .isEqualTo("2026-11-25T09:00:00Z");
    }

    /** Runs the replay of {@code order}; checks it against the oracle; returns its outputs. */
    private Map<String, List<String>> replayAndCheck(List<Line> order, Path dir) throws Exception {
        Path input = dir.resolve("day.jsonl");
        Path output = dir.resolve("out");
        Files.createDirectories(dir);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        for (Line l : order) {
            file.write(l.bytes());
            file.write('\n');
        }
        Files.write(input, file.toByteArray());

        StreamExecutionEnvironment env = Flink.env(dir.resolve("checkpoints"), null);
        SettlementJob.execute(env, replay(input, output));

        Map<String, List<String>> out = new java.util.HashMap<>();
        for (String folder : FOLDERS) {
            out.put(folder, JsonLines.sorted(readPartFiles(output.resolve(folder))));
        }

        // The oracle over the valid records in file order; the clock stops at the latest.
        List<SettlementEvent> valid = new ArrayList<>();
        order.stream().filter(l -> l.event() != null).forEach(l -> valid.add(l.event()));
        ReplayOracle.Outcome expected = OracleCheck.oracle(valid);
        OutputCodec codec = new OutputCodec();
        assertThat(out.get(FileIo.RESULTS))
                .isEqualTo(JsonLines.of(expected.results(), codec::result));
        assertThat(out.get(FileIo.ALERTS)).isEqualTo(JsonLines.of(expected.alerts(), codec::alert));
        assertThat(out.get(FileIo.OPEN_BOOK))
                .isEqualTo(JsonLines.of(expected.openBook(), codec::openBook));

        // Dead letters: one per malformed line, naming this file and its 1-based line.
        List<String> deadLetters = out.get(FileIo.DEAD_LETTERS);
        Set<String> files = new HashSet<>();
        for (String d : deadLetters) {
            JsonNode origin = JsonLines.parse(d).path("origin");
            files.add(origin.path("file").asText());
            long line = origin.path("line").asLong();
            assertThat(line).isBetween(1L, (long) order.size());
            assertThat(order.get((int) line - 1).malformed())
                    .as("line %d of %s is malformed: %s", line, input, d)
                    .isTrue();
        }
        assertThat(files).hasSize(1);
        String fileName = files.iterator().next();
        assertThat(fileName).endsWith(input.toAbsolutePath().toString());
        EventCodec events = new EventCodec();
        List<String> wantedDeadLetters = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            if (order.get(i).malformed()) {
                wantedDeadLetters.add(
                        codec.deadLetter(
                                events.decode(order.get(i).bytes(), Origin.file(fileName, i + 1))
                                        .deadLetter()));
            }
        }
        assertThat(deadLetters).isEqualTo(JsonLines.sorted(wantedDeadLetters));

        // Complete: _SUCCESS with the clock's end and the counts, _INCOMPLETE gone.
        assertThat(output.resolve(ReplayLayout.INCOMPLETE)).doesNotExist();
        JsonNode marker =
                JsonLines.parse(Files.readString(output.resolve(ReplayLayout.SUCCESS)).trim());
        assertThat(marker.path("until").asText())
                .isEqualTo(ReplayOracle.greatestEventTime(valid).toString());
        assertThat(marker.path("records").asLong())
                .isEqualTo(valid.size() + order.stream().filter(Line::malformed).count());
        for (String folder : FOLDERS) {
            assertThat(marker.path(folder).asLong()).as(folder).isEqualTo(out.get(folder).size());
        }
        return out;
    }

    /** Distinct events of a random day, a third again as copies, malformed and blank lines. */
    private static List<Line> day() {
        EventCodec codec = new EventCodec();
        List<SettlementEvent> distinct = RandomDay.generate(11L, 150);
        Random r = new Random(11L);
        List<Line> lines = new ArrayList<>();
        for (SettlementEvent e : distinct) {
            lines.add(new Line(utf8(codec.encode(e)), e));
        }
        for (SettlementEvent e : distinct) {
            int copy = r.nextInt(6);
            if (copy == 0) { // the same bytes again
                lines.add(new Line(utf8(codec.encode(e)), e));
            } else if (copy == 1) { // the same content, other whitespace
                lines.add(new Line(utf8(codec.encode(e).replace("\":", "\" : ")), e));
            }
        }
        // A valid line ending in CRLF: the \r is not part of the record.
        SettlementEvent crlf = distinct.get(0);
        lines.add(new Line(utf8(codec.encode(crlf) + "\r"), crlf));

        String confirmation =
                distinct.stream()
                        .filter(e -> e.getType().name().equals("LEG_CONFIRMED"))
                        .findFirst()
                        .map(codec::encode)
                        .orElseThrow();
        lines.add(new Line(new byte[] {'{', '"', (byte) 0xc3, '"', ':', '1', '}'}, null));
        lines.add(new Line(utf8(confirmation.substring(0, confirmation.length() - 9)), null));
        lines.add(new Line(utf8("[" + confirmation + "]"), null));
        lines.add(new Line(utf8(confirmation.replaceFirst("\"eventId\":\"[^\"]*\",", "")), null));
        lines.add(
                new Line(
                        utf8(
                                confirmation.replaceFirst(
                                        "\"amount\":\"([0-9.]+)\"", "\"amount\":$1")),
                        null));
        lines.add(new Line(utf8(confirmation.replace("LEG_CONFIRMED", "LEG_REVERSED")), null));
        lines.add(
                new Line(
                        utf8(
                                "{\"eventId\":\"big\",\"padding\":\""
                                        + "y".repeat(EventCodec.MAX_RECORD_BYTES)
                                        + "\"}"),
                        null));
        lines.add(new Line(new byte[0], null));
        lines.add(new Line(utf8("   "), null));
        return lines;
    }

    /** Every line of the committed part files under {@code folder}; none left in progress. */
    private static SettleOptions.Parsed replay(Path input, Path output) {
        return SettleOptions.parse(
                new String[] {
                    "--mode", "replay",
                    "--input", input.toString(),
                    "--output", output.toString(),
                    "--parallelism", Integer.toString(Its.PARALLELISM)
                },
                Map.of());
    }

    private static List<String> readPartFiles(Path folder) throws IOException {
        List<String> lines = new ArrayList<>();
        if (!Files.exists(folder)) {
            return lines;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                assertThat(f.getFileName().toString())
                        .as("only committed part files")
                        .startsWith("part")
                        .endsWith(".jsonl");
                lines.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
            }
        }
        return lines;
    }

    /** Dead letters compared across orders: their origin's line differs with the order. */
    private static List<String> withoutLines(String folder, List<String> lines) {
        if (!folder.equals(FileIo.DEAD_LETTERS)) {
            return lines;
        }
        List<String> stripped = new ArrayList<>();
        for (String line : lines) {
            ObjectNode d = (ObjectNode) JsonLines.parse(line);
            ((ObjectNode) d.path("origin")).remove("line");
            ((ObjectNode) d.path("origin")).remove("file"); // each order has its own file
            stripped.add(d.toString());
        }
        return JsonLines.sorted(stripped);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
