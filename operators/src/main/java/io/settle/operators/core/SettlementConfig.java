package io.settle.operators.core;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The durations of the contract (§2) and the clock the job runs on. Immutable and serializable, so
 * Flink functions can carry it. Defaults are the contract's.
 */
public final class SettlementConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final Duration DEFAULT_SETTLEMENT_WINDOW = Duration.ofHours(2);
    public static final Duration DEFAULT_AT_RISK_LEAD = Duration.ofMinutes(15);
    public static final Duration DEFAULT_EXPIRY = Duration.ofDays(1);
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
    public static final Duration DEFAULT_ORPHAN_TIMEOUT = Duration.ofHours(1);
    public static final Duration DEFAULT_MAX_OUT_OF_ORDERNESS = Duration.ofSeconds(2);

    /**
     * Distinct events one settlement accepts at most (contract §2, "Bounds"): a booking, a
     * confirmation per leg and a cancellation are a handful; a thousand is a flood.
     */
    public static final int DEFAULT_MAX_EVENTS = 1000;

    private final Duration settlementWindow;
    private final Duration atRiskLead;
    private final Duration expiry;
    private final Duration retention;
    private final Duration orphanTimeout;
    private final Duration maxOutOfOrderness;
    private final int maxEvents;
    private final ClockMode clockMode;
    private final Instant replayUntil;
    private final boolean untilFromInput;

    private SettlementConfig(Builder b) {
        this.settlementWindow = positive("sla.settlement-window", b.settlementWindow);
        this.atRiskLead = notNegative("sla.at-risk-lead", b.atRiskLead);
        this.expiry = notNegative("settlement.expiry", b.expiry);
        this.retention = notNegative("settlement.retention", b.retention);
        this.orphanTimeout = notNegative("settlement.orphan-timeout", b.orphanTimeout);
        this.maxOutOfOrderness = notNegative("watermark.max-out-of-orderness", b.maxOutOfOrderness);
        if (b.maxEvents < 1) {
            throw new IllegalArgumentException(
                    "option 'settlement.max-events' must be at least 1, got " + b.maxEvents);
        }
        this.maxEvents = b.maxEvents;
        this.clockMode = Objects.requireNonNull(b.clockMode, "clock mode");
        if (clockMode == ClockMode.REPLAY && b.replayUntil == null && !b.untilFromInput) {
            throw new IllegalArgumentException(
                    "replay needs 'until': the instant its clock stops (the greatest event time of the input by default)");
        }
        this.untilFromInput = clockMode == ClockMode.REPLAY && b.replayUntil == null;
        this.replayUntil = b.replayUntil;
    }

    private static Duration notNegative(String option, Duration d) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(
                    "option '" + option + "' must be a duration of zero or more, got " + d);
        }
        return d;
    }

    private static Duration positive(String option, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(
                    "option '" + option + "' must be a positive duration, got " + d);
        }
        return d;
    }

    public static SettlementConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .settlementWindow(settlementWindow)
                .atRiskLead(atRiskLead)
                .expiry(expiry)
                .retention(retention)
                .orphanTimeout(orphanTimeout)
                .maxOutOfOrderness(maxOutOfOrderness)
                .maxEvents(maxEvents)
                .clockMode(clockMode)
                .replayUntil(replayUntil)
                .untilFromInput(untilFromInput);
    }

    public Duration settlementWindow() {
        return settlementWindow;
    }

    public Duration atRiskLead() {
        return atRiskLead;
    }

    public Duration expiry() {
        return expiry;
    }

    public Duration retention() {
        return retention;
    }

    public Duration orphanTimeout() {
        return orphanTimeout;
    }

    public Duration maxOutOfOrderness() {
        return maxOutOfOrderness;
    }

    /** Distinct events one settlement accepts at most; past it, {@code SETTLEMENT_LIMIT}. */
    public int maxEvents() {
        return maxEvents;
    }

    public ClockMode clockMode() {
        return clockMode;
    }

    /**
     * Where the replay clock stops; null in live mode, and in a replay that finds it in its input
     * ({@link #untilFromInput()}).
     */
    public Instant replayUntil() {
        return replayUntil;
    }

    /**
     * A replay whose clock stops at the greatest valid event time of its input, which the job finds
     * while it reads the input (no option gave the instant).
     */
    public boolean untilFromInput() {
        return untilFromInput;
    }

    @Override
    public String toString() {
        return "SettlementConfig{window="
                + settlementWindow
                + ", atRiskLead="
                + atRiskLead
                + ", expiry="
                + expiry
                + ", retention="
                + retention
                + ", orphanTimeout="
                + orphanTimeout
                + ", maxOutOfOrderness="
                + maxOutOfOrderness
                + ", maxEvents="
                + maxEvents
                + ", clock="
                + clockMode
                + (replayUntil == null ? "" : ", until=" + replayUntil)
                + (untilFromInput ? ", until=the greatest valid event time of the input" : "")
                + "}";
    }

    /** Builds a {@link SettlementConfig}; unset durations take the contract's defaults. */
    public static final class Builder {
        private Duration settlementWindow = DEFAULT_SETTLEMENT_WINDOW;
        private Duration atRiskLead = DEFAULT_AT_RISK_LEAD;
        private Duration expiry = DEFAULT_EXPIRY;
        private Duration retention = DEFAULT_RETENTION;
        private Duration orphanTimeout = DEFAULT_ORPHAN_TIMEOUT;
        private Duration maxOutOfOrderness = DEFAULT_MAX_OUT_OF_ORDERNESS;
        private int maxEvents = DEFAULT_MAX_EVENTS;
        private ClockMode clockMode = ClockMode.LIVE;
        private Instant replayUntil;
        private boolean untilFromInput;

        public Builder settlementWindow(Duration d) {
            this.settlementWindow = d;
            return this;
        }

        public Builder atRiskLead(Duration d) {
            this.atRiskLead = d;
            return this;
        }

        public Builder expiry(Duration d) {
            this.expiry = d;
            return this;
        }

        public Builder retention(Duration d) {
            this.retention = d;
            return this;
        }

        public Builder orphanTimeout(Duration d) {
            this.orphanTimeout = d;
            return this;
        }

        public Builder maxOutOfOrderness(Duration d) {
            this.maxOutOfOrderness = d;
            return this;
        }

        public Builder maxEvents(int max) {
            this.maxEvents = max;
            return this;
        }

        public Builder clockMode(ClockMode mode) {
            this.clockMode = mode;
            return this;
        }

        public Builder replayUntil(Instant until) {
            this.replayUntil = until;
            return this;
        }

        /** A replay without {@code until}: the clock stops at the input's greatest event time. */
        public Builder untilFromInput(boolean fromInput) {
            this.untilFromInput = fromInput;
            return this;
        }

        /** Live clock. */
        public Builder live() {
            return clockMode(ClockMode.LIVE).replayUntil(null).untilFromInput(false);
        }

        /** Replay clock stopping at {@code until}. */
        public Builder replay(Instant until) {
            return clockMode(ClockMode.REPLAY).replayUntil(until);
        }

        public SettlementConfig build() {
            return new SettlementConfig(this);
        }
    }
}
