package io.settle.operators.core;

import io.settle.operators.model.Alert;
import io.settle.operators.model.SettlementResult;

/** Where the state machine's outputs go: a Flink collector and side output, or a list. */
public interface Outputs {
    void result(SettlementResult result);

    void alert(Alert alert);
}
