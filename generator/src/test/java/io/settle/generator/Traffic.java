package io.settle.generator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Generated records with the clock reading each was generated at. */
final class Traffic {
    static final Instant START = Instant.parse("2026-11-25T07:00:00Z");

    record Sent(Instant now, GeneratedRecord record) {}

    private Traffic() {}

    /** {@code count} records, the clock starting at {@link #START} and advancing {@code step}. */
    static List<Sent> generate(GeneratorOptions options, int count, Duration step) {
        TrafficGenerator generator = new TrafficGenerator(options);
        List<Sent> out = new ArrayList<>(count);
        Instant now = START;
        for (int i = 0; i < count; i++) {
            out.add(new Sent(now, generator.next(now)));
            now = now.plus(step);
        }
        return out;
    }

    static List<GeneratedRecord> records(List<Sent> sent) {
        List<GeneratedRecord> out = new ArrayList<>(sent.size());
        sent.forEach(s -> out.add(s.record()));
        return out;
    }
}
