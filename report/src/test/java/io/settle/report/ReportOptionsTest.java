package io.settle.report;

import io.settle.cli.BadOptionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The report's options: defaults, and a bad command line fails fast naming the option. */
class ReportOptionsTest {
    private static ReportOptions.Parsed parse(String... args) {
        return ReportOptions.parse(args, Map.of());
    }

    @Test
    void defaultsAreTheSlaTargets() {
        ReportOptions.Parsed p = parse("--out", "r", "--replay", "out");
        p.validate();
        assertThat(p.onTimeTarget()).isEqualByComparingTo("99.5");
        assertThat(p.get(ReportOptions.SETTLEMENT_WINDOW)).isEqualTo(Duration.ofHours(2));
        assertThat(p.explainedReasons()).containsExactly("CONFLICTING_DUPLICATE");
        assertThat(p.kafka()).isFalse();
        assertThat(p.from()).isNull();
        assertThat(p.to()).isNull();
    }

    @Test
    void kafkaPeriodEndsNowWithoutTo() {
        ReportOptions.Parsed p =
                parse(
                        "--out",
                        "r",
                        "--kafka.bootstrap-servers",
                        "b:9092",
                        "--from",
                        "2026-11-25T08:00+01:00");
        p.validate();
        Instant now = Instant.parse("2026-11-25T18:00:00Z");
        ReportSettings s = ReportJob.settings(p, now);
        assertThat(s.from()).isEqualTo(Instant.parse("2026-11-25T07:00:00Z"));
        assertThat(s.to()).isEqualTo(now);
        assertThat(s.openBook()).isFalse();
        assertThat(s.deadLettersTimed()).isTrue();
    }

    @Test
    void targetsAndReasonsParse() {
        ReportOptions.Parsed p =
                parse(
                        "--out",
                        "r",
                        "--replay",
                        "o",
                        "--sla.on-time-target",
                        "98",
                        "--explained-reasons",
                        "none");
        assertThat(p.onTimeTarget()).isEqualTo(new BigDecimal("98"));
        assertThat(p.explainedReasons()).isEmpty();
        assertThat(
                        parse(
                                        "--out",
                                        "r",
                                        "--replay",
                                        "o",
                                        "--explained-reasons",
                                        "too_large,MALFORMED_JSON")
                                .explainedReasons())
                .isEqualTo(List.of("MALFORMED_JSON", "TOO_LARGE"));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "--replay o|'--out' is required",
                "--out r|'--replay' or '--kafka.bootstrap-servers' is required",
                "--out r --replay o --kafka.bootstrap-servers b:1|exclude each other",
                "--out r --kafka.bootstrap-servers b:1|'--from' is required",
                "--out r --replay o --from yesterday|'--from' must be an ISO-8601 instant",
                "--out r --replay o --to 2026-11-25T07:00|'--to' must be an ISO-8601 instant",
                "--out r --replay o --from 2026-11-25T09:00Z --to 2026-11-25T09:00Z|'--to' (2026-11-25T09:00:00Z) must be after '--from'",
                "--out r --replay o --sla.on-time-target abc|'--sla.on-time-target' must be a percentage",
                "--out r --replay o --sla.on-time-target 0|'--sla.on-time-target' must be above 0%",
                "--out r --replay o --sla.on-time-target 100.1%|'--sla.on-time-target' must be above 0% and at most 100%",
                "--out r --replay o --sla.settlement-window 0s|'--sla.settlement-window' must be a positive duration",
                "--out r --replay o --sla.settlement-window soon|'--sla.settlement-window'",
                "--out r --replay o --explained-reasons MALFORMED_JSON,TYPO|'--explained-reasons': 'TYPO' is not a dead-letter reason",
                "--out r --replay o --parallelism 0|'--parallelism' must be a positive number",
                "--out r --replay o --kafka.read-margin -1s|'--kafka.read-margin'",
                "--out r --replay o --colour blue|unknown option '--colour'",
                "--out r --replay o --out s|'--out' is given twice",
                "--out r --replay|'--replay' needs a value",
                "--out r --replay o extra|unexpected argument 'extra'"
            })
    void aBadCommandLineFailsNamingTheOption(String args, String message) {
        assertThatThrownBy(() -> parse(args.split(" ")).validate())
                .isInstanceOf(BadOptionException.class)
                .hasMessageContaining(message);
    }

    @Test
    void helpListsEveryOptionWithItsDefault() {
        String help = ReportOptions.help();
        for (var o : ReportOptions.all()) {
            assertThat(help).contains("--" + o.key());
        }
        assertThat(help).contains("99.5%").contains("CONFLICTING_DUPLICATE").contains("2 h");
    }
}
