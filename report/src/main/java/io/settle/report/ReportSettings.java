package io.settle.report;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a report covers and judges against: the period (either end may be open in replay), the SLA
 * targets, and what the source can tell (an open book in replay; record times of dead letters in
 * Kafka). Immutable; shipped to the job's functions.
 */
public final class ReportSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final BigDecimal DEFAULT_ON_TIME_TARGET = new BigDecimal("99.5");

    private final Instant from;
    private final Instant to;
    private final BigDecimal onTimeTargetPercent;
    private final Duration settlementWindow;
    private final List<String> explainedReasons;
    private final boolean openBook;
    private final boolean deadLettersTimed;

    private ReportSettings(Builder b) {
        this.from = b.from;
        this.to = b.to;
        this.onTimeTargetPercent = Objects.requireNonNull(b.onTimeTargetPercent);
        this.settlementWindow = Objects.requireNonNull(b.settlementWindow);
        this.explainedReasons = List.copyOf(b.explainedReasons);
        this.openBook = b.openBook;
        this.deadLettersTimed = b.deadLettersTimed;
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("the period's end must be after its start");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The period's start (inclusive), or null: from the first record. */
    public Instant from() {
        return from;
    }

    /** The period's end (exclusive), or null: to the last record. */
    public Instant to() {
        return to;
    }

    /** Whether {@code t} is in the period; a null instant never is. */
    public boolean inPeriod(Instant t) {
        return t != null && (from == null || !t.isBefore(from)) && (to == null || t.isBefore(to));
    }

    public BigDecimal onTimeTargetPercent() {
        return onTimeTargetPercent;
    }

    public Duration settlementWindow() {
        return settlementWindow;
    }

    /** Dead-letter reasons that do not count against the zero-unexplained SLA, sorted. */
    public List<String> explainedReasons() {
        return explainedReasons;
    }

    public boolean explained(String reason) {
        return explainedReasons.contains(reason);
    }

    /** True when the source has the open book (replay's open/), false in Kafka mode. */
    public boolean openBook() {
        return openBook;
    }

    /** True when dead letters carry a record time the period filters on (Kafka). */
    public boolean deadLettersTimed() {
        return deadLettersTimed;
    }

    @Override
    public String toString() {
        return "period ["
                + from
                + ", "
                + to
                + "), on-time target "
                + onTimeTargetPercent.toPlainString()
                + "%, settlement window "
                + settlementWindow
                + ", explained dead letters "
                + explainedReasons
                + (openBook ? ", open book" : ", no open book");
    }

    /** Builds settings; defaults are the SLA defaults, the whole input, an open book. */
    public static final class Builder {
        private Instant from;
        private Instant to;
        private BigDecimal onTimeTargetPercent = DEFAULT_ON_TIME_TARGET;
        private Duration settlementWindow = Duration.ofHours(2);
        private List<String> explainedReasons = List.of("CONFLICTING_DUPLICATE");
        private boolean openBook = true;
        private boolean deadLettersTimed;

        public Builder period(Instant from, Instant to) {
            this.from = from;
            this.to = to;
            return this;
        }

        public Builder onTimeTargetPercent(BigDecimal percent) {
            this.onTimeTargetPercent = percent;
            return this;
        }

        public Builder settlementWindow(Duration window) {
            this.settlementWindow = window;
            return this;
        }

        public Builder explainedReasons(List<String> reasons) {
            this.explainedReasons = reasons;
            return this;
        }

        /** Replay: open/ is read. */
        public Builder replay() {
            this.openBook = true;
            this.deadLettersTimed = false;
            return this;
        }

        /** Kafka: no open book; dead letters are in the period by their record time. */
        public Builder kafka() {
            this.openBook = false;
            this.deadLettersTimed = true;
            return this;
        }

        public ReportSettings build() {
            return new ReportSettings(this);
        }
    }
}
