package io.settle.deploy;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads: bare {@code flink_*} selectors, and {@code
 * __name__="..."} or {@code __name__=~"..."} matchers (kept as anchored regular expressions, as
 * PromQL anchors them). Quoted strings are left out first, so a label_replace pattern such as
 * {@code "flink_..._alerts_(.+)"} is not mistaken for a name. Every metric Settle reads starts with
 * {@code flink_}; {@link #otherIdentifiers} finds selectors of anything else.
 */
final class PromQl {
    private PromQl() {}

    private static final Pattern STRING =
            Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'");
    private static final Pattern NAME_MATCHER =
            Pattern.compile("__name__\\s*(=~|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern FLINK_NAME =
            Pattern.compile("(?<![A-Za-z0-9_:])(flink_[A-Za-z0-9_:]+)");

    /** A selector: an identifier directly followed by a label matcher list. */
    private static final Pattern SELECTOR =
            Pattern.compile("(?<![A-Za-z0-9_:$])([A-Za-z_:][A-Za-z0-9_:]*)\\s*\\{");

    record Names(Set<String> exact, Set<Pattern> patterns) {
        boolean isEmpty() {
            return exact.isEmpty() && patterns.isEmpty();
        }
    }

    static Names names(String expr) {
        Set<String> exact = new LinkedHashSet<>();
        Set<Pattern> patterns = new LinkedHashSet<>();
        Matcher m = NAME_MATCHER.matcher(expr);
        while (m.find()) {
            if (m.group(1).equals("=")) {
                exact.add(m.group(2));
            } else {
                patterns.add(Pattern.compile(m.group(2).replace("\\\\", "\\")));
            }
        }
        Matcher n = FLINK_NAME.matcher(withoutStrings(expr));
        while (n.find()) {
            exact.add(n.group(1));
        }
        return new Names(exact, patterns);
    }

    /** Selector names that are not Flink's: a sign of a metric this project does not export. */
    static Set<String> otherIdentifiers(String expr) {
        Set<String> others = new LinkedHashSet<>();
        Matcher m = SELECTOR.matcher(withoutStrings(expr));
        while (m.find()) {
            if (!m.group(1).startsWith("flink_")) {
                others.add(m.group(1));
            }
        }
        return others;
    }

    static String withoutStrings(String expr) {
        return STRING.matcher(expr).replaceAll("\"\"");
    }
}
