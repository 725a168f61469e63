package io.settle.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** JSON Lines as tests compare them: sorted, parsed, searched for duplicates. */
public final class JsonLines {
    private JsonLines() {}

    public static final ObjectMapper JSON = new ObjectMapper();

    public static List<String> sorted(List<String> lines) {
        List<String> copy = new ArrayList<>(lines);
        Collections.sort(copy);
        return copy;
    }

    /** Each item as a line of JSON, sorted. */
    public static <T> List<String> of(List<T> items, Function<T, String> json) {
        List<String> lines = new ArrayList<>(items.size());
        items.forEach(i -> lines.add(json.apply(i)));
        return sorted(lines);
    }

    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    /** The values of {@code field} that occur more than once in the lines, sorted. */
    public static List<String> duplicates(List<String> lines, String field) {
        Map<String, Integer> counts = new HashMap<>();
        for (String line : lines) {
            counts.merge(parse(line).path(field).asText(), 1, Integer::sum);
        }
        List<String> dups = new ArrayList<>();
        counts.forEach(
                (value, n) -> {
                    if (n > 1) {
                        dups.add(value + " x" + n);
                    }
                });
        return sorted(dups);
    }
}
