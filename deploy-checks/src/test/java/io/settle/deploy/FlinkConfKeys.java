package io.settle.deploy;

import org.apache.flink.client.cli.CliFrontend;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.metrics.prometheus.PrometheusReporterFactory;
import org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;

/**
 * The configuration keys Flink 2.2 knows, collected by reflection from the {@code ConfigOption}
 * constants of its options classes on the classpath (every {@code *Options} class and every class
 * of {@code org.apache.flink.configuration} in the jars of Flink's core, runtime, streaming,
 * clients, RocksDB backend and Prometheus reporter), and a check of a {@code config.yaml} against
 * them: a key is fine when it is a current key, or matches {@code metrics.reporter.<name>.<option>}
 * (the reporters' own options). A deprecated or fallback key (a Flink 1 name such as {@code
 * state.savepoints.dir}) is reported with the key that replaced it.
 */
final class FlinkConfKeys {
    /** A reporter's options: {@code metrics.reporter.<name>.<anything>}. */
    static final Pattern REPORTER_KEY = Pattern.compile("metrics\\.reporter\\.[A-Za-z0-9_-]+\\..+");

    /** Classes whose jars are scanned: one per Flink jar a cluster of ours runs on. */
    private static final List<Class<?>> ANCHORS =
            List.of(
                    CoreOptions.class, // flink-core: org.apache.flink.configuration.*
                    StandaloneSessionClusterEntrypoint.class, // flink-runtime
                    StreamExecutionEnvironment.class, // flink-streaming-java
                    CliFrontend.class, // flink-clients
                    RocksDBOptions.class, // flink-statebackend-rocksdb
                    PrometheusReporterFactory.class); // flink-metrics-prometheus

    private final Map<String, String> current = new TreeMap<>();
    private final Map<String, String> replacedBy = new TreeMap<>();
    private final List<String> scannedClasses = new ArrayList<>();

    private FlinkConfKeys() {}

    /** Scans the options classes on the classpath. */
    static FlinkConfKeys scan() throws IOException {
        FlinkConfKeys keys = new FlinkConfKeys();
        for (Class<?> anchor : ANCHORS) {
            keys.scanJar(jarOf(anchor));
        }
        // A key that is current somewhere is current, whatever an older option falls back to.
        keys.replacedBy.keySet().removeAll(keys.current.keySet());
        return keys;
    }

    private static Path jarOf(Class<?> anchor) {
        try {
            return Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the jar of " + anchor, e);
        }
    }

    private void scanJar(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                String name = entries.nextElement().getName();
                if (!name.endsWith(".class") || name.contains("$")) {
                    continue;
                }
                String className = name.substring(0, name.length() - 6).replace('/', '.');
                boolean optionsClass =
                        className.endsWith("Options")
                                || className.startsWith("org.apache.flink.configuration.");
                if (optionsClass) {
                    scanClass(className);
                }
            }
        }
    }

    private void scanClass(String className) {
        Class<?> c;
        try {
            c = Class.forName(className, false, FlinkConfKeys.class.getClassLoader());
        } catch (Throwable e) { // a class whose dependencies are not here holds no key we need
            return;
        }
        boolean found = false;
        Field[] fields;
        try {
            fields = c.getFields();
        } catch (Throwable e) {
            return;
        }
        for (Field f : fields) {
            if (!Modifier.isStatic(f.getModifiers())
                    || !ConfigOption.class.isAssignableFrom(f.getType())) {
                continue;
            }
            ConfigOption<?> option;
            try {
                option = (ConfigOption<?>) f.get(null);
            } catch (Throwable e) {
                continue;
            }
            if (option == null) {
                continue;
            }
            found = true;
            current.put(option.key(), className + "." + f.getName());
            for (FallbackKey fallback : option.fallbackKeys()) {
                replacedBy.putIfAbsent(fallback.getKey(), option.key());
            }
        }
        if (found) {
            scannedClasses.add(className);
        }
    }

    /** Every current key and the constant it comes from. */
    Map<String, String> currentKeys() {
        return current;
    }

    /** Deprecated and fallback keys, with the key that replaced each. */
    Map<String, String> replacedKeys() {
        return replacedBy;
    }

    List<String> scannedClasses() {
        return scannedClasses;
    }

    /** The keys of a YAML document, nested maps flattened with dots. */
    static List<String> keysOf(String yaml) throws IOException {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        List<String> keys = new ArrayList<>();
        if (root != null && !root.isMissingNode() && !root.isNull()) {
            if (!root.isObject()) {
                throw new IOException(
                        "config.yaml must be a map of keys, got " + root.getNodeType());
            }
            flatten("", root, keys);
        }
        return keys;
    }

    private static void flatten(String prefix, JsonNode node, List<String> into) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String key = prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey();
            if (f.getValue().isObject()) {
                flatten(key, f.getValue(), into);
            } else {
                into.add(key);
            }
        }
    }

    /** What is wrong with the keys of {@code yaml}, one line per key; empty when all is well. */
    List<String> problems(String yaml) throws IOException {
        List<String> problems = new ArrayList<>();
        for (String key : keysOf(yaml)) {
            if (current.containsKey(key)) {
                continue;
            }
            if (replacedBy.containsKey(key)) {
                problems.add(
                        "'"
                                + key
                                + "' is a deprecated (Flink 1) key: use '"
                                + replacedBy.get(key)
                                + "'");
            } else if (REPORTER_KEY.matcher(key).matches()) {
                continue;
            } else {
                problems.add("'" + key + "' is not a Flink 2.2 configuration key");
            }
        }
        return problems;
    }
}
