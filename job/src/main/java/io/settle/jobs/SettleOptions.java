package io.settle.jobs;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import io.settle.cli.BadOptionException;
import io.settle.cli.OptionSet;
import io.settle.operators.core.ClockMode;
import io.settle.operators.core.SettlementConfig;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Every option of the job, in one place, with its default and description ({@code --help} prints
 * them). Parsing fails fast with a message that names the option.
 *
 * <p>Kafka client properties pass through untouched as {@code --kafka.property.NAME VALUE} or, for
 * secrets, from the environment as {@code SETTLE_KAFKA_PROPERTY_NAME} ({@code
 * SETTLE_KAFKA_PROPERTY_SASL_JAAS_CONFIG} becomes {@code sasl.jaas.config}). Their values are never
 * printed or logged.
 */
public final class SettleOptions {
    private SettleOptions() {}

    /** Live from Kafka, or replay from files. */
    public enum Mode {
        LIVE,
        REPLAY
    }

    /** How the alerts reach their topic. */
    public enum Delivery {
        AT_LEAST_ONCE,
        EXACTLY_ONCE
    }

    public static final ConfigOption<Mode> MODE =
            ConfigOptions.key("mode")
                    .enumType(Mode.class)
                    .defaultValue(Mode.LIVE)
                    .withDescription(
                            "live: from the events topic to the output topics; replay: from files to files.");

    public static final ConfigOption<String> BOOTSTRAP_SERVERS =
            ConfigOptions.key("kafka.bootstrap-servers")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Kafka bootstrap servers (live mode; required there).");

    public static final ConfigOption<String> TOPIC_EVENTS =
            ConfigOptions.key("topic.events")
                    .stringType()
                    .defaultValue("settle.events")
                    .withDescription("Topic the settlement events are read from.");

    public static final ConfigOption<String> TOPIC_RESULTS =
            ConfigOptions.key("topic.results")
                    .stringType()
                    .defaultValue("settle.results")
                    .withDescription("Topic the results are written to, exactly once.");

    public static final ConfigOption<String> TOPIC_ALERTS =
            ConfigOptions.key("topic.alerts")
                    .stringType()
                    .defaultValue("settle.alerts")
                    .withDescription("Topic the alerts are written to.");

    public static final ConfigOption<String> TOPIC_DEAD_LETTERS =
            ConfigOptions.key("topic.dead-letters")
                    .stringType()
                    .defaultValue("settle.dead-letters")
                    .withDescription(
                            "Topic rejected records are written to, exactly once (its max.message.bytes must allow 2 MiB).");

    public static final ConfigOption<String> GROUP_ID =
            ConfigOptions.key("kafka.group-id")
                    .stringType()
                    .defaultValue("settle")
                    .withDescription(
                            "Consumer group; offsets live in checkpoints and are committed to it for monitoring.");

    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX =
            ConfigOptions.key("kafka.transactional-id-prefix")
                    .stringType()
                    .defaultValue("settle")
                    .withDescription(
                            "Prefix of the transactional ids of the exactly-once sinks: unique per job on a cluster.");

