package io.settle.operators.codec;

/**
 * The folders of a replay's output (contract §3): JSON Lines files under each, written by the job,
 * read by the report and the tools.
 */
public final class ReplayLayout {
    private ReplayLayout() {}

    public static final String RESULTS = "results";
    public static final String ALERTS = "alerts";
    public static final String DEAD_LETTERS = "dlq";
    public static final String OPEN_BOOK = "open";
}
