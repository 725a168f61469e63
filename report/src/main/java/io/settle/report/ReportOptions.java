package io.settle.report;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import io.settle.cli.BadOptionException;
import io.settle.cli.OptionSet;
import io.settle.operators.core.SettlementConfig;
import io.settle.operators.model.ReasonCode;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The options of the SLA and KPI report ({@code ./settle report}, or {@code flink run -c
 * io.settle.report.ReportJob}), in one place with their defaults; {@code --help} prints them.
 * Parsing fails fast with a message that names the option. Kafka client properties pass through as
 * in the job: {@code --kafka.property.NAME VALUE} or {@code SETTLE_KAFKA_PROPERTY_NAME} in the
 * environment.
 */
public final class ReportOptions {
    private ReportOptions() {}

    public static final ConfigOption<String> OUT =
            ConfigOptions.key("out")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Folder the report is written to (report.html, report.json); created if missing. Required.");

    public static final ConfigOption<String> REPLAY =
            ConfigOptions.key("replay")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Read a replay's output folder (results/, alerts/, dlq/, open/). Either this or --kafka.bootstrap-servers.");

    public static final ConfigOption<String> BOOTSTRAP_SERVERS =
            ConfigOptions.key("kafka.bootstrap-servers")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Read the output topics of a live job (read_committed). Either this or --replay.");

    public static final ConfigOption<String> TOPIC_RESULTS =
            ConfigOptions.key("topic.results")
                    .stringType()
                    .defaultValue("settle.results")
                    .withDescription("Kafka: the results topic.");

    public static final ConfigOption<String> TOPIC_ALERTS =
            ConfigOptions.key("topic.alerts")
                    .stringType()
                    .defaultValue("settle.alerts")
                    .withDescription("Kafka: the alerts topic.");

    public static final ConfigOption<String> TOPIC_DEAD_LETTERS =
            ConfigOptions.key("topic.dead-letters")
                    .stringType()
                    .defaultValue("settle.dead-letters")
                    .withDescription("Kafka: the dead-letter topic.");

    public static final ConfigOption<String> GROUP_ID =
            ConfigOptions.key("kafka.group-id")
                    .stringType()
                    .defaultValue("settle-report")
                    .withDescription(
                            "Kafka: consumer group of the report's reader (no offsets are committed).");

    public static final ConfigOption<Duration> READ_MARGIN =
            ConfigOptions.key("kafka.read-margin")
                    .durationType()
                    .defaultValue(Duration.ofHours(1))
                    .withDescription(
                            "Kafka: records are read from the offsets at (--from minus this), by record timestamp, to the latest offsets; the period is then filtered on business instants. Covers records stamped a while before their business instant.");

    public static final ConfigOption<String> FROM =
            ConfigOptions.key("from")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Start of the period (inclusive), an ISO-8601 instant. Required with Kafka; replay default: the whole folder.");

