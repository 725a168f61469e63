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

    /**
     * The marker of a complete replay, written when the job has finished and its files are
     * committed: a JSON object of the counts (records read, results, alerts, dead letters, open)
     * and the clock's end. The report refuses a folder without it.
     */
    public static final String SUCCESS = "_SUCCESS";

    /** The marker of a replay that started and has not finished (it runs, or it failed). */
    public static final String INCOMPLETE = "_INCOMPLETE";
}
