package io.settle.jobs;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import io.settle.operators.model.Alert;
import io.settle.operators.model.DeadLetter;
import io.settle.operators.model.OpenBookEntry;
import io.settle.operators.model.SettlementResult;

/**
 * Where a {@link SettlementJob} reads and writes: Kafka topics live, files in replay, collecting
 * sinks in tests. Each implementation gives its sources and sinks their uid and name.
 */
public interface JobIo {
    /** The decoded input, with timestamps and watermarks where the mode needs them. */
    DataStream<Decoded> events(StreamExecutionEnvironment env);

    void results(DataStream<SettlementResult> results);

    void alerts(DataStream<Alert> alerts);

    void deadLetters(DataStream<DeadLetter> deadLetters);

    /** The open book at the replay clock's end; empty in live mode. */
    void openBook(DataStream<OpenBookEntry> openBook);
}
