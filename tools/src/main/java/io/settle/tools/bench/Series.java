package io.settle.tools.bench;

import java.util.ArrayList;
import java.util.List;

/** Samples of one quantity over time: seconds since the part started, and the value then. */
public final class Series {
    private final String name;
    private final List<double[]> points = new ArrayList<>();

    public Series(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public synchronized void add(double seconds, double value) {
        points.add(new double[] {seconds, value});
    }

    /** A copy of the samples, oldest first, each {@code {seconds, value}}. */
    public synchronized List<double[]> points() {
        List<double[]> copy = new ArrayList<>(points.size());
        for (double[] p : points) {
            copy.add(p.clone());
        }
        return copy;
    }

    public synchronized boolean isEmpty() {
        return points.isEmpty();
    }

    /** The latest value, or NaN before the first sample. */
    public synchronized double last() {
        return points.isEmpty() ? Double.NaN : points.get(points.size() - 1)[1];
    }

    /** The largest value, or NaN before the first sample. */
    public synchronized double max() {
        double max = Double.NaN;
        for (double[] p : points) {
            if (Double.isNaN(max) || p[1] > max) {
                max = p[1];
            }
        }
        return max;
    }
}
