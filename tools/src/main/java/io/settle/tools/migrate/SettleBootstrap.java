package io.settle.tools.migrate;

import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.state.api.SavepointWriterOperatorFactory;
import org.apache.flink.state.api.output.SnapshotUtils;
import org.apache.flink.state.api.output.TaggedOperatorSubtaskState;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.SimpleOperatorFactory;
import org.apache.flink.streaming.api.operators.StreamOperatorFactory;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

import io.settle.operators.core.SettlementConfig;
import io.settle.operators.core.SettlementMachine;
import io.settle.operators.flink.SettleOperator;
import io.settle.operators.flink.SettlementRecord;
import io.settle.operators.model.SettlementStatus;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes migrated settlements as the settle operator keeps them: its keyed state (one record per
 * settlement), its event-time timers (at most one per settlement), its pending index (the
 * settlements with events waiting for the watermark) and its count of open settlements, under the
 * operator's own state names and serializers, then snapshots them into the new savepoint.
 */
final class SettleBootstrap extends AbstractStreamOperator<TaggedOperatorSubtaskState>
        implements OneInputStreamOperator<
                        Tuple2<String, SettlementRecord>, TaggedOperatorSubtaskState>,
                BoundedOneInput,
                Triggerable<String, VoidNamespace> {
    private static final long serialVersionUID = 1L;

    private final long checkpointId;
    private final long timestamp;
    private final Path savepointPath;
    private final SettlementConfig config;

    private transient SettlementMachine machine;
    private transient ValueState<SettlementRecord> records;
    private transient InternalTimerService<VoidNamespace> timers;
    private transient ListState<Long> openCount;
    private transient ListState<Tuple2<String, Long>> index;
    private transient List<Tuple2<String, Long>> waiting;
    private transient long open;

    SettleBootstrap(
            long checkpointId, long timestamp, Path savepointPath, SettlementConfig config) {
        this.checkpointId = checkpointId;
        this.timestamp = timestamp;
        this.savepointPath = savepointPath;
        this.config = config;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        openCount =
                context.getOperatorStateStore().getListState(SettleOperator.openCountDescriptor());
        index = context.getOperatorStateStore().getUnionListState(SettleOperator.indexDescriptor());
        waiting = new ArrayList<>();
    }

    @Override
    public void open() throws Exception {
        super.open();
        machine = new SettlementMachine(config);
        records = getKeyedStateStore().getState(SettleOperator.recordDescriptor());
        timers =
                getInternalTimerService(
                        SettleOperator.TIMERS, VoidNamespaceSerializer.INSTANCE, this);
    }

    @Override
    public void processElement(StreamRecord<Tuple2<String, SettlementRecord>> element)
            throws Exception {
        SettlementRecord rec = element.getValue().f1;
        if (rec.isEmpty()) {
            return;
        }
        // As the settle operator keeps it: the one timer it would want, and the events waiting for
        // the watermark in its pending index, which applies them as soon as the watermark passes.
        long timer = SettleOperator.liveTimer(machine, rec);
        if (timer != SettlementRecord.NO_TIMER) {
            timers.registerEventTimeTimer(VoidNamespace.INSTANCE, timer);
        }
        rec.setTimer(timer);
        records.update(rec);
        if (!rec.pending().isEmpty()) {
            waiting.add(Tuple2.of(element.getValue().f0, rec.earliestPendingMillis()));
        }
        if (rec.machine() != null && rec.machine().getStatus() == SettlementStatus.OPEN) {
            open++;
        }
    }

    @Override
    public void endInput() throws Exception {
        openCount.update(List.of(open));
        index.update(waiting);
        Configuration job = getContainingTask().getJobConfiguration();
        TaggedOperatorSubtaskState state =
                SnapshotUtils.snapshot(
                        checkpointId,
                        this,
                        getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
                        timestamp,
                        CheckpointingOptions.getCheckpointingMode(job),
                        CheckpointingOptions.isUnalignedCheckpointEnabled(job),
                        getContainingTask().getConfiguration().getConfiguration(),
                        savepointPath);
        output.collect(new StreamRecord<>(state));
    }

    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) {}

    @Override
    public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {}

    /** Makes a bootstrap operator for the savepoint being written. */
    static final class Factory implements SavepointWriterOperatorFactory {
        private static final long serialVersionUID = 1L;
        private final SettlementConfig config;

        Factory(SettlementConfig config) {
            this.config = config;
        }

        @Override
        public StreamOperatorFactory<TaggedOperatorSubtaskState> createOperator(
                long savepointTimestamp, Path savepointPath) {
            return SimpleOperatorFactory.of(
                    new SettleBootstrap(0L, savepointTimestamp, savepointPath, config));
        }
    }
}
