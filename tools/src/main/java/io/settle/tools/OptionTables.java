package io.settle.tools;

import org.apache.flink.configuration.ConfigOption;

import io.settle.cli.OptionSet;
import io.settle.generator.GenerateCommand;
import io.settle.jobs.SettleOptions;
import io.settle.report.ReportOptions;
import io.settle.tools.bench.BenchOptions;
import io.settle.tools.inspect.SavepointInspector;
import io.settle.tools.local.LocalOptions;
import io.settle.tools.migrate.Migrate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The option tables of the docs, generated from the commands' {@link OptionSet}s: in a Markdown
 * file, {@code <!-- options: COMMAND -->} and {@code <!-- /options -->} enclose the table of that
 * command, which {@code ./settle docs} rewrites and {@code OptionTablesTest} keeps equal to the
 * code.
 */
public final class OptionTables {
    private OptionTables() {}

    static final String START = "<!-- options: ";
    static final String END = "<!-- /options -->";

    /** The table of each command, by the name its marker uses. */
    public static Map<String, String> tables() {
        Map<String, String> tables = new LinkedHashMap<>();
        tables.put("settle-job", SettleOptions.SET.markdownTable());
        tables.put("settle report", ReportOptions.SET.markdownTable());
        tables.put("settle generate", GenerateCommand.OPTIONS.markdownTable());
        tables.put("settle local", ownTable(LocalOptions.LOCAL));
        tables.put("settle replay", ownTable(LocalOptions.REPLAY));
        tables.put("settle bench", BenchOptions.OPTIONS.markdownTable());
        tables.put("settle inspect", SavepointInspector.OPTIONS.markdownTable());
        tables.put("settle migrate", Migrate.OPTIONS.markdownTable());
        return tables;
    }

    /** A tool's own options, without the job's that it hands on (the job's table lists those). */
    private static String ownTable(OptionSet set) {
        List<ConfigOption<?>> own = new ArrayList<>();
        for (ConfigOption<?> o : set.options()) {
            if (!SettleOptions.SET.contains(o)) {
                own.add(o);
            }
        }
        return OptionSet.command(set.command()).options(own).build().markdownTable()
                + "| any option of the job |  | handed on to the job (see the job's options) |\n";
    }

    /** {@code text} with every marked table replaced by the code's; unknown markers fail. */
    static String rewrite(String text, Map<String, String> tables) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        int start;
        while ((start = text.indexOf(START, at)) >= 0) {
            int nameEnd = text.indexOf("-->", start);
            String name = text.substring(start + START.length(), nameEnd).trim();
            String table = tables.get(name);
            if (table == null) {
                throw new IllegalArgumentException("no command '" + name + "' has options");
            }
            int end = text.indexOf(END, nameEnd);
            if (end < 0) {
                throw new IllegalArgumentException("the table of '" + name + "' is not closed");
            }
            out.append(text, at, nameEnd + 3).append('\n').append(table);
            at = end;
        }
        return out.append(text.substring(at)).toString();
    }

    /** The Markdown files that may hold tables: README.md and docs/*.md. */
    static List<Path> documents(Path root) throws IOException {
        List<Path> docs = new ArrayList<>(List.of(root.resolve("README.md")));
        try (Stream<Path> files = Files.list(root.resolve("docs"))) {
            files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs;
    }

    /** {@code ./settle docs}: rewrites every marked table; prints the files it changed. */
    public static void main(String[] args) throws IOException {
        Path root = Path.of(System.getProperty("settle.root", "."));
        Map<String, String> tables = tables();
        for (Path doc : documents(root)) {
            String text = Files.readString(doc);
            String rewritten = rewrite(text, tables);
            if (!rewritten.equals(text)) {
                Files.writeString(doc, rewritten);
                System.out.println(
                        "settle docs: rewrote the option tables of " + root.relativize(doc));
            }
        }
    }
}
