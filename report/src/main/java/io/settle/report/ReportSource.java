package io.settle.report;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Where a report reads the job's outputs: a replay's output folder or the Kafka topics (tests hand
 * in their own). Each gives its source a uid and a name. The stream is bounded.
 */
public interface ReportSource {
    DataStream<RawOutput> outputs(StreamExecutionEnvironment env);

    /** {@code replay} or {@code kafka}. */
    String mode();

    /** The folder, or the brokers and topics, as the report shows them. */
    String location();
}
