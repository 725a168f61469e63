package io.settle.operators.flink;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;

import io.settle.operators.model.Alert;
import io.settle.operators.model.DeadLetter;
import io.settle.operators.model.OpenBookEntry;

/** The side outputs of the keyed functions. */
public final class SettleOutputs {
    private SettleOutputs() {}

    /** SLA-breach and integrity signals, from both functions. */
    public static final OutputTag<Alert> ALERTS =
            new OutputTag<>("alerts", TypeInformation.of(Alert.class));

    /** Rejected records: from the decoder, and conflicting duplicates from deduplication. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    /** Settlements still open when the replay clock stops (replay only). */
    public static final OutputTag<OpenBookEntry> OPEN_BOOK =
            new OutputTag<>("open-book", TypeInformation.of(OpenBookEntry.class));
}
