package io.settle.report;

import java.util.Objects;

/**
 * One settlement's booked-to-settled latency, in the bucket it counts for: the hour it settled in,
 * or {@link #PERIOD} for the whole period. A Flink POJO with public fields.
 */
public class LatencySample {
    public static final String PERIOD = "period";

    public String bucket;
    public long millis;

    public LatencySample() {}

    public LatencySample(String bucket, long millis) {
        this.bucket = bucket;
        this.millis = millis;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LatencySample
                && ((LatencySample) o).millis == millis
                && Objects.equals(((LatencySample) o).bucket, bucket);
    }

    @Override
    public int hashCode() {
        return Objects.hash(bucket, millis);
    }

    @Override
    public String toString() {
        return bucket + ":" + millis + "ms";
    }
}
