package io.settle.operators.flink;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

import io.settle.operators.core.SettlementConfig;
import io.settle.operators.model.Alert;
import io.settle.operators.model.DeadLetter;
import io.settle.operators.model.OpenBookEntry;
import io.settle.operators.model.SettlementEvent;
import io.settle.operators.model.SettlementResult;

/**
 * The keyed part of the job: one {@code keyBy(settlementId)}, deduplication, then settlement on the
 * same partitioning (reinterpreted as keyed, chained: no second shuffle). Operator uids are
 * constants: changing one orphans its state in every savepoint.
 */
public final class SettlementTopology {
    private SettlementTopology() {}

    public static final String UID_DEDUPLICATE = "settle-deduplicate";
    public static final String UID_SETTLE = "settle-settle";
    public static final String NAME_DEDUPLICATE = "Deduplicate by (settlementId, eventId)";
    public static final String NAME_SETTLE = "Settle: apply order, state machine, SLA clock";

    /** The outputs of the keyed part. */
    public record Streams(
            SingleOutputStreamOperator<SettlementResult> results,
            DataStream<Alert> alerts,
            DataStream<DeadLetter> conflictingDuplicates,
            DataStream<OpenBookEntry> openBook) {}

    /**
     * Wires deduplication and settlement after one {@code keyBy}. {@code events} must carry
     * timestamps and watermarks (live) or none (replay: everything applies at the end of input).
     */
    public static Streams settle(DataStream<SettlementEvent> events, SettlementConfig config) {
        SingleOutputStreamOperator<SettlementEvent> distinct =
                events.keyBy(SettlementEvent::getSettlementId, Types.STRING)
                        .process(
                                new DeduplicateFunction(config),
                                TypeInformation.of(SettlementEvent.class))
                        .uid(UID_DEDUPLICATE)
                        .name(NAME_DEDUPLICATE);
        SingleOutputStreamOperator<SettlementResult> results =
                DataStreamUtils.reinterpretAsKeyedStream(
                                distinct, SettlementEvent::getSettlementId, Types.STRING)
                        .process(
                                new SettleFunction(config),
                                TypeInformation.of(SettlementResult.class))
                        .uid(UID_SETTLE)
                        .name(NAME_SETTLE);
        DataStream<Alert> alerts =
                distinct.getSideOutput(SettleOutputs.ALERTS)
                        .union(results.getSideOutput(SettleOutputs.ALERTS));
        return new Streams(
                results,
                alerts,
                distinct.getSideOutput(SettleOutputs.DEAD_LETTERS),
                results.getSideOutput(SettleOutputs.OPEN_BOOK));
    }
}
