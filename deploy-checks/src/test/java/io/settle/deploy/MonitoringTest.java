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
 * every alert is labelled and explained, and its runbook_url is its entry in docs/alerts.md, which
 * has an entry for every rule and no other; the dashboard's queries are valid PromQL on Settle's
 * series; the local run's variant of the rules is valid too.
 */
class MonitoringTest {

    @Test
    void theRulesPassPromtoolCheck() {
        Monitoring.Result r = Monitoring.promtool("check", "rules", Repo.RULES.toString());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS: " + Monitoring.alerts().size() + " rules found");
        assertThat(Monitoring.alerts()).hasSize(15);
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
    void everyAlertIsLabelledAndExplained() {
        for (JsonNode rule : Monitoring.rules()) {
            String alert = rule.path("alert").asText();
            assertThat(alert).startsWith("Settle");
            assertThat(rule.at("/labels/severity").asText()).as(alert).isIn("warning", "critical");
            assertThat(rule.at("/annotations/summary").asText()).as(alert).isNotBlank();
            assertThat(rule.at("/annotations/description").asText()).as(alert).isNotBlank();
        }
    }

    /** The runbook's headings (below its title) by their GitHub anchors. */
    static Map<String, String> runbookHeadings() {
        Map<String, String> headings = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^#{2,6} +(.+?) *#*$").matcher(Repo.read(Repo.ALERTS_DOC));
        while (m.find()) {
            headings.put(anchor(m.group(1)), m.group(1));
        }
        return headings;
    }

    /** A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces to '-'. */
    static String anchor(String heading) {
        return heading.toLowerCase(java.util.Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N}\\s_-]", "")
                .trim()
                .replace(' ', '-');
    }

    @Test
    void everyRuleHasARunbookEntryAndEveryEntryARule() {
        Map<String, String> headings = runbookHeadings();
        Set<String> alerts = new HashSet<>();
        for (JsonNode rule : Monitoring.rules()) {
            String alert = rule.path("alert").asText();
            alerts.add(alert);
            assertThat(rule.at("/annotations/runbook").isMissingNode())
                    .as("%s: the annotation is runbook_url", alert)
                    .isTrue();
            String url = rule.at("/annotations/runbook_url").asText();
            assertThat(url).as("%s: runbook_url", alert).startsWith("docs/alerts.md#");
            String anchor = url.substring("docs/alerts.md#".length());
            assertThat(headings)
                    .as("%s: docs/alerts.md has a heading whose anchor is #%s", alert, anchor)
                    .containsKey(anchor);
            assertThat(headings.get(anchor)).as("the heading of #%s", anchor).isEqualTo(alert);
        }
        assertThat(headings.values())
                .as("every heading of docs/alerts.md names an alert rule")
                .allMatch(alerts::contains)
                .doesNotHaveDuplicates();
    }

    @Test
    void theRuleUnitTestsExpectTheRunbookUrls() {
        for (JsonNode test : Repo.document(Repo.RULE_TESTS).path("tests")) {
            for (JsonNode t : test.path("alert_rule_test")) {
                for (JsonNode exp : t.path("exp_alerts")) {
                    assertThat(exp.at("/exp_annotations/runbook_url").asText())
                            .as("the expected runbook_url of %s", t.path("alertname").asText())
                            .isEqualTo("docs/alerts.md#" + anchor(t.path("alertname").asText()));
                }
            }
        }
    }

    @Test
    void anchorsAreGitHubs() {
        assertThat(anchor("SettleJobNotRunning")).isEqualTo("settlejobnotrunning");
        assertThat(anchor("Upgrading from release 0.1.0")).isEqualTo("upgrading-from-release-010");
        assertThat(anchor("The runbook, on a standalone cluster"))
                .isEqualTo("the-runbook-on-a-standalone-cluster");
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
