package io.settle.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The alert rules, the dashboard's queries, and promtool. */
final class Monitoring {
    private Monitoring() {}

    /** Alert name to expression, in file order. */
    static Map<String, String> alerts() {
        Map<String, String> alerts = new LinkedHashMap<>();
        for (JsonNode rule : rules()) {
            alerts.put(rule.path("alert").asText(), rule.path("expr").asText());
        }
        return alerts;
    }

    static List<JsonNode> rules() {
        List<JsonNode> rules = new ArrayList<>();
        for (JsonNode group : Repo.document(Repo.RULES).path("groups")) {
            group.path("rules").forEach(rules::add);
        }
        return rules;
    }

    static JsonNode dashboard() {
        try {
            return Repo.JSON.readTree(Repo.DASHBOARD.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Panel title and target to the target's expression, as Grafana holds it. */
    static Map<String, String> dashboardQueries() {
        Map<String, String> queries = new LinkedHashMap<>();
        for (JsonNode panel : dashboard().path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queries.put(
                        panel.path("title").asText() + " / " + target.path("refId").asText(),
                        target.path("expr").asText());
            }
        }
        return queries;
    }

    /** The template variables' queries (label_values(...) reads a metric too). */
    static Map<String, String> templateQueries() {
        Map<String, String> queries = new LinkedHashMap<>();
        for (JsonNode v : dashboard().path("templating").path("list")) {
            if (v.path("type").asText().equals("query")) {
                queries.put("variable " + v.path("name").asText(), v.path("definition").asText());
            }
        }
        return queries;
    }

    /** A dashboard query as PromQL: Grafana's variables replaced by what they stand for. */
    static String promql(String grafana) {
        return grafana.replace("$__rate_interval", "1m")
                .replace("$__interval", "1m")
                .replace("$namespace", ".+");
    }

    /** promtool: CI installs Debian's prometheus package, which ships it. */
    static String promtool() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "promtool"))) {
                return Path.of(dir, "promtool").toString();
            }
        }
        throw new AssertionError(
                "promtool is not on the PATH: install Debian's prometheus package"
                        + " (apt-get install prometheus), as .ci/run does");
    }

    record Result(int exit, String output) {}

    static Result promtool(String... args) {
        List<String> command = new ArrayList<>();
        command.add(promtool());
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("promtool " + String.join(" ", args) + " hangs");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
