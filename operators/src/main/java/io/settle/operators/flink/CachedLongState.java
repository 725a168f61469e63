package io.settle.operators.flink;

import org.apache.flink.api.common.state.ValueState;

/**
 * A keyed {@code ValueState<Long>} read through a {@link RecentKeys} cache: a function that writes
 * the state only through here can read it back without RocksDB while the key is remembered. The
 * cache starts empty after a restore, so it never answers for a value it has not seen.
 */
final class CachedLongState {
    /** Remembers "no value" (a cleared state), distinct from "not remembered". */
    private static final long NONE = Long.MIN_VALUE + 1;

    private final ValueState<Long> state;
    private final RecentKeys cache = new RecentKeys(16);

    CachedLongState(ValueState<Long> state) {
        this.state = state;
    }

    /** The current key's value, or null. */
    Long value(String key) throws Exception {
        long known = cache.get(key);
        if (known == RecentKeys.ABSENT) {
            Long value = state.value();
            cache.put(key, value == null ? NONE : value);
            return value;
        }
        return known == NONE ? null : known;
    }

    /** Sets the current key's value; null clears it. */
    void update(String key, Long value) throws Exception {
        if (value == null) {
            state.clear();
        } else {
            state.update(value);
        }
        cache.put(key, value == null ? NONE : value);
    }
}
