package io.settle.report;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import io.settle.cli.BadOptionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.settle.report.ReportFixture.expected;
import static io.settle.report.ReportFixture.leaves;
import static io.settle.report.ReportFixture.t;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The report job on a MiniCluster over a hand-written replay folder ({@link ReportFixture}): every
 * figure of report.json equals the fixture's known answer, for the whole folder, a period and other
 * targets; an empty folder and one with only dead letters give sensible reports; each page renders
 * in a real browser without a script error or a broken image, and sorts its tables.
 */
class ReportITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    /** Prose and provenance: not figures. */
    static final Set<String> NOT_FIGURES = Set.of("generatedAt", "source", "title", "summary");

    static final Instant NOW = Instant.parse("2026-11-26T00:00:00Z");

    static final Path SCREENSHOTS = Path.of("target", "report-screenshots");

    /** Runs the report as {@code ./settle report --out OUT ARGS} does; returns report.json. */
    static JsonNode report(Path out, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--out", out.toString(), "--parallelism", "2"));
        all.addAll(List.of(args));
        ReportOptions.Parsed options = ReportOptions.parse(all.toArray(new String[0]), Map.of());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        ReportJob.write(ReportJob.report(env, options, NOW), out);
        return ReportFixture.read(out.resolve(ReportJob.REPORT_JSON));
    }

    @Test
    void everyFigureOfTheWholeFolderIsTheKnownAnswer(@TempDir Path dir) throws Exception {
        Path replay = ReportFixture.writeReplayFolder(dir.resolve("out"));
        JsonNode json = report(dir.resolve("report"), "--replay", replay.toString());

        assertThat(leaves(json, NOT_FIGURES))
                .containsExactlyEntriesOf(
                        leaves(expected(ReportFixture.replay(null, null)), NOT_FIGURES));

        // The headline, by hand: 4 of 8 due on time (S5, S7, S8 and O3 missed), latencies of
        // 5, 10, 20, 45 and 150 minutes, 6 dead letters that are not conflicting duplicates.
        assertThat(json.at("/source/mode").asText()).isEqualTo("replay");
        assertThat(json.at("/totals/results").asLong()).isEqualTo(8);
        assertThat(json.at("/totals/settledOnTime").asLong()).isEqualTo(4);
        assertThat(json.at("/totals/settledLate").asLong()).isEqualTo(1);
        assertThat(json.at("/totals/cancelled").asLong()).isEqualTo(2);
        assertThat(json.at("/totals/expired").asLong()).isEqualTo(1);
        assertThat(json.at("/totals/breached").asLong()).isEqualTo(3);
        assertThat(json.at("/totals/booked").asLong()).isEqualTo(11);
        assertThat(json.at("/totals/alerts").asLong()).isEqualTo(13);
        assertThat(json.at("/totals/duplicateRecords").asLong()).isEqualTo(2);
        assertThat(json.at("/totals/unreadableRecords").asLong()).isEqualTo(1);
        JsonNode share = json.at("/slas/0");
        assertThat(share.get("verdict").asText()).isEqualTo("MISSED");
        assertThat(share.get("actual").decimalValue()).isEqualByComparingTo("50");
        assertThat(share.get("margin").decimalValue()).isEqualByComparingTo("-49.5");
        assertThat(share.at("/counts/slack").asLong()).isEqualTo(-4);
        assertThat(share.get("summary").asText())
                .contains("50.000% of 8 settlements", "4 more settled on time would have met it");
        JsonNode p99 = json.at("/slas/1");
        assertThat(p99.get("verdict").asText()).isEqualTo("MISSED");
        assertThat(p99.get("actual").asLong()).isEqualTo(Duration.ofMinutes(150).toMillis());
        assertThat(p99.get("margin").asLong()).isEqualTo(-Duration.ofMinutes(30).toMillis());
        assertThat(json.at("/latency/p50Ms").asLong()).isEqualTo(Duration.ofMinutes(20).toMillis());
        JsonNode dead = json.at("/slas/2");
        assertThat(dead.get("verdict").asText()).isEqualTo("MISSED");
        assertThat(dead.get("actual").asLong()).isEqualTo(6);
        assertThat(json.at("/openAtEnd/byState/DEADLINE_MISSED").asLong()).isEqualTo(1);
        assertThat(json.at("/openAtEnd/items/0/settlementId").asText()).isEqualTo("O3");
        assertThat(json.at("/alerts/byParty/0/name").asText()).isEqualTo("(unknown)");
        assertThat(json.at("/hours/0/hour").asText()).isEqualTo("2026-11-25T07:00:00Z");

        Path html = dir.resolve("report").resolve(ReportJob.REPORT_HTML);
        String dom = checkInBrowser(html, dir, "fixture-whole-folder");
        // The settlement id that is an <img> tag is text on the page, not an image.
        assertThat(dom).contains("X-&lt;img src=nowhere.png&gt;");
        assertThat(dom).contains("\u2717 Missed").contains("50.000%");
    }

    @Test
    void tablesSortInTheBrowser(@TempDir Path dir) throws Exception {
        Path replay = ReportFixture.writeReplayFolder(dir.resolve("out"));
        report(dir.resolve("report"), "--replay", replay.toString());
        Path html = dir.resolve("report").resolve(ReportJob.REPORT_HTML);
        Chromium chromium = Chromium.require(dir);

        // As written: by party name, "(unknown)" first. By "Ended", most first: BANK_A (5).
        assertThat(firstCell(chromium.dumpDom(html, null), "parties")).isEqualTo("(unknown)");
        String sorted = chromium.dumpDom(html, "#sort=parties:1:desc");
        assertThat(sorted).contains("data-report-status=\"ok\"");
        assertThat(firstCell(sorted, "parties")).isEqualTo("BANK_A");
        assertThat(sorted).containsPattern("<th[^>]*aria-sort=\"descending\"[^>]*>Ended</th>");
    }

    @Test
    void aPeriodCountsWhatEndedAndWasRaisedInIt(@TempDir Path dir) throws Exception {
        Path replay = ReportFixture.writeReplayFolder(dir.resolve("out"));
        JsonNode json =
                report(
                        dir.resolve("report"),
                        "--replay",
                        replay.toString(),
                        "--from",
                        "2026-11-25T07:00:00Z",
                        "--to",
                        "2026-11-25T09:00:00Z");

        assertThat(leaves(json, NOT_FIGURES))
                .containsExactlyEntriesOf(
                        leaves(
                                expected(ReportFixture.replay(t("07:00"), t("09:00"))),
                                NOT_FIGURES));
        // By hand: S1-S4 settled on time and S6 cancelled before 09:00; the deadlines missed at
        // 09:00 belong to the next period; latencies 5, 10, 20, 45 minutes.
        assertThat(json.at("/totals/results").asLong()).isEqualTo(5);
        assertThat(json.at("/slas/0/verdict").asText()).isEqualTo("MET");
        assertThat(json.at("/slas/0/actual").decimalValue()).isEqualByComparingTo("100");
        assertThat(json.at("/slas/1/verdict").asText()).isEqualTo("MET");
        assertThat(json.at("/slas/1/actual").asLong()).isEqualTo(Duration.ofMinutes(45).toMillis());
        assertThat(json.at("/hours").size()).isEqualTo(2);
        assertThat(json.at("/input/0/outsidePeriod").asLong()).isEqualTo(3);
    }

    @Test
    void targetsComeFromTheOptions(@TempDir Path dir) throws Exception {
        Path replay = ReportFixture.writeReplayFolder(dir.resolve("out"));
        JsonNode json =
                report(
                        dir.resolve("report"),
                        "--replay",
                        replay.toString(),
                        "--sla.on-time-target",
                        "50%",
                        "--sla.settlement-window",
                        "150 min",
                        "--explained-reasons",
                        "malformed_json, INVALID_FIELD,MISSING_FIELD,CONFLICTING_DUPLICATE");

        ReportFixture.Case c =
                new ReportFixture.Case(
                        null,
                        null,
                        false,
                        new java.math.BigDecimal("50"),
                        Duration.ofMinutes(150),
                        Set.of(
                                "MALFORMED_JSON",
                                "INVALID_FIELD",
                                "MISSING_FIELD",
                                "CONFLICTING_DUPLICATE"),
                        x -> true);
        assertThat(leaves(json, NOT_FIGURES))
                .containsExactlyEntriesOf(leaves(expected(c), NOT_FIGURES));
        // Exactly on the targets: 50% and a p99 of 150 minutes meet them, with nothing to spare.
        for (int i = 0; i < 3; i++) {
            assertThat(json.at("/slas/" + i + "/verdict").asText()).isEqualTo("MET");
            assertThat(json.at("/slas/" + i + "/margin").decimalValue()).isEqualByComparingTo("0");
        }
        assertThat(json.at("/slas/0/counts/slack").asLong()).isZero();
    }

    @Test
    void anEmptyFolderGivesAnEmptyReport(@TempDir Path dir) throws Exception {
        Path replay = ReportFixture.markComplete(dir.resolve("out")); // a replay of nothing
        JsonNode json = report(dir.resolve("report"), "--replay", replay.toString());

        assertThat(json.at("/period/from").isNull()).isTrue();
        assertThat(json.at("/period/to").isNull()).isTrue();
        assertThat(json.at("/hours").size()).isZero();
        assertThat(json.at("/slas/0/verdict").asText()).isEqualTo("NO_DATA");
        assertThat(json.at("/slas/0/actual").isNull()).isTrue();
        assertThat(json.at("/slas/1/verdict").asText()).isEqualTo("NO_DATA");
        assertThat(json.at("/slas/2/verdict").asText()).isEqualTo("MET");
        assertThat(json.at("/latency/count").asLong()).isZero();
        assertThat(json.at("/latency/p99Ms").isNull()).isTrue();
        json.at("/totals").forEach(v -> assertThat(v.asLong()).isZero());
        assertThat(json.at("/openAtEnd/items").size()).isZero();

        String dom =
                checkInBrowser(dir.resolve("report").resolve(ReportJob.REPORT_HTML), dir, "empty");
        assertThat(dom).contains("Nothing happened in the period.").contains("No data");
    }

    @Test
    void aPeriodBeforeAnythingEndedHasNoVerdictOnSettlements(@TempDir Path dir) throws Exception {
        Path replay = ReportFixture.writeReplayFolder(dir.resolve("out"));
        JsonNode json =
                report(
                        dir.resolve("report"),
                        "--replay",
                        replay.toString(),
                        "--from",
                        "2026-11-25T05:00:00Z",
                        "--to",
                        "2026-11-25T06:30:00Z");
        assertThat(leaves(json, NOT_FIGURES))
                .containsExactlyEntriesOf(
                        leaves(
                                expected(ReportFixture.replay(t("05:00"), t("06:30"))),
                                NOT_FIGURES));
        assertThat(json.at("/totals/results").asLong()).isZero();
        assertThat(json.at("/slas/0/verdict").asText()).isEqualTo("NO_DATA");
        assertThat(json.at("/hours").size()).isEqualTo(2); // 05:00 and 06:00, both empty
        checkInBrowser(
                dir.resolve("report").resolve(ReportJob.REPORT_HTML), dir, "before-anything");
    }

    @Test
    void onlyDeadLettersGiveAReportOfDeadLetters(@TempDir Path dir) throws Exception {
        Path replay = ReportFixture.markComplete(dir.resolve("out"));
        Path dlq = Files.createDirectories(replay.resolve("dlq"));
        Files.write(
                dlq.resolve("part-0.jsonl"),
                ReportFixture.DEAD_LETTERS.stream().map(ReportFixture.DeadLetter::json).toList());
        JsonNode json = report(dir.resolve("report"), "--replay", replay.toString());

        assertThat(json.at("/totals/deadLetters").asLong()).isEqualTo(7);
        assertThat(json.at("/totals/unexplainedDeadLetters").asLong()).isEqualTo(6);
        assertThat(json.at("/deadLetters/byReason/0/reason").asText()).isEqualTo("MALFORMED_JSON");
        assertThat(json.at("/deadLetters/byReason/0/count").asLong()).isEqualTo(3);
        assertThat(json.at("/slas/0/verdict").asText()).isEqualTo("NO_DATA");
        assertThat(json.at("/slas/1/verdict").asText()).isEqualTo("NO_DATA");
        assertThat(json.at("/slas/2/verdict").asText()).isEqualTo("MISSED");
        assertThat(json.at("/slas/2/summary").asText())
                .isEqualTo(
                        "6 dead letters are unexplained (MALFORMED_JSON 3, MISSING_FIELD 1, INVALID_FIELD 2); the target is none.");
        assertThat(json.at("/period/from").isNull()).isTrue();
        assertThat(json.at("/totals/results").asLong()).isZero();

        String dom =
                checkInBrowser(
                        dir.resolve("report").resolve(ReportJob.REPORT_HTML),
                        dir,
                        "dead-letters-only");
        assertThat(dom)
                .contains("id=\"chart-dead-letters\"")
                .doesNotContain("id=\"chart-volumes\"");
    }

    @Test
    void aFolderThatIsNotAReplaysOutputFailsNamingTheOption(@TempDir Path dir) throws Exception {
        Path notReplay = Files.createDirectories(dir.resolve("elsewhere"));
        Files.writeString(notReplay.resolve("notes.txt"), "hello");
        assertThatThrownBy(() -> report(dir.resolve("report"), "--replay", notReplay.toString()))
                .isInstanceOf(BadOptionException.class)
                .hasMessageContaining("'--replay'")
                .hasMessageContaining("not a replay's output");
        assertThatThrownBy(
                        () ->
                                report(
                                        dir.resolve("report"),
                                        "--replay",
                                        dir.resolve("missing").toString()))
                .isInstanceOf(BadOptionException.class)
                .hasMessageContaining("'--replay'");
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        assertThatThrownBy(() -> report(file, "--replay", notReplay.toString()))
                .isInstanceOf(BadOptionException.class)
                .hasMessageContaining("'--out'");
    }

    // ---------------------------------------------------------------------------------------

    /**
     * Loads the page in chromium: its own check passed (no script error, no broken image, every
     * chart drawn), nothing comes from the network, and a screenshot is taken. Returns the DOM.
     */
    static String checkInBrowser(Path html, Path work, String name) throws Exception {
        String page = Files.readString(html);
        assertThat(page.replace("http://www.w3.org/2000/svg", ""))
                .as("a self-contained page")
                .doesNotContain("http:")
                .doesNotContain("https:")
                .doesNotContain("<link")
                .doesNotContain("<img")
                .doesNotContain(" src=\"");
        Chromium chromium = Chromium.require(work);
        String dom = chromium.dumpDom(html, null);
        assertThat(dom).contains("data-report-status=\"ok\"");
        assertThat(dom).contains("<div id=\"report-errors\" role=\"alert\" hidden=\"\"></div>");
        assertThat(dom).doesNotContain("<img");
        assertThat(dom).contains("<th scope=\"col\" data-type=\"num\" aria-sort=\"none\"");
        chromium.screenshot(html, SCREENSHOTS.resolve(name + ".png"), 1280, 2400);
        return dom;
    }

    private static String firstCell(String dom, String tableId) {
        Matcher m =
                Pattern.compile(
                                "<table class=\"sortable\" id=\""
                                        + tableId
                                        + "\">.*?<tbody><tr><td data-sort=\"([^\"]*)\"",
                                Pattern.DOTALL)
                        .matcher(dom);
        assertThat(m.find()).as("table %s in the page", tableId).isTrue();
        return m.group(1);
    }
}
