package io.settle.deploy;

import org.apache.flink.annotation.docs.Documentation;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.metrics.prometheus.PrometheusReporterFactory;
import org.apache.flink.util.TimeUtils;

import com.fasterxml.jackson.databind.JsonNode;

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
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Which keys a Flink configuration may hold, and whether their values parse: the one check of
 * {@code flink-conf/config.yaml}, the standalone cluster's ({@link #problems(String)}, {@code
 * FlinkConfTest}), and of a FlinkDeployment's {@code flinkConfiguration} ({@link
 * #deploymentProblem}, {@code FlinkConfigurationTest}).
 *
 * <ul>
 *   <li><b>Flink 2.2 keys</b>, found by reflection: every public static {@link ConfigOption} of
 *       every {@code org.apache.flink..*Options} class on the test classpath (Flink core, runtime,
 *       streaming, clients, RocksDB, the Prometheus reporter, the connectors; not the {@code
 *       *OptionsInternal} classes, whose keys are Flink's own business). flink-kubernetes is not
 *       served for 2.2.1, so its {@code kubernetes.*} keys are unknown here and would be refused:
 *       the manifests set none (the operator derives them from the spec). Only an option's current
 *       key counts: a deprecated or fallback key (Flink 1's {@code state.savepoints.dir}) is
 *       refused with the key to use instead. Options documented with a {@link
 *       Documentation.SuffixOption} prefix ({@code metrics.reporter.<name>.factory.class}) match
 *       with any name in place of {@code <name>}.
 *   <li><b>Reporter arguments</b>: a reporter may read its own settings as plain arguments rather
 *       than declare them as options; the Prometheus reporter reads {@code
 *       metrics.reporter.<name>.port} so ({@code PrometheusReporterFactory.ARG_PORT}, taken by
 *       reflection). {@link #REPORTER_ARGUMENTS} lists them; any reporter name matches.
 *   <li><b>Operator keys</b> ({@code kubernetes.operator.*}), in a FlinkDeployment only: the
 *       operator's classes are not served for Flink 2, so {@link #OPERATOR_KEYS} lists, by hand,
 *       the ones Settle sets, each with its type and what it does, from the operator's
 *       configuration reference (release 1.15, KubernetesOperatorConfigOptions).
 *   <li><b>Autoscaler keys</b> ({@code job.autoscaler.*}), in a FlinkDeployment only: every key of
 *       the operator's generated autoscaler reference (release 1.15.0, vendored), with its type, in
 *       {@link #AUTOSCALER_KEYS}.
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
        DOUBLE,
        STRING
    }

    record Allowed(Type type, String doc) {}

    /** The operator keys Settle sets: release 1.15, "Dynamic" section of its reference. */
    static final Map<String, Allowed> OPERATOR_KEYS = new LinkedHashMap<>();

    /** Every autoscaler key of the operator, release 1.15.0, read from its vendored reference. */
    static final Map<String, Allowed> AUTOSCALER_KEYS = autoscalerKeys();

    private static Map<String, Allowed> autoscalerKeys() {
        String html;
        try {
            html = java.nio.file.Files.readString(Repo.AUTOSCALER_OPTIONS);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Map<String, Allowed> keys = new LinkedHashMap<>();
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile(
                                "<h5>(job\\.autoscaler\\.[^<]+)</h5></td>\\s*<td[^>]*>[^<]*</td>\\s*<td>(?:<p>)?([^<]+)")
                        .matcher(html);
        while (m.find()) {
            String type = m.group(2).trim();
            Type t =
                    switch (type) {
                        case "Boolean" -> Type.BOOLEAN;
                        case "Integer" -> Type.INTEGER;
                        case "Duration" -> Type.DURATION;
                        case "Double" -> Type.DOUBLE;
                        default -> Type.STRING; // lists, enums, memory sizes: not checked
                    };
            keys.put(m.group(1), new Allowed(t, "operator 1.15.0 autoscaler option, " + type));
        }
        return keys;
    }

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

    /**
     * Settings reporters read as plain arguments, not as declared options: {@code
     * metrics.reporter.<name>.<argument>}, with the argument's name taken from the reporter's code.
     */
    static final Set<String> REPORTER_ARGUMENTS = Set.of(prometheusPortArgument());

    private static final Pattern REPORTER_ARGUMENT =
            Pattern.compile(
                    "metrics\\.reporter\\.[^.]+\\.("
                            + REPORTER_ARGUMENTS.stream()
                                    .map(Pattern::quote)
                                    .collect(Collectors.joining("|"))
                            + ")");

    private final Map<String, ConfigOption<?>> options;
    private final Map<String, String> deprecated;
    private final List<Pattern> suffixPatterns;
    private final List<String> scannedClasses;

    private FlinkConfigKeys(
            Map<String, ConfigOption<?>> options,
            Map<String, String> deprecated,
            List<Pattern> suffixPatterns,
            List<String> scannedClasses) {
        this.options = options;
        this.deprecated = deprecated;
        this.suffixPatterns = suffixPatterns;
        this.scannedClasses = scannedClasses;
    }

    private static FlinkConfigKeys instance;

    /** The keys of every {@code *Options} class on the classpath (scanned once). */
    static synchronized FlinkConfigKeys scan() {
        if (instance == null) {
            Map<String, ConfigOption<?>> options = new HashMap<>();
            Map<String, String> deprecated = new TreeMap<>();
            List<Pattern> suffixes = new ArrayList<>();
            List<String> scanned = new ArrayList<>();
            for (String className : optionClassNames()) {
                Class<?> c;
                try {
                    c = Class.forName(className, true, FlinkConfigKeys.class.getClassLoader());
                } catch (Throwable e) {
                    continue; // a class whose dependencies are not here declares no key we use
                }
                boolean found = false;
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
                    if (option == null) {
                        continue;
                    }
                    found = true;
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
                if (found) {
                    scanned.add(className);
                }
            }
            // A key that is current somewhere is current, whatever an older option falls back to.
            options.keySet().forEach(deprecated::remove);
            instance = new FlinkConfigKeys(options, deprecated, suffixes, scanned);
        }
        return instance;
    }

    /** How many current Flink keys the scan found (suffix options aside). */
    int size() {
        return options.size();
    }

    /** The options classes that declare at least one key. */
    List<String> scannedClasses() {
        return scannedClasses;
    }

    /** Deprecated and fallback keys, each with the key that replaced it. */
    Map<String, String> replacedKeys() {
        return deprecated;
    }

    boolean isFlinkKey(String key) {
        return options.containsKey(key)
                || suffixPatterns.stream().anyMatch(p -> p.matcher(key).matches());
    }

    /**
     * What is wrong with {@code key: value} in a Flink configuration ({@code config.yaml}), or
     * empty when it is a Flink 2.2 key, a reporter argument or an allowed S3 key, and its value
     * parses. Operator keys are refused: they belong in a FlinkDeployment.
     */
    Optional<String> problem(String key, String value) {
        return check(key, value, false);
    }

    /**
     * What is wrong with {@code key: value} in a FlinkDeployment's {@code flinkConfiguration}: as
     * {@link #problem}, and allowed operator keys are fine too.
     */
    Optional<String> deploymentProblem(String key, String value) {
        return check(key, value, true);
    }

    /** What is wrong with the keys and values of a {@code config.yaml}, one line per key. */
    List<String> problems(String yaml) {
        List<String> problems = new ArrayList<>();
        flatten(yaml).forEach((k, v) -> problem(k, v).ifPresent(problems::add));
        return problems;
    }

    /**
     * The value of {@code key} as Flink reads it (a Duration, a Boolean, an enum, ...), so that
     * {@code 10min} equals {@code 10 min}; the trimmed text for keys without a declared type.
     */
    Object value(String key, String value) {
        ConfigOption<?> option = options.get(key);
        if (option == null) {
            return value.trim();
        }
        Configuration conf = new Configuration();
        conf.setString(key, value);
        return conf.get(option);
    }

    private Optional<String> check(String key, String value, boolean deployment) {
        ConfigOption<?> option = options.get(key);
        if (option != null) {
            try {
                value(key, value);
                return Optional.empty();
            } catch (RuntimeException e) {
                return Optional.of(
                        "'" + key + "': value '" + value + "' does not parse: " + e.getMessage());
            }
        }
        if (suffixPatterns.stream().anyMatch(p -> p.matcher(key).matches())
                || REPORTER_ARGUMENT.matcher(key).matches()) {
            return value.isBlank() ? Optional.of("'" + key + "' is empty") : Optional.empty();
        }
        Allowed allowed = S3_KEYS.get(key);
        if (allowed == null && deployment) {
            allowed = OPERATOR_KEYS.get(key);
        }
        if (allowed == null && deployment) {
            allowed = AUTOSCALER_KEYS.get(key);
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
                            + "' is a deprecated (Flink 1) key: use '"
                            + deprecated.get(key)
                            + "'");
        }
        if (key.startsWith("kubernetes.operator.")) {
            return Optional.of(
                    deployment
                            ? "'"
                                    + key
                                    + "' is not in the documented operator allow-list"
                                    + " (FlinkConfigKeys.OPERATOR_KEYS)"
                            : "'"
                                    + key
                                    + "' is an operator key: it belongs in a FlinkDeployment's"
                                    + " flinkConfiguration");
        }
        return Optional.of("'" + key + "' is not a Flink 2.2 configuration key");
    }

    /**
     * The keys of a YAML configuration with their values as text, nested maps flattened with dots
     * ({@code execution: {checkpointing: {interval: 5s}}} is {@code
     * execution.checkpointing.interval}) and lists joined with ';', as Flink reads them; a
     * duplicated key fails.
     */
    static Map<String, String> flatten(String yaml) {
        JsonNode root;
        try {
            root = Repo.YAML.readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "the configuration does not parse: " + e.getMessage(), e);
        }
        Map<String, String> flat = new LinkedHashMap<>();
        if (root != null && !root.isMissingNode() && !root.isNull()) {
            if (!root.isObject()) {
                throw new IllegalArgumentException(
                        "a configuration must be a map of keys, got " + root.getNodeType());
            }
            flatten("", root, flat);
        }
        return flat;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> into) {
        node.fields()
                .forEachRemaining(
                        f -> {
                            String key = prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey();
                            JsonNode v = f.getValue();
                            if (v.isObject()) {
                                flatten(key, v, into);
                            } else if (v.isArray()) {
                                List<String> items = new ArrayList<>();
                                v.forEach(i -> items.add(i.asText()));
                                into.put(key, String.join(";", items));
                            } else {
                                into.put(key, v.asText());
                            }
                        });
    }

    /** The name of the Prometheus reporter's port argument, from its factory. */
    private static String prometheusPortArgument() {
        try {
            Field f = PrometheusReporterFactory.class.getDeclaredField("ARG_PORT");
            f.setAccessible(true);
            return (String) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(
                    "PrometheusReporterFactory.ARG_PORT is gone: which argument names the port?",
                    e);
        }
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
                case DOUBLE:
                    Double.parseDouble(value);
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
