package io.settle.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchReportTest {

    @Test
    void everyHeadlineKeyIsWrittenNullUntilMeasured(@TempDir Path dir) throws Exception {
        BenchReport report = new BenchReport();
        report.headline("replay_events_per_s", 123_456.7);
        report.headline("latency_p99_ms", Double.NaN);
        report.put("machine", Map.of("cores", 2));
        report.put("settings", Map.of("mode", "quick"));
        report.part("replay").put("wall_s", 12.5);
        report.write(dir);

        JsonNode json = new ObjectMapper().readTree(dir.resolve("latest.json").toFile());
        for (String key : BenchReport.HEADLINES) {
            assertThat(json.has(key)).as(key).isTrue();
        }
        assertThat(json.get("replay_events_per_s").asLong()).isEqualTo(123_457);
        assertThat(json.get("latency_p99_ms").isNull()).isTrue();
        assertThat(json.get("sql_peer_events_per_s").isNull()).isTrue();
        assertThat(json.get("machine").get("cores").asInt()).isEqualTo(2);
        assertThat(json.get("parts").get("replay").get("wall_s").asDouble()).isEqualTo(12.5);
        assertThat(Files.readString(dir.resolve("latest.md"))).contains("quick mode");
    }

    @Test
    void unknownHeadlineKeysAreRefused() {
        assertThatThrownBy(() -> new BenchReport().headline("replay_eps", 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tableAndMarkdownCarryTheRows() {
        BenchReport report = new BenchReport();
        report.put("contended", true);
        report.row("replay", "Settle, full job", "100,000/s", "steady 10-90% | wall");
        assertThat(report.table()).contains("Settle, full job").contains("100,000/s");
        assertThat(report.markdown())
                .contains("| replay | Settle, full job | 100,000/s | steady 10-90% \\| wall |")
                .contains("not a figure to quote");
    }

    @Test
    void readmeMarkersAreReplacedAndNothingElse() {
        String readme =
                "# T\n\nbefore\n"
                        + BenchReport.RESULTS_START
                        + "\nold table\n"
                        + BenchReport.RESULTS_END
                        + "\nafter\n";
        String updated = BenchReport.replaceBetweenMarkers(readme, "new table\n");
        assertThat(updated)
                .contains("before\n" + BenchReport.RESULTS_START + "\nnew table\n")
                .contains(BenchReport.RESULTS_END + "\nafter")
                .doesNotContain("old table");
        assertThat(BenchReport.replaceBetweenMarkers("no markers", "x")).isEqualTo("no markers");
    }

    @Test
    void numbersAreRoundedForPeople() {
        assertThat(BenchReport.number(123_456.7)).isEqualTo("123,457");
        assertThat(BenchReport.number(1.234)).isEqualTo("1.23");
        assertThat(BenchReport.number(Double.NaN)).isEqualTo("-");
    }
}
