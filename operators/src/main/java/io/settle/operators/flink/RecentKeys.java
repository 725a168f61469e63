package io.settle.operators.flink;

/**
 * A small direct-mapped cache of what an operator recently knew about a key: that it registered an
 * idempotent timer (repeating it is a no-op, but on RocksDB not a free one), or the value of a
 * small piece of its own state, saving a read. A miss only costs the call or the read it stands
 * for; correctness never depends on a hit. It is not checkpointed: after a restore it starts empty.
 * Bounded: {@code 2^bits} entries.
 */
final class RecentKeys {
    static final long ABSENT = Long.MIN_VALUE;

    private final String[] keys;
    private final long[] values;
    private final int mask;

    RecentKeys(int bits) {
        keys = new String[1 << bits];
        values = new long[keys.length];
        mask = keys.length - 1;
    }

    private int slot(String key) {
        int h = key.hashCode();
        return (h ^ (h >>> 16)) & mask;
    }

    /** True when {@code key} is remembered; otherwise remembers it and returns false. */
    boolean seenElseRemember(String key) {
        int slot = slot(key);
        if (key.equals(keys[slot])) {
            return true;
        }
        keys[slot] = key;
        return false;
    }

    /** The value remembered for {@code key}, or {@link #ABSENT}. */
    long get(String key) {
        int slot = slot(key);
        return key.equals(keys[slot]) ? values[slot] : ABSENT;
    }

    void put(String key, long value) {
        int slot = slot(key);
        keys[slot] = key;
        values[slot] = value;
    }
}
