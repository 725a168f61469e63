package io.settle.report;

import org.apache.flink.configuration.ConfigOption;

import io.settle.jobs.SettleOptions;
import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/report.md stays true to the code: every option with its default, every JSON field. */
class ReportDocsTest {
    private static String doc() throws Exception {
        return Files.readString(Path.of("..", "docs", "report.md"));
    }

    @Test
    void everyOptionIsInTheOptionsTableWithItsDefault() throws Exception {
        String doc = doc();
        for (ConfigOption<?> o : ReportOptions.all()) {
            String row = "| `--" + o.key() + "` | ";
            assertThat(doc).contains(row);
            if (o.hasDefaultValue()) {
                assertThat(doc).contains(row + "`" + SettleOptions.defaultText(o) + "`");
            }
        }
    }

    @Test
    void everyFieldOfReportJsonIsDocumented() throws Exception {
        String doc = doc().substring(doc().indexOf("## report.json"));
        Deque<Class<?>> records = new ArrayDeque<>();
        Set<Class<?>> seen = new HashSet<>();
        records.add(Report.class);
        while (!records.isEmpty()) {
            Class<?> type = records.pop();
            if (!seen.add(type)) {
                continue;
            }
            for (RecordComponent c : type.getRecordComponents()) {
                assertThat(doc)
                        .as("field %s of %s", c.getName(), type.getSimpleName())
                        .containsPattern("[`.]" + c.getName() + "[`\\[.]");
                String typeName = c.getGenericType().getTypeName();
                for (Class<?> nested : Report.class.getDeclaredClasses()) {
                    if (nested.isRecord()
                            && (typeName.contains(nested.getName())
                                    || typeName.contains(nested.getCanonicalName()))) {
                        records.add(nested);
                    }
                }
            }
        }
        assertThat(seen).hasSizeGreaterThan(10);
        for (String key :
                new String[] {
                    "onTime",
                    "deadlineMissed",
                    "judged",
                    "slack",
                    "settled",
                    "deadLetters",
                    "explained",
                    "unexplained"
                }) {
            assertThat(doc).contains("`" + key + "`");
        }
        for (String state : OpenItem.STATES) {
            assertThat(doc).contains("`" + state + "`");
        }
    }
}
