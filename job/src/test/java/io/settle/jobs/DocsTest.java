package io.settle.jobs;

import org.apache.flink.configuration.ConfigOption;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/operations.md stays true to the code: the job's options table with every default, the
 * metrics table with every metric the job registers, and a runbook block of commands that CI runs.
 */
class DocsTest {
    private static String operations() throws Exception {
        return Files.readString(Path.of("..", "docs", "operations.md"));
    }

    @Test
    void everyOptionIsInTheOptionsTableWithItsDefault() throws Exception {
        String doc = operations();
        for (ConfigOption<?> o : SettleOptions.all()) {
            String row = "| `--" + o.key() + "` | ";
            assertThat(doc).contains(row);
            if (o.hasDefaultValue()) {
                assertThat(doc).contains(row + "`" + SettleOptions.defaultText(o) + "`");
            }
        }
    }

    @Test
    void everyMetricTheCodeRegistersIsInTheMetricsTable() throws Exception {
        String doc = operations();
        Pattern registered =
                Pattern.compile("\\.(?:counter|gauge|histogram)\\(\\s*\"([A-Za-z]+)\"\\s*[,)]");
        for (Path source :
                List.of(
                        Path.of("src/main/java/io/settle/jobs/RouteDecoded.java"),
                        Path.of(
                                "../operators/src/main/java/io/settle/operators/flink/SettleOperator.java"),
                        Path.of(
                                "../operators/src/main/java/io/settle/operators/flink/SettleMetrics.java"))) {
            Matcher m = registered.matcher(Files.readString(source));
            while (m.find()) {
                assertThat(doc)
                        .as("metric %s of %s", m.group(1), source)
                        .contains("`" + m.group(1) + "`");
            }
        }
        assertThat(doc)
                .contains("`alerts` {`type`}")
                .contains("`deadLetters` {`reason`}")
                .contains("`settlementsEnded` {`status`}");
    }

    @Test
    void everyRunbookCommandIsOneTheDrillOrCiRuns() throws Exception {
        String doc = operations();
        int section = doc.indexOf("\n## The runbook, on a standalone cluster\n");
        assertThat(section).as("docs/operations.md has the runbook's section").isPositive();
        int start = doc.indexOf("```bash\n", section) + "```bash\n".length();
        String block = doc.substring(start, doc.indexOf("```", start));
        String drill =
                Files.readString(Path.of("..", "drill", "run"))
                        + Files.readString(Path.of("..", "drill", "soak"));
        String ci = Files.readString(Path.of("..", "settle"));
        int commands = 0;
        for (String line : block.split("\n")) {
            String[] words = line.trim().split("\\s+");
            if (words[0].isEmpty()) {
                continue;
            }
            commands++;
            if (words[0].equals("./settle")) {
                String call = "settle\" " + words[1];
                assertThat(words[1].equals("drill") ? ci : drill)
                        .as(
                                "'%s' is run by %s",
                                line,
                                words[1].equals("drill") ? "./settle test" : "drill/run or soak")
                        .contains(words[1].equals("drill") ? "\"$ROOT/settle\" drill" : call);
            } else {
                Path script = Path.of("..", words[0]);
                assertThat(Files.isExecutable(script))
                        .as("%s is an executable script", script)
                        .isTrue();
                assertThat(drill)
                        .as("drill/run or drill/soak calls %s", words[0])
                        .contains("$ROOT/" + words[0]);
            }
        }
        assertThat(commands).isGreaterThanOrEqualTo(12);
    }
}
