package io.settle.jobs;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.accumulators.LongMaximum;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

import io.settle.operators.flink.ReplayClockEnd;

/**
 * Chained after the replay's file source: passes every record on, counts them (the {@value
 * #RECORDS} accumulator, for the {@code _SUCCESS} marker) and, when the clock's end is to be found
 * in the input, keeps the greatest valid event time it saw and reports it when its input ends
 * ({@link ReplayClockEnd}). One comparison per record; no state.
 */
final class ReplayInput extends AbstractStreamOperator<Decoded>
        implements OneInputStreamOperator<Decoded, Decoded>, BoundedOneInput {
    private static final long serialVersionUID = 1L;

    /** The accumulator of records read. */
    static final String RECORDS = "records";

    /** The accumulator of the greatest valid event time read (epoch millis). */
    static final String CLOCK_END = "clock-end";

    private final boolean findClockEnd;
    private transient long greatest;
    private transient LongCounter records;

    ReplayInput(boolean findClockEnd) {
        this.findClockEnd = findClockEnd;
    }

    @Override
    public void open() throws Exception {
        super.open();
        greatest = ReplayClockEnd.NONE;
        records = getRuntimeContext().getLongCounter(RECORDS);
    }

    @Override
    public void processElement(StreamRecord<Decoded> element) {
        Decoded d = element.getValue();
        records.add(1);
        if (d.getEvent() != null) {
            greatest = Math.max(greatest, d.getEvent().getEventTime().toEpochMilli());
        }
        output.collect(element);
    }

    @Override
    public void endInput() throws Exception {
        if (findClockEnd) {
            ReplayClockEnd.report(getRuntimeContext(), greatest);
            LongMaximum clockEnd = new LongMaximum(greatest);
            getRuntimeContext().addAccumulator(CLOCK_END, clockEnd);
        }
    }
}
