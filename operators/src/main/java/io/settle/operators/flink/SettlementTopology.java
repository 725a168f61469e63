package io.settle.operators.flink;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

import io.settle.operators.core.SettlementConfig;
import io.settle.operators.model.Alert;
import io.settle.operators.model.DeadLetter;
import io.settle.operators.model.OpenBookEntry;
import io.settle.operators.model.SettlementEvent;
import io.settle.operators.model.SettlementResult;

/**
 * The keyed part of the job: one {@code keyBy(settlementId)} and one keyed operator that
 * deduplicates and settles ({@link SettleOperator}). Its uid is a constant: changing it orphans its
 * state in every savepoint.
 */
public final class SettlementTopology {
    private SettlementTopology() {}

    /** The settle operator's uid (from release 0.2.0 on). */
    public static final String UID_SETTLE = "settle";

    public static final String NAME_SETTLE =
            "Settle: deduplicate, apply order, state machine, SLA clock";

    /**
     * The outputs of the keyed part; its dead letters are conflicting copies and events past a
     * settlement's maximum.
     */
    public record Streams(
            SingleOutputStreamOperator<SettlementResult> results,
            DataStream<Alert> alerts,
            DataStream<DeadLetter> deadLetters,
            DataStream<OpenBookEntry> openBook) {}

    /**
     * Wires the settle operator after one {@code keyBy}. {@code events} must carry timestamps and
     * watermarks (live) or none (replay: everything applies at the end of input).
     */
    public static Streams settle(DataStream<SettlementEvent> events, SettlementConfig config) {
        SingleOutputStreamOperator<SettlementResult> results =
                events.keyBy(SettlementEvent::getSettlementId, Types.STRING)
                        .transform(
                                NAME_SETTLE,
                                TypeInformation.of(SettlementResult.class),
                                new SettleOperator(config))
                        .uid(UID_SETTLE)
                        .name(NAME_SETTLE);
        return new Streams(
                results,
                results.getSideOutput(SettleOutputs.ALERTS),
                results.getSideOutput(SettleOutputs.DEAD_LETTERS),
                results.getSideOutput(SettleOutputs.OPEN_BOOK));
    }
}