    public static final ConfigOption<Duration> TRANSACTION_TIMEOUT =
            ConfigOptions.key("kafka.transaction-timeout")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(15))
                    .withDescription(
                            "transaction.timeout.ms of the exactly-once producers: above the longest checkpoint plus restart time, at most the broker's transaction.max.timeout.ms.");

    public static final ConfigOption<Delivery> ALERTS_DELIVERY =
            ConfigOptions.key("alerts.delivery")
                    .enumType(Delivery.class)
                    .defaultValue(Delivery.AT_LEAST_ONCE)
                    .withDescription(
                            "AT_LEAST_ONCE (alert ids are deterministic, consumers deduplicate) or EXACTLY_ONCE.");

    public static final ConfigOption<Integer> PARALLELISM =
            ConfigOptions.key("parallelism")
                    .intType()
                    .defaultValue(-1)
                    .withDescription("Parallelism of the job; -1 takes the cluster's default.");

    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
            ConfigOptions.key("checkpoint.interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(2))
                    .withDescription(
                            "Exactly-once checkpoint interval: results become readable (read_committed) at each checkpoint, so a result is readable about the allowance plus this after its last event.");

    public static final ConfigOption<Duration> IDLENESS =
            ConfigOptions.key("watermark.idleness")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(5))
                    .withDescription(
                            "A partition that has not delivered a record after this long of the source's active reading stops holding the watermark back until it does (sooner once every other partition has caught up: it is empty).");

    public static final ConfigOption<Duration> MAX_FUTURE_SKEW =
            ConfigOptions.key("watermark.max-future-skew")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(5))
                    .withDescription(
                            "An event stamped further than this ahead of the wall clock moves the watermark only this far, so one bad clock cannot make every other event late.");

    public static final ConfigOption<Duration> MAX_OUT_OF_ORDERNESS =
            ConfigOptions.key("watermark.max-out-of-orderness")
                    .durationType()
                    .defaultValue(SettlementConfig.DEFAULT_MAX_OUT_OF_ORDERNESS)
                    .withDescription(
                            "The allowance: the watermark trails the greatest event time seen (or, once the source has caught up, the wall clock) by this much; events this much out of order still apply in apply order, and SLA ticks fire when the watermark passes them.");

    public static final ConfigOption<Duration> SETTLEMENT_WINDOW =
            ConfigOptions.key("sla.settlement-window")
                    .durationType()
                    .defaultValue(SettlementConfig.DEFAULT_SETTLEMENT_WINDOW)
                    .withDescription(
                            "Deadline of a booking that gives none: its eventTime plus this.");

    public static final ConfigOption<Duration> AT_RISK_LEAD =
            ConfigOptions.key("sla.at-risk-lead")
                    .durationType()
                    .defaultValue(SettlementConfig.DEFAULT_AT_RISK_LEAD)
                    .withDescription(
                            "AT_RISK fires this long before the deadline of an open settlement.");

    public static final ConfigOption<Duration> EXPIRY =
            ConfigOptions.key("settlement.expiry")
                    .durationType()
                    .defaultValue(SettlementConfig.DEFAULT_EXPIRY)
                    .withDescription(
                            "An open settlement ends EXPIRED this long after its deadline.");

    public static final ConfigOption<Duration> RETENTION =
            ConfigOptions.key("settlement.retention")
                    .durationType()
                    .defaultValue(SettlementConfig.DEFAULT_RETENTION)
                    .withDescription(
                            "An ended settlement's state (and its duplicate detection) is kept this long.");

    public static final ConfigOption<Duration> ORPHAN_TIMEOUT =
            ConfigOptions.key("settlement.orphan-timeout")
                    .durationType()
                    .defaultValue(SettlementConfig.DEFAULT_ORPHAN_TIMEOUT)
                    .withDescription(
                            "An event waiting this long for its booking raises ORPHAN_EVENT.");

    public static final ConfigOption<Integer> MAX_EVENTS =
            ConfigOptions.key("settlement.max-events")
                    .intType()
                    .defaultValue(SettlementConfig.DEFAULT_MAX_EVENTS)
                    .withDescription(
                            "Distinct events one settlement accepts at most (a flood on one settlementId is bounded); past it, an event is dead-lettered as SETTLEMENT_LIMIT.");

    public static final ConfigOption<Duration> MAX_FUTURE =
            ConfigOptions.key("settlement.max-future")
                    .durationType()
                    .defaultValue(Duration.ofDays(7))
                    .withDescription(
                            "An event stamped more than this after the wall clock is a mistyped date: dead-lettered as FUTURE_EVENT, live and in replay, never applied.");

    public static final ConfigOption<String> START_FROM =
            ConfigOptions.key("start-from")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Live: where a job that restores no checkpoint or savepoint starts reading the events topic: "
                                    + StartFrom.USAGE
                                    + " (the group's committed offsets, earliest where it has none). Without it such a start is refused: the job fails at once, without restarting, naming this option. Ignored when the job restores state.");

    public static final ConfigOption<String> INPUT =
            ConfigOptions.key("input")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Replay: a JSON Lines file or a folder of them (required there).");

    public static final ConfigOption<String> OUTPUT =
            ConfigOptions.key("output")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Replay: an empty or new folder for results/, alerts/, dlq/ and open/ (required there).");

    public static final ConfigOption<String> UNTIL =
            ConfigOptions.key("until")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Replay: the instant the clock stops; events after it are left out. Default: the greatest valid eventTime of the input (found while the job reads it).");

    /** The job's command line: every option above, and Kafka client properties. */
    public static final OptionSet SET =
            OptionSet.command("settle-job")
                    .usage("flink run settle-job.jar [--mode live|replay] [--option value ...]")
                    .about("Settle: deduplicates and settles post-trade events exactly once.")
                    .options(OptionSet.declaredIn(SettleOptions.class))
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

    /** An option's default as a person writes it: {@code 2 h}, not {@code PT2H}. */
    public static String defaultText(ConfigOption<?> o) {
        return OptionSet.defaultText(o);
    }

    /** What the command line and environment say, with what the job derives from it. */
    public static final class Parsed extends io.settle.cli.Parsed {
        Parsed(io.settle.cli.Parsed options) {
            super(options);
        }

        public Mode mode() {
            return get(MODE);
        }

        /**
         * The settlement configuration; a replay's clock stops at {@code replayUntil}, or, when it
         * is null, at the greatest valid event time of the input (found as the job reads it).
         */
        public SettlementConfig settlementConfig(Instant replayUntil) {
            try {
                SettlementConfig.Builder b =
                        SettlementConfig.builder()
                                .settlementWindow(get(SETTLEMENT_WINDOW))
                                .atRiskLead(get(AT_RISK_LEAD))
                                .expiry(get(EXPIRY))
                                .retention(get(RETENTION))
                                .orphanTimeout(get(ORPHAN_TIMEOUT))
                                .maxOutOfOrderness(get(MAX_OUT_OF_ORDERNESS))
                                .maxEvents(get(MAX_EVENTS));
                return mode() == Mode.REPLAY
                        ? b.clockMode(ClockMode.REPLAY)
                                .replayUntil(replayUntil)
                                .untilFromInput(replayUntil == null)
                                .build()
                        : b.build();
            } catch (BadOptionException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw new BadOptionException(e.getMessage());
            }
        }

        /** --until, parsed; null when not given. */
        public Instant until() {
            return instant(UNTIL);
        }

        /** Fails fast on the options a mode needs. */
        public void validate() {
            if (get(PARALLELISM) == 0 || get(PARALLELISM) < -1) {
                throw BadOptionException.of(
                        PARALLELISM.key(),
                        "must be a positive number or -1, got " + get(PARALLELISM));
            }
            if (get(CHECKPOINT_INTERVAL).toMillis() < 10) {
                throw BadOptionException.of(
                        CHECKPOINT_INTERVAL.key(),
                        "must be at least 10ms, got " + get(CHECKPOINT_INTERVAL));
            }
            if (get(MAX_FUTURE).isNegative() || get(MAX_FUTURE).isZero()) {
                throw BadOptionException.of(
                        MAX_FUTURE.key(), "must be a positive duration, got " + get(MAX_FUTURE));
            }
            if (mode() == Mode.LIVE) {
                require(BOOTSTRAP_SERVERS, "in live mode");
                StartFrom.initializer(get(START_FROM));
                if (get(TRANSACTION_TIMEOUT).compareTo(get(CHECKPOINT_INTERVAL)) <= 0) {
                    throw BadOptionException.of(
                            TRANSACTION_TIMEOUT.key(),
                            "("
                                    + get(TRANSACTION_TIMEOUT)
                                    + ") must be longer than '--checkpoint.interval' ("
                                    + get(CHECKPOINT_INTERVAL)
                                    + ")");
                }
            } else {
                if (get(START_FROM) != null) {
                    throw BadOptionException.of(
                            START_FROM.key(),
                            "applies to live mode only: a replay reads its input from the start");
                }
                require(INPUT, "in replay mode");
                require(OUTPUT, "in replay mode");
                until();
            }
            settlementConfig(mode() == Mode.REPLAY ? Instant.EPOCH : null);
        }
    }

    /** Parses {@code --key value} pairs and the environment's Kafka properties. */
    public static Parsed parse(String[] args, Map<String, String> env) {
        return new Parsed(SET.parse(args, env));
    }
}
