package io.settle.jobs;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.settle.operators.RandomDay;
import io.settle.operators.codec.EventCodec;
import io.settle.operators.codec.OutputCodec;
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
        SettleOptions.Parsed options =
                SettleOptions.parse(
                        new String[] {
                            "--mode", "replay",
                            "--input", input.toString(),
                            "--output", output.toString(),
                            "--checkpoint.interval", "1s",
                            "--parallelism", Integer.toString(Its.PARALLELISM)
                        },
                        Map.of());
        env.execute(SettlementJob.prepare(env, options));

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
