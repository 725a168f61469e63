package io.settle.operators.model;

/** The SLA-breach and integrity signals (contract §2-3), with their severity. */
public enum AlertType {
    AT_RISK(Severity.WARNING, true),
    DEADLINE_MISSED(Severity.CRITICAL, true),
    DUPLICATE_BOOKING(Severity.WARNING, false),
    ORPHAN_EVENT(Severity.WARNING, false),
    AMOUNT_MISMATCH(Severity.WARNING, false),
    UNKNOWN_LEG(Severity.WARNING, false),
    DOUBLE_PAYMENT(Severity.CRITICAL, false),
    CANCEL_REJECTED(Severity.WARNING, false),
    PAYMENT_AFTER_CANCEL(Severity.CRITICAL, false),
    /** Not in the shared contract: see docs/contract.md, "Decisions". */
    PAYMENT_AFTER_EXPIRY(Severity.CRITICAL, false),
    LATE_EVENT(Severity.WARNING, false),
    CONFLICTING_DUPLICATE(Severity.CRITICAL, false);

    private final Severity severity;
    private final boolean oncePerSettlement;

    AlertType(Severity severity, boolean oncePerSettlement) {
        this.severity = severity;
        this.oncePerSettlement = oncePerSettlement;
    }

    public Severity severity() {
        return severity;
    }

    /** {@code settlementId:TYPE} ids (once per settlement) rather than {@code ...:eventId}. */
    public boolean oncePerSettlement() {
        return oncePerSettlement;
    }
}
