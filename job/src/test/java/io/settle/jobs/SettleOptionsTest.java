package io.settle.jobs;

import org.apache.flink.configuration.ConfigOption;

import io.settle.operators.core.ClockMode;
import io.settle.operators.core.SettlementConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettleOptionsTest {
    private static SettleOptions.Parsed parse(String... args) {
        return SettleOptions.parse(args, Map.of());
    }

    @Test
    void helpListsEveryOptionWithItsDefault() {
        String help = SettleOptions.help();
        for (ConfigOption<?> o : SettleOptions.all()) {
            assertThat(help).contains("--" + o.key());
            assertThat(help).contains("default: " + SettleOptions.defaultText(o));
            assertThat(io.settle.cli.OptionSet.description(o)).isNotBlank();
            assertThat(help).contains(io.settle.cli.OptionSet.description(o));
        }
        assertThat(help).contains("--kafka.property.NAME").contains("SETTLE_KAFKA_PROPERTY_");
        assertThat(parse("--help").help()).isTrue();
    }

    @Test
    void liveNeedsBootstrapServers() {
        assertThatThrownBy(() -> parse().validate())
                .isInstanceOf(io.settle.cli.BadOptionException.class)
                .hasMessageContaining("--kafka.bootstrap-servers");
    }

    @Test
    void replayNeedsInputAndOutput() {
        assertThatThrownBy(() -> parse("--mode", "replay", "--output", "out").validate())
                .hasMessageContaining("--input");
        assertThatThrownBy(() -> parse("--mode", "replay", "--input", "in").validate())
                .hasMessageContaining("--output");
    }

    @ParameterizedTest
    @CsvSource({
        "--sla.at-risk-lead, soon, sla.at-risk-lead",
        "--settlement.expiry, -1d, settlement.expiry",
        "--parallelism, two, parallelism",
        "--parallelism, 0, parallelism",
        "--mode, batch, mode",
        "--until, tomorrow, until",
        "--checkpoint.interval, 1ms, checkpoint.interval",
        "--kafka.transaction-timeout, 1s, kafka.transaction-timeout",
        "--start-from, beginning, start-from",
        "--start-from, timestamp:yesterday, start-from",
        "--settlement.max-events, 0, settlement.max-events",
    })
    void aBadValueFailsNamingItsOption(String option, String value, String named) {
        assertThatThrownBy(
                        () ->
                                parse(
                                                "--kafka.bootstrap-servers",
                                                "localhost:9092",
                                                "--mode",
                                                option.equals("--until") ? "replay" : "live",
                                                "--input",
                                                "in",
                                                "--output",
                                                "out",
                                                option,
                                                value)
                                        .validate())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(named);
    }

    @Test
    void startFromTakesItsFourFormsInLiveModeOnly() {
        for (String v :
                List.of("earliest", "latest", "group-offsets", "timestamp:2026-11-25T09:00:00Z")) {
            parse("--kafka.bootstrap-servers", "localhost:9092", "--start-from", v).validate();
        }
        assertThatThrownBy(
                        () ->
                                parse(
                                                "--mode",
                                                "replay",
                                                "--input",
                                                "in",
                                                "--output",
                                                "out",
                                                "--start-from",
                                                "earliest")
                                        .validate())
                .hasMessageContaining("start-from")
                .hasMessageContaining("live mode only");
    }

    @Test
    void anUnknownOptionFailsNamingIt() {
        assertThatThrownBy(() -> parse("--sla.atrisk-lead", "PT5M"))
                .isInstanceOf(io.settle.cli.BadOptionException.class)
                .hasMessageContaining("--sla.atrisk-lead");
        assertThatThrownBy(() -> parse("--parallelism")).hasMessageContaining("needs a value");
    }

    @Test
    void durationsFeedTheSettlementConfig() {
        SettleOptions.Parsed p =
                parse(
                        "--mode=replay",
                        "--input",
                        "in",
                        "--output",
                        "out",
                        "--sla.settlement-window",
                        "PT3H",
                        "--sla.at-risk-lead",
                        "10 min",
                        "--settlement.orphan-timeout",
                        "30s",
                        "--until",
                        "2026-11-25T18:00:00+01:00");
        p.validate();
        SettlementConfig c = p.settlementConfig(p.until());
        assertThat(c.settlementWindow()).isEqualTo(Duration.ofHours(3));
        assertThat(c.atRiskLead()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.orphanTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.expiry()).isEqualTo(SettlementConfig.DEFAULT_EXPIRY);
        assertThat(c.clockMode()).isEqualTo(ClockMode.REPLAY);
        assertThat(c.replayUntil()).isEqualTo(Instant.parse("2026-11-25T17:00:00Z"));
    }

    @Test
    void kafkaPropertiesComeFromOptionsAndEnvironmentAndAreNeverPrinted() {
        SettleOptions.Parsed p =
                SettleOptions.parse(
                        new String[] {
                            "--kafka.bootstrap-servers", "broker:9093",
                            "--kafka.property.security.protocol", "SASL_SSL"
                        },
                        Map.of(
                                "SETTLE_KAFKA_PROPERTY_SASL_JAAS_CONFIG", "secret-jaas-line",
                                "UNRELATED", "x"));
        p.validate();
        assertThat(p.kafkaProperties())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.jaas.config", "secret-jaas-line")
                .hasSize(2);
        assertThat(p.describe())
                .contains("--kafka.property.sasl.jaas.config ***")
                .doesNotContain("secret-jaas-line")
                .doesNotContain("SASL_SSL")
                .contains("--kafka.bootstrap-servers broker:9093");
    }
}
