package io.settle.operators.core;

import io.settle.operators.model.Alert;
import io.settle.operators.model.SettlementResult;

import java.util.ArrayList;
import java.util.List;

/** {@link Outputs} into lists, for the replay oracle and tests. */
public final class CollectingOutputs implements Outputs {
    public final List<SettlementResult> results = new ArrayList<>();
    public final List<Alert> alerts = new ArrayList<>();

    @Override
    public void result(SettlementResult result) {
        results.add(result);
    }

    @Override
    public void alert(Alert alert) {
        alerts.add(alert);
    }
}
