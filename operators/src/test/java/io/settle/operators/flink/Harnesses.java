package io.settle.operators.flink;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;

import io.settle.operators.core.SettlementConfig;
import io.settle.operators.model.SettlementEvent;
import io.settle.operators.model.SettlementResult;

import java.util.ArrayList;
import java.util.List;

/** Keyed harnesses as the job runs them: RocksDB, and generic (Kryo) types switched off. */
final class Harnesses {
    private Harnesses() {}

    /** Which state backend a harness runs on. */
    enum Backend {
        /** The production backend. */
        ROCKSDB,
        /** On the heap: the one that can count its keyed state entries. */
        HEAP
    }

    static KeyedOneInputStreamOperatorTestHarness<String, SettlementEvent, SettlementResult> open(
            SettlementConfig config) throws Exception {
        return open(config, null, Backend.ROCKSDB);
    }

    static KeyedOneInputStreamOperatorTestHarness<String, SettlementEvent, SettlementResult> open(
            SettlementConfig config, Backend backend) throws Exception {
        return open(config, null, backend);
    }

    static KeyedOneInputStreamOperatorTestHarness<String, SettlementEvent, SettlementResult> open(
            SettlementConfig config, OperatorSubtaskState restore) throws Exception {
        return open(config, restore, Backend.ROCKSDB);
    }

    /** The settle operator in a keyed harness at parallelism 1, restored when asked. */
    static KeyedOneInputStreamOperatorTestHarness<String, SettlementEvent, SettlementResult> open(
            SettlementConfig config, OperatorSubtaskState restore, Backend backend)
            throws Exception {
        return open(config, restore, backend, 1, 1, 0);
    }

    /** As {@link #open(SettlementConfig, OperatorSubtaskState, Backend)}, one subtask of many. */
    static KeyedOneInputStreamOperatorTestHarness<String, SettlementEvent, SettlementResult> open(
            SettlementConfig config,
            OperatorSubtaskState restore,
            Backend backend,
            int maxParallelism,
            int parallelism,
            int subtask)
            throws Exception {
        return open(
                config,
                restore,
                backend,
                maxParallelism,
                parallelism,
                subtask,
                SettleOperator.MAX_HELD);
    }

    /**
     * As {@link #open(SettlementConfig, OperatorSubtaskState, Backend)}, holding at most so many
     * records.
     */
    static KeyedOneInputStreamOperatorTestHarness<String, SettlementEvent, SettlementResult> open(
            SettlementConfig config, OperatorSubtaskState restore, Backend backend, int maxHeld)
            throws Exception {
        return open(config, restore, backend, 1, 1, 0, maxHeld);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, SettlementEvent, SettlementResult>
            open(
                    SettlementConfig config,
                    OperatorSubtaskState restore,
                    Backend backend,
                    int maxParallelism,
                    int parallelism,
                    int subtask,
                    int maxHeld)
                    throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, SettlementEvent, SettlementResult> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new SettleOperator(config, maxHeld),
                        SettlementEvent::getSettlementId,
                        Types.STRING,
                        maxParallelism,
                        parallelism,
                        subtask);
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        harness.getExecutionConfig().configure(conf, Harnesses.class.getClassLoader());
        harness.setStateBackend(
                backend == Backend.ROCKSDB
                        ? new EmbeddedRocksDBStateBackend()
                        : new HashMapStateBackend());
        harness.setup();
        if (restore != null) {
            harness.initializeState(restore);
        }
        harness.open();
        return harness;
    }

    /** Feeds an event stamped with its event time, as the job's watermark strategy does. */
    static void feed(
            KeyedOneInputStreamOperatorTestHarness<String, SettlementEvent, ?> h,
            SettlementEvent... events)
            throws Exception {
        for (SettlementEvent e : events) {
            h.processElement(e, e.getEventTime().toEpochMilli());
        }
    }

    /** Drains a side output. */
    static <X> List<X> drain(
            KeyedOneInputStreamOperatorTestHarness<String, SettlementEvent, ?> h,
            OutputTag<X> tag) {
        List<X> out = new ArrayList<>();
        var queue = h.getSideOutput(tag);
        if (queue != null) {
            StreamRecord<X> r;
            while ((r = queue.poll()) != null) {
                out.add(r.getValue());
            }
        }
        return out;
    }

    /** Drains the main output. */
    static <O> List<O> drainOutput(
            KeyedOneInputStreamOperatorTestHarness<String, SettlementEvent, O> h) {
        List<O> out = new ArrayList<>(h.extractOutputValues());
        h.getOutput().clear();
        return out;
    }
}
