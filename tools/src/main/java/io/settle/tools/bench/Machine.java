package io.settle.tools.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the bench ran on, and whether the machine was busy with something else: a run on a machine
 * shared with other builds gives figures that are not to be quoted, and the report says so.
 */
final class Machine {
    private Machine() {}

    /** A one-minute load average above this, before the bench starts, is someone else's work. */
    static final double QUIET_LOAD = 0.5;

    static Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpu", cpuModel());
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("memory_gib", BenchReport.round(memTotalBytes() / (1024.0 * 1024 * 1024)));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put(
                "java",
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.put("heap_max_mib", ProcessStats.heapMax() / (1024 * 1024));
        m.put("flink", org.apache.flink.runtime.util.EnvironmentInformation.getVersion());
        return m;
    }

    /** The one-minute load average, or NaN off Linux. */
    static double loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return Double.parseDouble(f[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Other Java processes on this machine (not this one, nor its children): their commands. */
    static List<String> otherJvms() {
        long self = ProcessHandle.current().pid();
        List<String> others = new ArrayList<>();
        ProcessHandle.allProcesses()
                .filter(p -> p.pid() != self)
                .filter(p -> p.parent().map(q -> q.pid() != self).orElse(true))
                .forEach(
                        p -> {
                            Optional<String> cmd = p.info().command();
                            if (cmd.isPresent() && cmd.get().endsWith("/java")) {
                                String line = p.info().commandLine().orElse(cmd.get());
                                others.add(p.pid() + " " + abbreviate(line));
                            }
                        });
        return others;
    }

    /** A description of what else is running, or null when the machine looks quiet. */
    static String contention() {
        double load = loadAverage();
        List<String> jvms = otherJvms();
        if (load <= QUIET_LOAD && jvms.isEmpty()) {
            return null;
        }
        return String.format(
                Locale.ROOT, "load average %.2f, %d other JVM(s) running", load, jvms.size());
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    private static long memTotalBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return ((com.sun.management.OperatingSystemMXBean)
                        ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
    }
}
