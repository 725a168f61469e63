package io.settle.tools;

import io.settle.testkit.Repo;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The docs' option tables are the code's: every command's table stands in the docs, and each equals
 * what its {@code OptionSet} generates. To update them: {@code ./settle docs}.
 */
class OptionTablesTest {
    @Test
    void everyTableInTheDocsIsTheCodes() throws Exception {
        Map<String, String> tables = OptionTables.tables();
        TreeSet<String> seen = new TreeSet<>();
        for (Path doc : OptionTables.documents(Repo.root())) {
            String text = Files.readString(doc);
            assertThat(OptionTables.rewrite(text, tables))
                    .as("%s: its option tables differ from the code; run ./settle docs", doc)
                    .isEqualTo(text);
            for (String name : tables.keySet()) {
                if (text.contains(OptionTables.START + name + " -->")) {
                    seen.add(name);
                }
            }
        }
        assertThat(seen)
                .as("commands whose options table is in the docs")
                .isEqualTo(new TreeSet<>(tables.keySet()));
    }

    @Test
    void theRewriteReplacesOnlyBetweenTheMarkers() {
        String doc = "before\n<!-- options: x -->\nold\n<!-- /options -->\nafter\n";
        assertThat(OptionTables.rewrite(doc, Map.of("x", "| new |\n")))
                .isEqualTo("before\n<!-- options: x -->\n| new |\n<!-- /options -->\nafter\n");
        assertThatThrownBy(() -> OptionTables.rewrite(doc, Map.of()))
                .hasMessageContaining("no command 'x'");
    }
}
