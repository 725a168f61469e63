package io.settle.jobs;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import io.settle.operators.model.Origin;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Watches the offsets each partition of the events topic is read at, across restarts (operator
 * state, in the same checkpoint as the source's offsets). When a partition's next record comes more
 * than two offsets after the last one read (a transaction's commit marker takes one), it asks the
 * broker for the partition's earliest retained offset: if that lies past the last one read, the
 * records between were deleted (topic retention while the job was down or behind, a {@code
 * deleteRecords}) before Settle read them, and the Kafka consumer silently moved on to the earliest
 * retained one. Those are counted in {@code offsetsLost} (alert {@code SettleInputLost}) and logged
 * at ERROR with the range. Gaps left by aborted upstream transactions (read committed skips them)
 * are still retained, so they are not counted.
 */
public class OffsetWatch extends ProcessFunction<Decoded, Decoded> implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(OffsetWatch.class);

    public static final String UID = "events-offset-watch";
    public static final String NAME = "Offset watch: records lost to retention";
    public static final String METRIC = "offsetsLost";

    /** The operator state: (topic, partition, last offset read), union (partitions move). */
    static final ListStateDescriptor<Tuple3<String, Integer, Long>> STATE =
            new ListStateDescriptor<>(
                    "last-offsets", Types.TUPLE(Types.STRING, Types.INT, Types.LONG));

    private final Properties admin;

    private transient Map<TopicPartition, Long> last;
    private transient ListState<Tuple3<String, Integer, Long>> state;
    private transient Counter lost;
    private transient Admin client;

    /** {@code admin}: the Kafka client properties (bootstrap servers, security) to ask with. */
    public OffsetWatch(Properties admin) {
        this.admin = admin;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        state = context.getOperatorStateStore().getUnionListState(STATE);
        last = new HashMap<>();
        for (Tuple3<String, Integer, Long> e : state.get()) {
            // Union state: every subtask gets every entry; a partition that moved has an older
            // entry beside the newer one, and the greater offset is the one read last.
            last.merge(new TopicPartition(e.f0, e.f1), e.f2, Math::max);
        }
    }

    @Override
    public void open(OpenContext openContext) {
        lost = getRuntimeContext().getMetricGroup().counter(METRIC);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        List<Tuple3<String, Integer, Long>> entries = new ArrayList<>(last.size());
        last.forEach((tp, offset) -> entries.add(Tuple3.of(tp.topic(), tp.partition(), offset)));
        state.update(entries);
    }

    @Override
    public void processElement(Decoded d, Context ctx, Collector<Decoded> out) {
        Origin o = d.getEvent() != null ? d.getEvent().getOrigin() : d.getDeadLetter().getOrigin();
        if (o != null && o.getTopic() != null) {
            TopicPartition tp = new TopicPartition(o.getTopic(), o.getPartition());
            long offset = o.getOffset();
            Long previous = last.put(tp, offset);
            if (previous != null && offset > previous + 2) {
                check(tp, previous, offset);
            }
        }
        out.collect(d);
    }

    /** A gap between {@code previous} and {@code offset}: lost, or skipped for a reason? */
    private void check(TopicPartition tp, long previous, long offset) {
        long earliest;
        try {
            if (client == null) {
                client = Admin.create(admin);
            }
            earliest =
                    client.listOffsets(Map.of(tp, OffsetSpec.earliest()))
                            .partitionResult(tp)
                            .get(30, TimeUnit.SECONDS)
                            .offset();
        } catch (Exception e) {
            LOG.warn(
                    "could not ask the broker whether offsets {} to {} of {} were deleted: {}",
                    previous + 1,
                    offset - 1,
                    tp,
                    e.toString());
            return;
        }
        long firstLost = previous + 1;
        long endLost = Math.min(earliest, offset);
        if (endLost > firstLost) {
            lost.inc(endLost - firstLost);
            LOG.error(
                    "{} records of {} (offsets {} to {}) were deleted before Settle read them"
                            + " (topic retention or deleteRecords; the earliest retained offset is"
                            + " {}): they are not settled. Send them again from their source.",
                    endLost - firstLost,
                    tp,
                    firstLost,
                    endLost - 1,
                    earliest);
        }
    }

    @Override
    public void close() throws Exception {
        if (client != null) {
            client.close();
        }
        super.close();
    }
}
