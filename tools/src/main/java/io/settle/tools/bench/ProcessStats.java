package io.settle.tools.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** This process's CPU time, heap and resident set size, as the JVM and Linux report them. */
final class ProcessStats {
    private ProcessStats() {}

    /** CPU seconds this process has used (every thread, user and system). */
    static double cpuSeconds() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean) {
            return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }

    private static final java.util.Map<Long, Long> BENCH_THREAD_NANOS =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * CPU seconds this process has used but for the bench's own threads (those named {@code
     * bench-...}: the latency probe's readers, the sampler, the load reporters): with the broker
     * and the generator in processes of their own, that is the job's CPU, its garbage collection,
     * JIT and RocksDB's native threads included. A bench thread's CPU is remembered as last seen,
     * so one that ends does not give its time back to the job.
     */
    static synchronized double jobCpuSeconds() {
        double process = cpuSeconds();
        var threads = ManagementFactory.getThreadMXBean();
        for (var info : threads.getThreadInfo(threads.getAllThreadIds(), 0)) {
            if (info != null && info.getThreadName().startsWith("bench-")) {
                long nanos = threads.getThreadCpuTime(info.getThreadId());
                if (nanos > 0) {
                    BENCH_THREAD_NANOS.merge(info.getThreadId(), nanos, Math::max);
                }
            }
        }
        long bench = 0;
        for (long n : BENCH_THREAD_NANOS.values()) {
            bench += n;
        }
        return process - bench / 1e9;
    }

    /**
     * Average cores used between two moments, from samples of {@link #cpuSeconds()}: the CPU
     * seconds used in the window over its length, interpolated at its ends.
     */
    static double cores(List<double[]> cpuSamples, double fromSeconds, double toSeconds) {
        if (!(toSeconds > fromSeconds)) {
            return Double.NaN;
        }
        double a = valueAt(cpuSamples, fromSeconds);
        double b = valueAt(cpuSamples, toSeconds);
        return (b - a) / (toSeconds - fromSeconds);
    }

    /** A sampled quantity at {@code t}, linearly interpolated; NaN outside the samples. */
    static double valueAt(List<double[]> samples, double t) {
        for (int i = 1; i < samples.size(); i++) {
            double[] p = samples.get(i - 1);
            double[] q = samples.get(i);
            if (t >= p[0] && t <= q[0]) {
                return q[0] == p[0] ? q[1] : p[1] + (q[1] - p[1]) * (t - p[0]) / (q[0] - p[0]);
            }
        }
        return Double.NaN;
    }

    /** Heap in use after a full collection, in bytes. */
    static long heapUsedAfterGc() {
        System.gc();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return heap.getUsed();
    }

    /** The largest heap this JVM may grow to, in bytes. */
    static long heapMax() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();
    }

    /** Resident set size of a process in bytes ({@code VmRSS} of /proc), or -1 where unknown. */
    static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    static long rssBytes() {
        return rssBytes(ProcessHandle.current().pid());
    }
}
