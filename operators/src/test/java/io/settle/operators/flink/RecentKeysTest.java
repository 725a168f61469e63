package io.settle.operators.flink;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RecentKeysTest {
    @Test
    void remembersUntilAnotherKeyTakesTheSlotAndNeverAnswersForAKeyItDoesNotHold() {
        RecentKeys keys = new RecentKeys(1); // two slots: collisions are certain
        assertThat(keys.seenElseRemember("a")).isFalse();
        assertThat(keys.seenElseRemember("a")).isTrue();
        for (int i = 0; i < 100; i++) {
            keys.seenElseRemember("k" + i);
        }
        // "a" may have been evicted (then it is a miss), but a hit is always for "a" itself
        keys.put("x", 42);
        assertThat(keys.get("x")).isEqualTo(42);
        assertThat(keys.get("never-seen")).isEqualTo(RecentKeys.ABSENT);
    }

    @Test
    void aFullTableStillGivesCorrectValuesForEveryKeyItHolds() {
        RecentKeys keys = new RecentKeys(4);
        for (int i = 0; i < 1_000; i++) {
            keys.put("key-" + i, i);
        }
        int hits = 0;
        for (int i = 0; i < 1_000; i++) {
            long v = keys.get("key-" + i);
            if (v != RecentKeys.ABSENT) {
                assertThat(v).isEqualTo(i);
                hits++;
            }
        }
        assertThat(hits).isBetween(1, 16);
    }
}
