package io.settle.tools.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchOptionsTest {

    @Test
    void quickShrinksTheDefaultsAndExplicitOptionsWin() {
        BenchOptions quick = BenchOptions.parse("--quick", "--events", "1000");
        assertThat(quick.events).isEqualTo(1_000);
        assertThat(quick.backlog).isEqualTo(100_000);
        assertThat(quick.step).isEqualTo(Duration.ofSeconds(10));
        assertThat(quick.out.toString()).isEqualTo("bench/results/quick");

        BenchOptions full = BenchOptions.parse();
        assertThat(full.events).isEqualTo(4_000_000);
        assertThat(full.rates)
                .containsExactly(
                        5_000.0, 10_000.0, 15_000.0, 20_000.0, 25_000.0, 30_000.0, 40_000.0,
                        50_000.0, 75_000.0);
        assertThat(full.out.toString()).isEqualTo("bench/results");
        assertThat(full.parts).containsExactlyInAnyOrder(BenchOptions.Part.values());
    }

    @Test
    void onlyPicksParts() {
        BenchOptions o = BenchOptions.parse("--only", "replay, sql,state");
        assertThat(o.parts)
                .containsExactly(
                        BenchOptions.Part.REPLAY, BenchOptions.Part.SQL, BenchOptions.Part.STATE);
        assertThat(o.needsKafka()).isTrue();
        assertThat(BenchOptions.parse("--only", "ceiling").needsKafka()).isFalse();
    }

    @Test
    void badOptionsAreNamed() {
        assertThatThrownBy(() -> BenchOptions.parse("--only", "replay,fast"))
                .hasMessageContaining("unknown part 'fast'");
        assertThatThrownBy(() -> BenchOptions.parse("--events", "-3"))
                .hasMessageContaining("--events");
        assertThatThrownBy(() -> BenchOptions.parse("--speed", "1"))
                .hasMessageContaining("unknown option '--speed'");
        assertThatThrownBy(() -> BenchOptions.parse("--events"))
                .hasMessageContaining("needs a value");
    }

    @Test
    void everyBenchCommandInTheDocsParses() throws Exception {
        int commands = 0;
        List<Path> docs = new ArrayList<>(List.of(Path.of("..", "README.md")));
        try (Stream<Path> files = Files.list(Path.of("..", "docs"))) {
            files.filter(f -> f.toString().endsWith(".md")).forEach(docs::add);
        }
        for (Path doc : docs) {
            for (String line : Files.readAllLines(doc)) {
                if (line.startsWith("./settle bench")) {
                    String command = line.replaceAll("#.*$", "").trim();
                    String[] words = command.split("\\s+");
                    BenchOptions.parse(Arrays.copyOfRange(words, 2, words.length));
                    commands++;
                }
            }
        }
        assertThat(commands).isGreaterThanOrEqualTo(3);
        assertThat(Files.readString(Path.of("..", "docs", "performance.md")))
                .as("docs/performance.md holds the bench's markers (./settle bench --docs)")
                .contains(BenchReport.RESULTS_START)
                .contains(BenchReport.RESULTS_END)
                .contains("./settle bench --docs");
    }

    @Test
    void theDocsLinkToThePlotsFromTheirOwnFolder() {
        assertThat(Bench.linkTo(Path.of("bench/results"), Path.of("docs", "performance.md")))
                .isEqualTo("../bench/results/");
        assertThat(Bench.linkTo(Path.of("docs"), Path.of("docs", "performance.md"))).isEmpty();
        assertThat(BenchOptions.parse("--docs").docs).isTrue();
        assertThat(BenchOptions.parse().docs).isFalse();
    }

    @Test
    void helpListsEveryPart() {
        String help = BenchOptions.help();
        for (BenchOptions.Part p : BenchOptions.Part.values()) {
            assertThat(help).contains(p.key());
        }
    }
}
