package io.settle.operators.flink;

/**
 * A small direct-mapped cache of the keys an operator has recently done something idempotent for
 * (registering a timer that already exists is a no-op, but on RocksDB it is not free). A hit skips
 * the repeat; a miss, or an eviction, only repeats the idempotent call. Correctness never depends
 * on it: after a restore it starts empty. Bounded: {@code 2^bits} references.
 */
final class RecentKeys {
    private final String[] slots;
    private final int mask;

    RecentKeys(int bits) {
        slots = new String[1 << bits];
        mask = slots.length - 1;
    }

    /** True when {@code key} is remembered; otherwise remembers it and returns false. */
    boolean seenElseRemember(String key) {
        int h = key.hashCode();
        int slot = (h ^ (h >>> 16)) & mask;
        if (key.equals(slots[slot])) {
            return true;
        }
        slots[slot] = key;
        return false;
    }
}
