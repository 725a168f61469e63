package io.settle.operators.flink;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;

import io.settle.operators.model.SettlementEvent;

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

    static <O> KeyedOneInputStreamOperatorTestHarness<String, SettlementEvent, O> open(
            KeyedProcessFunction<String, SettlementEvent, O> function, OperatorSubtaskState restore)
            throws Exception {
        return open(function, restore, Backend.ROCKSDB);
    }

    static <O> KeyedOneInputStreamOperatorTestHarness<String, SettlementEvent, O> open(
            KeyedProcessFunction<String, SettlementEvent, O> function, Backend backend)
            throws Exception {
        return open(function, null, backend);
    }

    static <O> KeyedOneInputStreamOperatorTestHarness<String, SettlementEvent, O> open(
            KeyedProcessFunction<String, SettlementEvent, O> function,
            OperatorSubtaskState restore,
            Backend backend)
            throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, SettlementEvent, O> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(function),
                        SettlementEvent::getSettlementId,
                        Types.STRING);
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

    static <O> KeyedOneInputStreamOperatorTestHarness<String, SettlementEvent, O> open(
            KeyedProcessFunction<String, SettlementEvent, O> function) throws Exception {
        return open(function, null, Backend.ROCKSDB);
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
