package io.settle.cli;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OptionSetTest {
    static final ConfigOption<String> NAME =
            ConfigOptions.key("name").stringType().noDefaultValue().withDescription("A name.");
    static final ConfigOption<Duration> WAIT =
            ConfigOptions.key("wait")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(15))
                    .withDescription("How long to wait | maybe.");
    static final ConfigOption<Integer> COUNT =
            ConfigOptions.key("count").intType().defaultValue(3).withDescription("How many.");
    static final ConfigOption<Double> SHARE =
            ConfigOptions.key("share").doubleType().defaultValue(0.5).withDescription("A share.");
    static final ConfigOption<Boolean> QUICK =
            ConfigOptions.key("quick").booleanType().defaultValue(false).withDescription("Quick.");
    static final ConfigOption<String> AT =
            ConfigOptions.key("at").stringType().noDefaultValue().withDescription("An instant.");

    static final OptionSet SET =
            OptionSet.command("settle test-command")
                    .usage("settle test-command --name N [options]")
                    .about("Does nothing, for the test.")
                    .options(List.of(NAME, WAIT, COUNT, SHARE, QUICK, AT))
                    .valueName(NAME, "N")
                    .kafkaProperties()
                    .build();

    static Parsed parse(String... args) {
        return SET.parse(args, Map.of());
    }

    @Test
    void readsBothFormsAndEveryDurationSyntax() {
        assertThat(parse("--name", "x").get(NAME)).isEqualTo("x");
        assertThat(parse("--name=x").get(NAME)).isEqualTo("x");
        for (String d : List.of("90s", "90 s", "PT1M30S")) {
            assertThat(parse("--wait", d).get(WAIT)).as(d).isEqualTo(Duration.ofSeconds(90));
        }
        assertThat(parse("--wait", "2 h").get(WAIT)).isEqualTo(Duration.ofHours(2));
        assertThat(parse("--wait", "7 d").get(WAIT)).isEqualTo(Duration.ofDays(7));
        assertThat(parse().get(WAIT)).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void aFlagNeedsNoValueButMayHaveOne() {
        assertThat(parse("--quick").get(QUICK)).isTrue();
        assertThat(parse("--quick", "--name", "x").get(QUICK)).isTrue();
        assertThat(parse("--quick=false").get(QUICK)).isFalse();
        assertThat(parse().get(QUICK)).isFalse();
    }

    @Test
    void everyMistakeNamesItsOption() {
        assertThatThrownBy(() -> parse("--nmae", "x"))
                .isInstanceOf(BadOptionException.class)
                .hasMessage("unknown option '--nmae' (see --help)");
        assertThatThrownBy(() -> parse("--name"))
                .isInstanceOf(BadOptionException.class)
                .hasMessage("option '--name' needs a value");
        assertThatThrownBy(() -> parse("--name", "a", "--name", "b"))
                .isInstanceOf(BadOptionException.class)
                .hasMessage("option '--name' is given twice");
        assertThatThrownBy(() -> parse("--wait", "soon"))
                .isInstanceOf(BadOptionException.class)
                .hasMessageStartingWith("option '--wait' has a bad value:");
        assertThatThrownBy(() -> parse("--count", "many"))
                .isInstanceOf(BadOptionException.class)
                .hasMessageStartingWith("option '--count' has a bad value:");
        assertThatThrownBy(() -> parse("stray"))
                .isInstanceOf(BadOptionException.class)
                .hasMessageContaining("unexpected argument 'stray'");
        assertThatThrownBy(() -> parse("--share", "2").share(SHARE))
                .hasMessage("option '--share' must be a share from 0 to 1, got 2.0");
        assertThatThrownBy(() -> parse("--count", "0").atLeast(COUNT, 1))
                .hasMessage("option '--count' must be at least 1, got 0");
        assertThatThrownBy(() -> parse("--wait", "0s").positive(WAIT))
                .hasMessage("option '--wait' must be a positive duration, got PT0S");
        assertThatThrownBy(() -> parse().require(NAME, "here"))
                .hasMessage("option '--name' is required here");
        assertThatThrownBy(() -> parse("--at", "tomorrow").instant(AT))
                .hasMessageStartingWith("option '--at' must be an ISO-8601 instant");
    }

    @Test
    void instantsNeedAnOffset() {
        assertThat(parse("--at", "2026-11-25T09:00:00+01:00").instant(AT))
                .isEqualTo(Instant.parse("2026-11-25T08:00:00Z"));
        assertThat(parse().instant(AT)).isNull();
    }

    @Test
    void kafkaPropertiesComeFromTheCommandLineAndTheEnvironmentAndAreNeverDescribed() {
        Parsed p =
                SET.parse(
                        new String[] {"--kafka.property.security.protocol", "SSL", "--name", "x"},
                        Map.of("SETTLE_KAFKA_PROPERTY_SASL_JAAS_CONFIG", "secret"));
        assertThat(p.kafkaProperties())
                .containsEntry("security.protocol", "SSL")
                .containsEntry("sasl.jaas.config", "secret");
        assertThat(p.describe())
                .contains("--name x")
                .contains("--kafka.property.sasl.jaas.config ***")
                .doesNotContain("secret")
                .doesNotContain("SSL");
    }

    @Test
    void aSetWithoutKafkaPropertiesRefusesThem() {
        OptionSet plain = OptionSet.command("plain").options(List.of(NAME)).build();
        assertThatThrownBy(() -> plain.parse(new String[] {"--kafka.property.x", "y"}, Map.of()))
                .hasMessage("unknown option '--kafka.property.x' (see --help)");
    }

    @Test
    void helpListsEveryOptionWithItsDefaultInOneLayout() {
        Parsed p = parse("--help");
        assertThat(p.help()).isTrue();
        String help = SET.help();
        assertThat(help)
                .startsWith("Does nothing, for the test.\n\nUsage: settle test-command --name N")
                .contains("--name N")
                .contains("default: (none)")
                .contains("--wait DURATION")
                .contains("default: 15 min")
                .contains("--count N")
                .contains("--share R")
                .contains("--quick ")
                .contains("--kafka.property.NAME VALUE")
                .contains("--help");
    }

    @Test
    void theMarkdownTableHasARowPerOption() {
        String table = SET.markdownTable();
        assertThat(table)
                .startsWith("| option | default | meaning |\n| --- | --- | --- |\n")
                .contains("| `--name` |  | A name. |")
                .contains("| `--wait` | `15 min` | How long to wait \\| maybe. |")
                .contains("| `--quick` | `false` | Quick. |");
        assertThat(table.lines().count()).isEqualTo(2 + 6 + 1);
    }

    @Test
    void argsOfHandsOnTheOptionsAnotherSetKnows() {
        OptionSet job = OptionSet.command("job").options(List.of(NAME, WAIT)).build();
        Parsed p = parse("--name", "x", "--count", "4", "--wait", "90s");
        assertThat(p.argsOf(job)).containsExactly("--name", "x", "--wait", "90s");
    }

    @Test
    void aCommandFailsOneWayAndAnswersHelp() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        boolean[] ran = {false};
        Cli.run(
                SET,
                new String[] {"--help"},
                Map.of(),
                new java.io.PrintStream(out, true),
                new java.io.PrintStream(err, true),
                p -> ran[0] = true);
        assertThat(ran[0]).isFalse();
        assertThat(out.toString()).contains("Usage: settle test-command");
    }
}
