package io.settle.jobs.bench;

/** Placeholder, filled in next. */
final class KafkaParts implements AutoCloseable {
    static KafkaParts start(BenchOptions options, BenchReport report) {
        return new KafkaParts();
    }

    void run() {}

    @Override
    public void close() {}
}
