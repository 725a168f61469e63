package io.settle.report;

import java.util.Objects;

/**
 * One output record as read, before decoding: its kind (from the replay folder or the topic), its
 * JSON text, the Kafka record timestamp where there is one, and where it came from. A Flink POJO.
 */
public class RawOutput {
    /** {@link #getRecordTime()} of a record without one (replay files). */
    public static final long NO_TIME = Long.MIN_VALUE;

    private OutputKind kind;
    private String text;
    private long recordTime = NO_TIME;
    private String origin;

    public RawOutput() {}

    public RawOutput(OutputKind kind, String text, long recordTime, String origin) {
        this.kind = kind;
        this.text = text;
        this.recordTime = recordTime;
        this.origin = origin;
    }

    public static RawOutput line(OutputKind kind, String text, String origin) {
        return new RawOutput(kind, text, NO_TIME, origin);
    }

    public OutputKind getKind() {
        return kind;
    }

    public void setKind(OutputKind kind) {
        this.kind = kind;
    }

    public String getText() {
        return text;
    }

    public void setText(String text) {
        this.text = text;
    }

    public long getRecordTime() {
        return recordTime;
    }

    public void setRecordTime(long recordTime) {
        this.recordTime = recordTime;
    }

    public String getOrigin() {
        return origin;
    }

    public void setOrigin(String origin) {
        this.origin = origin;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RawOutput)) {
            return false;
        }
        RawOutput r = (RawOutput) o;
        return recordTime == r.recordTime
                && kind == r.kind
                && Objects.equals(text, r.text)
                && Objects.equals(origin, r.origin);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, text, recordTime, origin);
    }

    @Override
    public String toString() {
        return kind + "@" + origin + ": " + text;
    }
}
