package io.settle.generator;

import java.util.List;
import java.util.Map;

/**
 * A tiny JSON writer for the records the generator builds by hand (re-sends written differently,
 * malformed records): maps keep their insertion order, and the spacing is chosen by the caller. It
 * never writes a line break, so every record stays one line.
 */
final class JsonText {

    /** A JSON number (or any other literal) written as it is. */
    record Literal(String text) {}

    /** The blanks written after a colon, after a comma, and around the whole value. */
    record Spacing(String afterColon, String afterComma, String outside) {
        static final Spacing COMPACT = new Spacing("", "", "");

        Spacing {
            for (String s : List.of(afterColon, afterComma, outside)) {
                if (!s.chars().allMatch(c -> c == ' ' || c == '\t')) {
                    throw new IllegalArgumentException("spacing must be spaces and tabs only");
                }
            }
        }
    }

    private JsonText() {}

    static String write(Object value, Spacing spacing) {
        StringBuilder out = new StringBuilder(256).append(spacing.outside());
        append(out, value, spacing);
        return out.append(spacing.outside()).toString();
    }

    private static void append(StringBuilder out, Object value, Spacing spacing) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String) {
            string(out, (String) value);
        } else if (value instanceof Literal) {
            out.append(((Literal) value).text());
        } else if (value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                if (!first) {
                    out.append(',').append(spacing.afterComma());
                }
                first = false;
                string(out, (String) e.getKey());
                out.append(':').append(spacing.afterColon());
                append(out, e.getValue(), spacing);
            }
            out.append('}');
        } else if (value instanceof List) {
            out.append('[');
            boolean first = true;
            for (Object item : (List<?>) value) {
                if (!first) {
                    out.append(',').append(spacing.afterComma());
                }
                first = false;
                append(out, item, spacing);
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException("cannot write " + value.getClass());
        }
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }
}
