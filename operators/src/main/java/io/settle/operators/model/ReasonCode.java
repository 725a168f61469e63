package io.settle.operators.model;

/** Why a record went to the dead-letter output (contract §3, "Dead letters"). */
public enum ReasonCode {
    /** Not UTF-8, not exactly one JSON object, nested too deep, or a field name repeated. */
    MALFORMED_JSON,
    MISSING_FIELD,
    INVALID_FIELD,
    UNKNOWN_TYPE,
    TOO_LARGE,
    CONFLICTING_DUPLICATE,
    /** Stamped more than the allowed span after the wall clock: a mistyped date, not applied. */
    FUTURE_EVENT,
    /**
     * The settlement has accepted its maximum of distinct events ({@code --settlement.max-events}):
     * a flood on one settlementId is bounded, not kept.
     */
    SETTLEMENT_LIMIT
}