    public static final ConfigOption<String> TO =
            ConfigOptions.key("to")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "End of the period (exclusive), an ISO-8601 instant. Kafka default: now; replay default: the whole folder.");

    public static final ConfigOption<String> ON_TIME_TARGET =
            ConfigOptions.key("sla.on-time-target")
                    .stringType()
                    .defaultValue("99.5%")
                    .withDescription(
                            "SLA: the share of settlements settled before their deadline, as a percentage (99.5% or 99.5).");

    public static final ConfigOption<Duration> SETTLEMENT_WINDOW =
            ConfigOptions.key("sla.settlement-window")
                    .durationType()
                    .defaultValue(SettlementConfig.DEFAULT_SETTLEMENT_WINDOW)
                    .withDescription(
                            "SLA: the 99th percentile of booked-to-settled latency must be within this.");

    public static final ConfigOption<String> EXPLAINED_REASONS =
            ConfigOptions.key("explained-reasons")
                    .stringType()
                    .defaultValue(ReasonCode.CONFLICTING_DUPLICATE.name())
                    .withDescription(
                            "SLA: dead-letter reasons that are explained (comma-separated, or 'none'); every other dead letter is unexplained and misses the zero-unexplained SLA.");

    public static final ConfigOption<Integer> PARALLELISM =
            ConfigOptions.key("parallelism")
                    .intType()
                    .defaultValue(-1)
                    .withDescription("Parallelism of the report job; -1 takes the default.");

    /** The report's command line: every option above, and Kafka client properties. */
    public static final OptionSet SET =
            OptionSet.command("settle report")
                    .usage(
                            "settle report --out DIR (--replay DIR | --kafka.bootstrap-servers B --from I [--to I]) [options]")
                    .about(
                            "The SLA and KPI report of a period of Settle's outputs, from a replay's folder or from the topics of a live job: report.html and report.json.")
                    .options(OptionSet.declaredIn(ReportOptions.class))
                    .kafkaProperties()
                    .build();

    /** Every option, in --help order. */
    public static List<ConfigOption<?>> all() {
        return SET.options();
    }

    /** The --help text. */
    public static String help() {
        return SET.help();
    }

    /** Parses {@code --key value} pairs and the environment's Kafka properties. */
    public static Parsed parse(String[] args, Map<String, String> env) {
        return new Parsed(SET.parse(args, env));
    }

    /** What the command line and environment say. */
    public static final class Parsed extends io.settle.cli.Parsed {
        Parsed(io.settle.cli.Parsed options) {
            super(options);
        }

        /** True when the report reads Kafka topics, false for a replay folder. */
        public boolean kafka() {
            return !blank(get(BOOTSTRAP_SERVERS));
        }

        /** --from, parsed; null when not given. */
        public Instant from() {
            return instant(FROM);
        }

        /** --to, parsed; null when not given. */
        public Instant to() {
            return instant(TO);
        }

        /** The on-time target as a percentage, 0 (exclusive) to 100. */
        public BigDecimal onTimeTarget() {
            String text = get(ON_TIME_TARGET).trim();
            String number = text.endsWith("%") ? text.substring(0, text.length() - 1) : text;
            BigDecimal target;
            try {
                target = new BigDecimal(number.trim());
            } catch (NumberFormatException e) {
                throw new BadOptionException(
                        "option '--"
                                + ON_TIME_TARGET.key()
                                + "' must be a percentage like 99.5% or 99.5, got '"
                                + text
                                + "'");
            }
            if (target.signum() <= 0 || target.compareTo(BigDecimal.valueOf(100)) > 0) {
                throw new BadOptionException(
                        "option '--"
                                + ON_TIME_TARGET.key()
                                + "' must be above 0% and at most 100%, got '"
                                + text
                                + "'");
            }
            return target.stripTrailingZeros();
        }

        /** The explained dead-letter reasons, sorted. */
        public List<String> explainedReasons() {
            String text = get(EXPLAINED_REASONS).trim();
            TreeSet<String> reasons = new TreeSet<>();
            if (text.isEmpty() || text.equalsIgnoreCase("none")) {
                return new ArrayList<>(reasons);
            }
            for (String part : text.split(",")) {
                String reason = part.trim().toUpperCase(Locale.ROOT);
                try {
                    reasons.add(ReasonCode.valueOf(reason).name());
                } catch (IllegalArgumentException e) {
                    throw new BadOptionException(
                            "option '--"
                                    + EXPLAINED_REASONS.key()
                                    + "': '"
                                    + part.trim()
                                    + "' is not a dead-letter reason (one of "
                                    + java.util.Arrays.toString(ReasonCode.values())
                                    + ", or none)");
                }
            }
            return new ArrayList<>(reasons);
        }

        /** Fails fast on anything wrong, naming the option. */
        public void validate() {
            for (ConfigOption<?> o : all()) {
                get(o); // every value parses
            }
            if (blank(get(OUT))) {
                throw new BadOptionException("option '--out' is required: the report's folder");
            }
            boolean replay = !blank(get(REPLAY));
            if (replay == kafka()) {
                throw new BadOptionException(
                        replay
                                ? "options '--replay' and '--kafka.bootstrap-servers' exclude each other: give one"
                                : "option '--replay' or '--kafka.bootstrap-servers' is required: where the outputs are read from");
            }
            Instant from = from();
            Instant to = to();
            if (kafka() && from == null) {
                throw new BadOptionException(
                        "option '--from' is required with '--kafka.bootstrap-servers'");
            }
            if (from != null && to != null && !from.isBefore(to)) {
                throw new BadOptionException(
                        "option '--to' (" + to + ") must be after '--from' (" + from + ")");
            }
            if (get(PARALLELISM) == 0 || get(PARALLELISM) < -1) {
                throw new BadOptionException(
                        "option '--parallelism' must be a positive number or -1, got "
                                + get(PARALLELISM));
            }
            positive(SETTLEMENT_WINDOW);
            if (get(READ_MARGIN).isNegative()) {
                throw new BadOptionException(
                        "option '--" + READ_MARGIN.key() + "' must not be negative");
            }
            onTimeTarget();
            explainedReasons();
        }

        private static boolean blank(String s) {
            return s == null || s.isBlank();
        }
    }
}
