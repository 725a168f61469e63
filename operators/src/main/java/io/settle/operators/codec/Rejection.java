package io.settle.operators.codec;

import io.settle.operators.model.ReasonCode;

/** Thrown inside the codec only, to stop validation at the first broken rule. */
final class Rejection extends Exception {
    private final ReasonCode reason;

    Rejection(ReasonCode reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    ReasonCode reason() {
        return reason;
    }
}
