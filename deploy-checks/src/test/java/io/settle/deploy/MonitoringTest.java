package io.settle.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.settle.tools.local.LocalPrometheus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alert rules pass {@code promtool check rules} and their {@code promtool test rules} unit
 * tests, which cover every alert both firing and quiet; the PrometheusRule holds the same groups;
 * every alert is labelled, explained and documented in the README; the dashboard's queries are
 * valid PromQL on Settle's series; the local run's variant of the rules is valid too.
 */
class MonitoringTest {

    @Test
    void theRulesPassPromtoolCheck() {
        Monitoring.Result r = Monitoring.promtool("check", "rules", Repo.RULES.toString());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS: " + Monitoring.alerts().size() + " rules found");
        assertThat(Monitoring.alerts()).hasSize(12);
    }

    @Test
    void theRulesPassTheirPromtoolUnitTests() {
        Monitoring.Result r = Monitoring.promtool("test", "rules", Repo.RULE_TESTS.toString());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS");
    }

    @Test
    void promtoolFailsABrokenRule(@TempDir Path dir) throws Exception {
        // The check is real: a rule with a misspelt function does not pass.
        Path broken = dir.resolve("broken.rules.yml");
        Files.writeString(broken, Repo.read(Repo.RULES).replace("increase(", "increse("));
        Monitoring.Result r = Monitoring.promtool("check", "rules", broken.toString());
        assertThat(r.exit()).isNotZero();
        assertThat(r.output()).contains("increse");
    }

    @Test
    void everyAlertIsUnitTestedFiringAndQuiet() {
        Set<String> firing = new HashSet<>();
        Set<String> quiet = new HashSet<>();
        for (JsonNode test : Repo.document(Repo.RULE_TESTS).path("tests")) {
            for (JsonNode t : test.path("alert_rule_test")) {
                (t.path("exp_alerts").isEmpty() ? quiet : firing).add(t.path("alertname").asText());
            }
        }
        assertThat(firing).containsExactlyInAnyOrderElementsOf(Monitoring.alerts().keySet());
        assertThat(quiet).containsExactlyInAnyOrderElementsOf(Monitoring.alerts().keySet());
    }

