package io.settle.operators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes the same event content differently: another field order, whitespace, amounts at another
 * scale ({@code "5.0"} for {@code "5.00"}), instants at another UTC offset, an unknown field, legs
 * in another order. A decoder must see the same content in every one of them.
 */
public final class Reserialize {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] OFFSETS = {
        "+05:30", "-03:00", "+01:00", "+00:00", "-11:00", "+14:00"
    };

    private Reserialize() {}

    public static String differently(String canonicalJson, Random r) {
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(canonicalJson);
            JsonNode out = rewrite(node, r);
            if (r.nextBoolean()) {
                ((ObjectNode) out).put("comment", "re-sent by the rail, copy " + r.nextInt(100));
            }
            String text =
                    r.nextBoolean()
                            ? JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out)
                            : JSON.writeValueAsString(out);
            // Pretty printing puts newlines in: a replay line must be one line, a Kafka record need
            // not.
            return text.replace("\n", r.nextBoolean() ? " " : "\t");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode rewrite(JsonNode node, Random r) {
        if (node.isObject()) {
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
            node.fields().forEachRemaining(fields::add);
            Collections.shuffle(fields, r);
            ObjectNode copy = JSON.createObjectNode();
            for (Map.Entry<String, JsonNode> f : fields) {
                copy.set(f.getKey(), rewriteField(f.getKey(), f.getValue(), r));
            }
            return copy;
        }
        if (node.isArray()) {
            List<JsonNode> items = new ArrayList<>();
            node.forEach(n -> items.add(rewrite(n, r)));
            Collections.shuffle(items, r);
            ArrayNode copy = JSON.createArrayNode();
            items.forEach(copy::add);
            return copy;
        }
        return node;
    }

    private static JsonNode rewriteField(String name, JsonNode value, Random r) {
        if (!value.isTextual()) {
            return rewrite(value, r);
        }
        String s = value.asText();
        switch (name) {
            case "amount":
                return JSON.getNodeFactory().textNode(rescale(s, r));
            case "eventTime":
            case "deadline":
                ZoneOffset offset = ZoneOffset.of(OFFSETS[r.nextInt(OFFSETS.length)]);
                return JSON.getNodeFactory()
                        .textNode(
                                Instant.parse(s)
                                        .atOffset(offset)
                                        .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
            default:
                return value;
        }
    }

    /** Drops some trailing fraction zeros, or the whole fraction when it is all zeros. */
    private static String rescale(String amount, Random r) {
        int point = amount.indexOf('.');
        if (point < 0) {
            return amount;
        }
        String s = amount;
        int drop = r.nextInt(3);
        for (int i = 0; i < drop && s.endsWith("0") && s.indexOf('.') < s.length() - 1; i++) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.matches("[0-9]+\\.0+") && r.nextBoolean()) {
            s = s.substring(0, s.indexOf('.'));
        }
        return s;
    }
}
