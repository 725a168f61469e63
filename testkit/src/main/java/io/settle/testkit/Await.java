package io.settle.testkit;

import org.apache.flink.util.function.SupplierWithException;

import java.time.Duration;
import java.util.function.Supplier;

/** Bounded waits that fail loudly, naming what was awaited and how things stood. */
public final class Await {
    private Await() {}

    /** Polls {@code condition} every 100 ms; fails naming {@code what} at the deadline. */
    public static void until(
            Duration timeout,
            Supplier<String> what,
            SupplierWithException<Boolean, Exception> condition)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "Timed out after " + timeout + " waiting for " + what.get());
            }
            Thread.sleep(100);
        }
    }
}
