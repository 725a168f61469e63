package io.settle.deploy;

import org.apache.flink.annotation.docs.Documentation;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.util.TimeUtils;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which keys a {@code flinkConfiguration} may hold, and whether their values parse.
 *
 * <ul>
 *   <li><b>Flink 2.2 keys</b>, found by reflection: every public static {@link ConfigOption} of
 *       every {@code org.apache.flink..*Options} class on the test classpath (Flink core, runtime,
 *       streaming, RocksDB, the Prometheus reporter, the connectors). flink-kubernetes is not
 *       served for 2.2.1, so its {@code kubernetes.*} keys are unknown here and would be refused:
 *       the manifests set none (the operator derives them from the spec). Only an option's current
 *       key counts: a deprecated or fallback key (Flink 1's {@code state.savepoints.dir}) is
 *       refused with the key to use instead. Options documented with a {@link
 *       Documentation.SuffixOption} prefix ({@code metrics.reporter.<name>.factory.class}) match
 *       with any name in place of {@code <name>}.
 *   <li><b>Operator keys</b> ({@code kubernetes.operator.*}): the operator's classes are not served
 *       for Flink 2, so {@link #OPERATOR_KEYS} lists, by hand, the ones Settle sets, each with its
 *       type and what it does, from the operator's configuration reference (release 1.15,
 *       KubernetesOperatorConfigOptions).
 *   <li><b>S3 filesystem keys</b>: the S3 plugins pass {@code s3.*} keys through to their S3 client
 *       ({@code fs.s3a.*} for flink-s3-fs-hadoop) without declaring them as options, so {@link
 *       #S3_KEYS} lists the ones Settle sets, from Flink's "Amazon S3" filesystem page.
 * </ul>
 */
final class FlinkConfigKeys {

    /** A key's value type, for the keys reflection cannot see. */
    enum Type {
        BOOLEAN,
        INTEGER,
        DURATION,
        /** A duration, or a Quartz cron expression (the operator's periodic triggers). */
        DURATION_OR_CRON,
        STRING
    }

    record Allowed(Type type, String doc) {}

    /** The operator keys Settle sets: release 1.15, "Dynamic" section of its reference. */
    static final Map<String, Allowed> OPERATOR_KEYS = new LinkedHashMap<>();

    /** The S3 client keys Settle sets, passed through by the S3 filesystem plugins. */
    static final Map<String, Allowed> S3_KEYS = new LinkedHashMap<>();

    static {
        OPERATOR_KEYS.put(
                "kubernetes.operator.job.upgrade.last-state-fallback.enabled",
                new Allowed(
                        Type.BOOLEAN,
                        "Whether a savepoint upgrade may fall back to the last checkpoint (HA"
                                + " metadata) when the job is not running; default true."));
        OPERATOR_KEYS.put(
                "kubernetes.operator.periodic.savepoint.interval",
                new Allowed(
                        Type.DURATION_OR_CRON,
                        "Periodic savepoints: a duration or a Quartz cron expression; empty is"
                                + " off."));
        OPERATOR_KEYS.put(
                "kubernetes.operator.savepoint.history.max.count",
                new Allowed(
                        Type.INTEGER,
                        "The most savepoint FlinkStateSnapshot resources kept; default 10."));
        OPERATOR_KEYS.put(
                "kubernetes.operator.savepoint.history.max.age",
                new Allowed(
                        Type.DURATION,
                        "The oldest savepoint FlinkStateSnapshot resource kept; default 24 h."));
        OPERATOR_KEYS.put(
                "kubernetes.operator.deployment.rollback.enabled",
                new Allowed(
                        Type.BOOLEAN,
                        "Roll a spec change that does not become ready back to the last stable"
                                + " spec; default false."));
        OPERATOR_KEYS.put(
                "kubernetes.operator.deployment.readiness.timeout",
                new Allowed(
                        Type.DURATION,
                        "How long a changed deployment may take to become ready before it is"
                                + " rolled back; default 5 min."));
        S3_KEYS.put(
                "s3.endpoint",
                new Allowed(
                        Type.STRING,
                        "The S3 endpoint of an S3-compatible store (fs.s3a.endpoint)."));
        S3_KEYS.put(
                "s3.path.style.access",
                new Allowed(
                        Type.BOOLEAN,
                        "Path-style addressing, which most S3-compatible stores need"
                                + " (fs.s3a.path.style.access)."));
    }

    private final Map<String, ConfigOption<?>> options;
    private final Map<String, String> deprecated;
    private final List<Pattern> suffixPatterns;

    private FlinkConfigKeys(
            Map<String, ConfigOption<?>> options,
            Map<String, String> deprecated,
            List<Pattern> suffixPatterns) {
        this.options = options;
        this.deprecated = deprecated;
        this.suffixPatterns = suffixPatterns;
    }

    private static FlinkConfigKeys instance;

    /** The keys of every {@code *Options} class on the classpath (scanned once). */
    static synchronized FlinkConfigKeys scan() {
        if (instance == null) {
            Map<String, ConfigOption<?>> options = new HashMap<>();
            Map<String, String> deprecated = new HashMap<>();
            List<Pattern> suffixes = new ArrayList<>();
            for (String className : optionClassNames()) {
                Class<?> c;
                try {
                    c = Class.forName(className, true, FlinkConfigKeys.class.getClassLoader());
                } catch (Throwable e) {
                    continue; // a class whose dependencies are not here declares no key we use
                }
                for (Field f : c.getFields()) {
                    if (!Modifier.isStatic(f.getModifiers())
                            || !ConfigOption.class.isAssignableFrom(f.getType())) {
                        continue;
                    }
                    ConfigOption<?> option;
                    try {
                        option = (ConfigOption<?>) f.get(null);
                    } catch (IllegalAccessException e) {
                        continue;
                    }
                    Documentation.SuffixOption suffix =
                            f.getAnnotation(Documentation.SuffixOption.class);
                    if (suffix != null) {
                        suffixes.add(
                                Pattern.compile(
                                        Pattern.quote(suffix.value() + "." + option.key())
                                                .replace("<name>", "\\E[^.]+\\Q")));
                        continue;
                    }
                    options.put(option.key(), option);
                    for (FallbackKey fallback : option.fallbackKeys()) {
                        deprecated.putIfAbsent(fallback.getKey(), option.key());
                    }
                }
            }
            options.keySet().forEach(deprecated::remove);
            instance = new FlinkConfigKeys(options, deprecated, suffixes);
        }
        return instance;
    }

    int size() {
        return options.size();
    }

    boolean isFlinkKey(String key) {
        return options.containsKey(key)
                || suffixPatterns.stream().anyMatch(p -> p.matcher(key).matches());
    }

    /**
     * What is wrong with {@code key: value} in a flinkConfiguration, or empty when it is a Flink
     * 2.2 key, an allowed operator key or an allowed S3 key, and its value parses.
     */
    Optional<String> problem(String key, String value) {
        ConfigOption<?> option = options.get(key);
        if (option != null) {
            Configuration conf = new Configuration();
            conf.setString(key, value);
            try {
                conf.get(option);
                return Optional.empty();
            } catch (RuntimeException e) {
                return Optional.of(
                        "'" + key + "': value '" + value + "' does not parse: " + e.getMessage());
            }
        }
        if (suffixPatterns.stream().anyMatch(p -> p.matcher(key).matches())) {
            return value.isBlank() ? Optional.of("'" + key + "' is empty") : Optional.empty();
        }
        Allowed allowed = OPERATOR_KEYS.get(key);
        if (allowed == null) {
            allowed = S3_KEYS.get(key);
        }
        if (allowed != null) {
            return parses(allowed.type(), value)
                    ? Optional.empty()
                    : Optional.of(
                            "'" + key + "': value '" + value + "' is not a " + allowed.type());
        }
        if (deprecated.containsKey(key)) {
            return Optional.of(
                    "'"
                            + key
                            + "' is not a Flink 2.2 key (a deprecated or Flink 1 name): use '"
                            + deprecated.get(key)
                            + "'");
        }
        if (key.startsWith("kubernetes.operator.")) {
            return Optional.of(
                    "'"
                            + key
                            + "' is not in the documented operator allow-list"
                            + " (FlinkConfigKeys.OPERATOR_KEYS)");
        }
        return Optional.of("'" + key + "' is not a Flink 2.2 configuration key");
    }

    private static boolean parses(Type type, String value) {
        try {
            switch (type) {
                case BOOLEAN:
                    return value.equals("true") || value.equals("false");
                case INTEGER:
                    Integer.parseInt(value);
                    return true;
                case DURATION:
                    TimeUtils.parseDuration(value);
                    return true;
                case DURATION_OR_CRON:
                    if (value.trim().split("\\s+").length >= 6) {
                        return true; // Quartz: seconds minutes hours day month weekday [year]
                    }
                    TimeUtils.parseDuration(value);
                    return true;
                default:
                    return !value.isBlank();
            }
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Class names ending in Options (and nested ones) under org/apache/flink on the classpath. */
    private static List<String> optionClassNames() {
        TreeSet<String> names = new TreeSet<>();
        Consumer<String> add =
                entry -> {
                    if (entry.startsWith("org/apache/flink/")
                            && !entry.startsWith("org/apache/flink/shaded/")
                            && entry.endsWith("Options.class")) {
                        names.add(
                                entry.substring(0, entry.length() - ".class".length())
                                        .replace('/', '.'));
                    }
                };
        // Surefire starts tests through a manifest-only jar and passes the real path on its own.
        String classPath =
                System.getProperty(
                        "surefire.test.class.path", System.getProperty("java.class.path"));
        for (String element : classPath.split(File.pathSeparator)) {
            Path p = Path.of(element);
            if (Files.isDirectory(p)) {
                try (Stream<Path> files = Files.walk(p)) {
                    files.forEach(f -> add.accept(p.relativize(f).toString().replace('\\', '/')));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else if (p.toString().endsWith(".jar") && Files.isRegularFile(p)) {
                try (JarFile jar = new JarFile(p.toFile())) {
                    Enumeration<JarEntry> entries = jar.entries();
                    while (entries.hasMoreElements()) {
                        add.accept(entries.nextElement().getName());
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return new ArrayList<>(names);
    }
}
