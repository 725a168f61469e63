package io.settle.generator;

import io.settle.operators.model.ReasonCode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One record of generated traffic: the Kafka key (the settlement id), the value bytes (a JSON
 * object on one line, or a malformed record), the event time it carries ({@code null} for a
 * malformed record) and what {@link Kind} of record it is.
 */
public record GeneratedRecord(String key, byte[] value, Instant eventTime, Kind kind) {

    /** What a record is, so a test or a progress line can tell the traffic apart. */
    public enum Kind {
        /** A new event, stamped with the clock it was emitted at. */
        EVENT(null),
        /** A new event stamped up to 1.5 s before its emission: out of order, within allowance. */
        REORDERED(null),
        /** A new event stamped minutes before its emission: beyond the allowance. */
        LATE(null),
        /** A byte-for-byte re-send of an earlier record. */
        DUPLICATE(null),
        /**
         * A re-send of an earlier record written differently (field order, whitespace, amount
         * scale, UTC offset, unknown fields) that decodes to the same content.
         */
        DUPLICATE_RESERIALIZED(null),
        /** Bytes that are not UTF-8. */
        MALFORMED_UTF8(ReasonCode.MALFORMED_JSON),
        /** A JSON object cut short. */
        MALFORMED_TRUNCATED(ReasonCode.MALFORMED_JSON),
        /** A JSON array instead of one object. */
        MALFORMED_ARRAY(ReasonCode.MALFORMED_JSON),
        /** A required field absent or null. */
        MALFORMED_MISSING_FIELD(ReasonCode.MISSING_FIELD),
        /** An amount that is not a positive decimal string at the currency's scale. */
        MALFORMED_INVALID_AMOUNT(ReasonCode.INVALID_FIELD),
        /** A {@code type} that is not one of the three event types. */
        MALFORMED_UNKNOWN_TYPE(ReasonCode.UNKNOWN_TYPE),
        /** A JSON number where the contract has a string (an amount, an id, an instant). */
        MALFORMED_NUMBER_FOR_STRING(ReasonCode.INVALID_FIELD);

        private final ReasonCode rejectedAs;

        Kind(ReasonCode rejectedAs) {
            this.rejectedAs = rejectedAs;
        }

        /** True for records the job must dead-letter. */
        public boolean isMalformed() {
            return rejectedAs != null;
        }

        /** True for re-sends of an earlier record, which the job must drop and count. */
        public boolean isDuplicate() {
            return this == DUPLICATE || this == DUPLICATE_RESERIALIZED;
        }

        /** The dead-letter reason the contract gives this kind; null for valid records. */
        public ReasonCode rejectedAs() {
            return rejectedAs;
        }
    }

    public GeneratedRecord {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(kind, "kind");
    }

    /** The value as text (malformed UTF-8 shows replacement characters). */
    public String valueAsString() {
        return new String(value, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof GeneratedRecord)) {
            return false;
        }
        GeneratedRecord that = (GeneratedRecord) o;
        return key.equals(that.key)
                && Arrays.equals(value, that.value)
                && Objects.equals(eventTime, that.eventTime)
                && kind == that.kind;
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, Arrays.hashCode(value), eventTime, kind);
    }

    @Override
    public String toString() {
        return kind + "{" + key + " @" + eventTime + " " + valueAsString() + "}";
    }
}
