package io.settle.jobs;

import org.apache.flink.configuration.ConfigOption;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's options and metrics tables stay true to the code. */
class ReadmeTest {
    private static String readme() throws Exception {
        return Files.readString(Path.of("..", "README.md"));
    }

    @Test
    void everyOptionIsInTheOptionsTableWithItsDefault() throws Exception {
        String readme = readme();
        for (ConfigOption<?> o : SettleOptions.all()) {
            String row = "| `--" + o.key() + "` | ";
            assertThat(readme).contains(row);
            if (o.hasDefaultValue()) {
                assertThat(readme).contains(row + "`" + SettleOptions.defaultText(o) + "`");
            }
        }
    }

    @Test
    void everyMetricTheCodeRegistersIsInTheMetricsTable() throws Exception {
        String readme = readme();
        Pattern registered =
                Pattern.compile("\\.(?:counter|gauge|histogram)\\(\\s*\"([A-Za-z]+)\"\\s*[,)]");
        for (Path source :
                List.of(
                        Path.of("src/main/java/io/settle/jobs/RouteDecoded.java"),
                        Path.of(
                                "../operators/src/main/java/io/settle/operators/flink/DeduplicateFunction.java"),
                        Path.of(
                                "../operators/src/main/java/io/settle/operators/flink/SettleFunction.java"),
                        Path.of(
                                "../operators/src/main/java/io/settle/operators/flink/SettleMetrics.java"))) {
            Matcher m = registered.matcher(Files.readString(source));
            while (m.find()) {
                assertThat(readme)
                        .as("metric %s of %s", m.group(1), source)
                        .contains("`" + m.group(1) + "`");
            }
        }
        assertThat(readme)
                .contains("`alerts_<TYPE>`")
                .contains("`deadLetters_<REASON>`")
                .contains("`settlementsSettled`, `settlementsCancelled`, `settlementsExpired`");
    }
}