    @Test
    void thePrometheusRuleHoldsTheSameGroupsAsTheRulesFile() {
        JsonNode rule = Repo.document(Repo.MONITORING.resolve("prometheusrule.yaml"));
        assertThat(rule.path("kind").asText()).isEqualTo("PrometheusRule");
        assertThat(rule.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(rule.at("/spec/groups")).isEqualTo(Repo.document(Repo.RULES).path("groups"));
    }

    @Test
    void everyAlertIsLabelledExplainedAndDocumented() {
        String readme = Repo.read(Repo.README);
        for (JsonNode rule : Monitoring.rules()) {
            String alert = rule.path("alert").asText();
            assertThat(alert).startsWith("Settle");
            assertThat(rule.at("/labels/severity").asText()).as(alert).isIn("warning", "critical");
            assertThat(rule.at("/annotations/summary").asText()).as(alert).isNotBlank();
            assertThat(rule.at("/annotations/description").asText()).as(alert).isNotBlank();
            assertThat(rule.at("/annotations/runbook").asText())
                    .isEqualTo("README.md#" + alert.toLowerCase(java.util.Locale.ROOT));
            assertThat(readme)
                    .as("README heading for %s (its runbook anchor)", alert)
                    .containsPattern("(?m)^#{3,5} " + alert + "$");
        }
    }

    /**
     * Each selector of a flink_ metric with the text of its label matchers; not inside a string (a
     * label_replace pattern starts with a quote).
     */
    private static final Pattern SELECTOR =
            Pattern.compile("(?<![\"A-Za-z0-9_:])(flink_[A-Za-z0-9_:]+)(\\{[^}]*\\})?");

    @Test
    void everyRuleSelectsSettlesSeriesOnly() {
        Monitoring.alerts()
                .forEach(
                        (alert, expr) -> {
                            assertThat(PromQl.names(expr).isEmpty()).as(alert).isFalse();
                            assertThat(PromQl.otherIdentifiers(expr)).as(alert).isEmpty();
                            assertSelectorsScoped(alert, expr, "app=\"settle\"");
                        });
    }

    private static void assertSelectorsScoped(String what, String expr, String... matchers) {
        Matcher m = SELECTOR.matcher(expr);
        int selectors = 0;
        while (m.find()) {
            selectors++;
            for (String matcher : matchers) {
                assertThat(m.group(2))
                        .as("%s: %s must select %s", what, m.group(1), matcher)
                        .isNotNull()
                        .contains(matcher);
            }
        }
        Matcher byName = Pattern.compile("\\{__name__=~\"[^\"]*\"([^}]*)\\}").matcher(expr);
        while (byName.find()) {
            selectors++;
            for (String matcher : matchers) {
                assertThat(byName.group(1))
                        .as("%s: a __name__ selector must select %s", what, matcher)
                        .contains(matcher);
            }
        }
        assertThat(selectors).as(what).isPositive();
    }

    @Test
    void theDashboardQueriesAreValidPromQlOnSettlesSeries(@TempDir Path dir) throws Exception {
        JsonNode dashboard = Monitoring.dashboard();
        assertThat(dashboard.path("uid").asText()).isEqualTo("settle");
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertThat(ids.add(panel.path("id").asInt())).as("unique panel id").isTrue();
            if (!panel.path("type").asText().equals("row")) {
                assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
                assertThat(panel.at("/datasource/uid").asText()).isEqualTo("${datasource}");
            }
        }
        Map<String, String> queries = Monitoring.dashboardQueries();
        assertThat(queries).hasSizeGreaterThan(20);
        queries.forEach(
                (title, expr) -> {
                    assertThat(PromQl.otherIdentifiers(expr)).as(title).isEmpty();
                    assertSelectorsScoped(
                            title, expr, "app=\"settle\"", "namespace=~\"$namespace\"");
                });
        // promtool has no expression check of its own: the queries go in as recording rules.
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        int i = 0;
        Map<String, String> all = new LinkedHashMap<>(queries);
        for (Map.Entry<String, String> q : all.entrySet()) {
            rules.append("      - record: dashboard:query_")
                    .append(i++)
                    .append("\n        expr: ")
                    .append(Repo.JSON.writeValueAsString(Monitoring.promql(q.getValue())))
                    .append('\n');
        }
        Path file = dir.resolve("dashboard.rules.yml");
        Files.writeString(file, rules);
        Monitoring.Result r = Monitoring.promtool("check", "rules", file.toString());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS: " + all.size() + " rules found");
    }

    @Test
    void theLocalRunsRulesAndConfigAreValid(@TempDir Path dir) throws Exception {
        String local = LocalPrometheus.localRules(Repo.read(Repo.RULES));
        Path rules = dir.resolve("settle.rules.yml");
        Files.writeString(rules, local);
        List<String> fors =
                Pattern.compile("(?m)^\\s+for:\\s*(\\S+)$")
                        .matcher(local)
                        .results()
                        .map(m -> m.group(1))
                        .toList();
        assertThat(fors).isNotEmpty().allMatch(f -> f.equals(LocalPrometheus.LOCAL_FOR));
        // Only the waiting changes: same alerts, same expressions, same thresholds.
        JsonNode original = Repo.document(Repo.RULES);
        JsonNode shortened = Repo.documents(local).get(0);
        assertThat(shortened.toString().replaceAll("\"for\":\"[^\"]*\",?", ""))
                .isEqualTo(original.toString().replaceAll("\"for\":\"[^\"]*\",?", ""));

        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, LocalPrometheus.config(9249, rules));
        Monitoring.Result r = Monitoring.promtool("check", "config", config.toString());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS: 1 rule files found");
    }
}
