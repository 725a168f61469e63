package io.settle.generator;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CommandLineTest {
    private static final CliOption<Long> COUNT =
            CliOption.required("count", "N", "how many", CliOption::positiveWholeNumber);
    private static final CliOption<Double> RATE =
            CliOption.optional("rate", "R", "how often", 0.05, CliOption::rate);
    private static final CliOption<Duration> DURATION =
            CliOption.optionalWithout(
                    "duration", "D", "how long", "until stopped", CliOption::duration);
    private static final CommandLine COMMAND_LINE =
            new CommandLine("test [options]", "A test.", List.of(COUNT, RATE, DURATION));

    @Test
    void readsValuesAndDefaults() {
        CommandLine.Parsed p = COMMAND_LINE.parse("--count", "10", "--duration=90s");
        assertThat(p.get(COUNT)).isEqualTo(10L);
        assertThat(p.get(RATE)).isEqualTo(0.05);
        assertThat(p.get(DURATION)).isEqualTo(Duration.ofSeconds(90));
        assertThat(COMMAND_LINE.parse("--count", "1").get(DURATION)).isNull();
        assertThat(COMMAND_LINE.parse("--count", "1", "--rate", "5%").get(RATE)).isEqualTo(0.05);
    }

    @Test
    void rejectsAnUnknownOptionNamingIt() {
        assertThatThrownBy(() -> COMMAND_LINE.parse("--count", "1", "--cuont", "2"))
                .isInstanceOf(CommandLine.UsageException.class)
                .hasMessageContaining("unknown option --cuont");
    }

    @Test
    void rejectsABadNumberNamingTheOption() {
        assertThatThrownBy(() -> COMMAND_LINE.parse("--count", "ten"))
                .isInstanceOf(CommandLine.UsageException.class)
                .hasMessageContaining("--count")
                .hasMessageContaining("'ten' is not a whole number");
        assertThatThrownBy(() -> COMMAND_LINE.parse("--count", "1", "--rate", "1.5"))
                .hasMessageContaining("--rate")
                .hasMessageContaining("between 0 and 1");
        assertThatThrownBy(() -> COMMAND_LINE.parse("--count", "-3"))
                .hasMessageContaining("--count")
                .hasMessageContaining("positive");
    }

    @Test
    void rejectsMissingValuesRepeatsStrayArgumentsAndMissingRequiredOptions() {
        assertThatThrownBy(() -> COMMAND_LINE.parse("--count"))
                .hasMessageContaining("--count needs a value");
        assertThatThrownBy(() -> COMMAND_LINE.parse("--count", "--rate", "0.1"))
                .hasMessageContaining("--count needs a value");
        assertThatThrownBy(() -> COMMAND_LINE.parse("--count", "1", "--count", "2"))
                .hasMessageContaining("--count is given twice");
        assertThatThrownBy(() -> COMMAND_LINE.parse("--count", "1", "extra"))
                .hasMessageContaining("unexpected argument 'extra'");
        assertThatThrownBy(() -> COMMAND_LINE.parse("--rate", "0.1"))
                .hasMessageContaining("--count is required");
    }

    @Test
    void helpIsAskedForEvenWithoutRequiredOptions() {
        assertThat(COMMAND_LINE.parse("--help").helpRequested()).isTrue();
        assertThat(COMMAND_LINE.help())
                .contains("Usage: test [options]")
                .contains("--count N")
                .contains("(required)")
                .contains("--rate R")
                .contains("(default: 0.05)")
                .contains("(default: until stopped)");
    }

    @Test
    void durationsAreIsoOrANumberAndAUnit() {
        assertThat(CliOption.duration("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(CliOption.duration("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(CliOption.duration("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(CliOption.duration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(CliOption.duration("PT1H30M")).isEqualTo(Duration.ofMinutes(90));
        assertThatThrownBy(() -> CliOption.duration("soon")).hasMessageContaining("'soon'");
        assertThatThrownBy(() -> CliOption.duration("0s")).hasMessageContaining("positive");
    }

    @Test
    void defaultsAreShownAsTheyAreTyped() {
        assertThat(CliOption.display(Duration.ofMinutes(10))).isEqualTo("10m");
        assertThat(CliOption.display(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(CliOption.display(1000.0)).isEqualTo("1000");
        assertThat(CliOption.display(0.005)).isEqualTo("0.005");
        assertThat(KafkaLoad.COMMAND_LINE.help())
                .contains("--rate N")
                .contains("(default: 1000)")
                .contains("--cycle D")
                .contains("(default: 10m)")
                .contains("(default: until stopped)")
                .contains("--seed S");
    }

    @Test
    void producerPropertiesAreKeyValuePairs() {
        assertThat(KafkaLoad.properties("linger.ms=20, batch.size=65536"))
                .containsEntry("linger.ms", "20")
                .containsEntry("batch.size", "65536");
        assertThatThrownBy(() -> KafkaLoad.properties("linger.ms"))
                .hasMessageContaining("KEY=VALUE");
    }
}
