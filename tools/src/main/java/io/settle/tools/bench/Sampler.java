package io.settle.tools.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * Samples named quantities every period on a daemon thread, into {@link Series} keyed by name.
 * Always samples this process's CPU time (seconds of CPU used so far: {@value #CPU}), so any
 * window's average CPU use in cores is a difference of two samples over the time between them.
 */
final class Sampler implements AutoCloseable {
    static final String CPU = "cpuSeconds";

    private final Map<String, DoubleSupplier> sources = new LinkedHashMap<>();
    private final Map<String, Series> series = new LinkedHashMap<>();
    private final long periodMillis;
    private final long startNanos = System.nanoTime();
    private final Thread thread;
    private volatile boolean running = true;

    Sampler(long periodMillis) {
        this.periodMillis = periodMillis;
        track(CPU, ProcessStats::cpuSeconds);
        thread = new Thread(this::loop, "bench-sampler");
        thread.setDaemon(true);
    }

    /** Adds a quantity; call before {@link #start()}. */
    Sampler track(String name, DoubleSupplier source) {
        sources.put(name, source);
        series.put(name, new Series(name));
        return this;
    }

    Sampler start() {
        sampleOnce();
        thread.start();
        return this;
    }

    /** Seconds since this sampler was made. */
    double now() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    Series series(String name) {
        return series.get(name);
    }

    /** Takes one more sample of everything now (e.g. the moment a job ends). */
    synchronized void sampleOnce() {
        double t = now();
        sources.forEach((name, source) -> series.get(name).add(t, source.getAsDouble()));
    }

    /**
     * Average CPU use in cores between two moments, from the {@value #CPU} samples; a window that
     * ends after the last sample (a moment just taken with {@link #now()}) takes one more first.
     */
    double coresBetween(double fromSeconds, double toSeconds) {
        List<double[]> points = series.get(CPU).points();
        if (points.isEmpty() || points.get(points.size() - 1)[0] < toSeconds) {
            sampleOnce();
        }
        return ProcessStats.cores(series.get(CPU).points(), fromSeconds, toSeconds);
    }

    private void loop() {
        while (running) {
            try {
                Thread.sleep(periodMillis);
            } catch (InterruptedException e) {
                return;
            }
            sampleOnce();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        sampleOnce();
    }
}
