package io.settle.operators.flink;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Which settlements of this subtask have events waiting for the watermark, and from which
 * millisecond the earliest of them is due: an in-memory index, so a rising watermark finds the
 * settlements to apply without a timer per event. Kept across failures in the operator's state
 * (every entry, at each checkpoint) and rebuilt from it on restore.
 */
final class PendingIndex {
    private record Entry(long due, String key) {}

    private final Map<String, Long> earliest = new HashMap<>();
    private final PriorityQueue<Entry> queue =
            new PriorityQueue<>((a, b) -> Long.compare(a.due, b.due));

    /** {@code key} has an event due from millisecond {@code due} on. */
    void add(String key, long due) {
        Long known = earliest.get(key);
        if (known == null || due < known) {
            earliest.put(key, due);
            queue.add(new Entry(due, key));
        }
    }

    /** Removes and returns the keys with an event due at or before {@code watermark}. */
    List<String> pollDue(long watermark) {
        List<String> due = new ArrayList<>();
        Entry e;
        while ((e = queue.peek()) != null && e.due <= watermark) {
            queue.poll();
            Long current = earliest.get(e.key);
            if (current != null && current == e.due) {
                earliest.remove(e.key);
                due.add(e.key);
            }
        }
        return due;
    }

    boolean isEmpty() {
        return earliest.isEmpty();
    }

    int size() {
        return earliest.size();
    }

    /** Every key with its earliest due millisecond, for the operator's snapshot. */
    Map<String, Long> entries() {
        return earliest;
    }

    void clear() {
        earliest.clear();
        queue.clear();
    }
}
