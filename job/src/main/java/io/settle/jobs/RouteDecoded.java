package io.settle.jobs;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import io.settle.operators.flink.SettleOutputs;
import io.settle.operators.model.DeadLetter;
import io.settle.operators.model.ReasonCode;
import io.settle.operators.model.SettlementEvent;

import java.util.EnumMap;
import java.util.Map;

/**
 * Valid events go on; dead letters go to {@link SettleOutputs#DEAD_LETTERS}. Counts records in,
 * valid events and dead letters by reason: {@code deadLetters} with the label {@code reason}.
 */
public class RouteDecoded extends ProcessFunction<Decoded, SettlementEvent> {
    private static final long serialVersionUID = 1L;

    /** The metric of dead letters, and its label: the dead letter's reason. */
    public static final String DEAD_LETTERS_METRIC = "deadLetters";

    public static final String REASON = "reason";

    private transient Counter recordsIn;
    private transient Counter eventsValid;
    private transient Map<ReasonCode, Counter> deadLetters;

    @Override
    public void open(OpenContext openContext) {
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        recordsIn = metrics.counter("recordsIn");
        eventsValid = metrics.counter("eventsValid");
        deadLetters = new EnumMap<>(ReasonCode.class);
        for (ReasonCode reason : ReasonCode.values()) {
            deadLetters.put(
                    reason, metrics.addGroup(REASON, reason.name()).counter(DEAD_LETTERS_METRIC));
        }
    }

    @Override
    public void processElement(Decoded d, Context ctx, Collector<SettlementEvent> out) {
        recordsIn.inc();
        if (d.getEvent() != null) {
            eventsValid.inc();
            out.collect(d.getEvent());
        } else {
            DeadLetter dl = d.getDeadLetter();
            deadLetters.get(dl.getReason()).inc();
            ctx.output(SettleOutputs.DEAD_LETTERS, dl);
        }
    }
}
