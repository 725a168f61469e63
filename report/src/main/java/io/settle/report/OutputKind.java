package io.settle.report;

import io.settle.operators.codec.ReplayLayout;

/** The four outputs of the job a report reads, with their replay folder names. */
public enum OutputKind {
    RESULT(ReplayLayout.RESULTS),
    ALERT(ReplayLayout.ALERTS),
    DEAD_LETTER(ReplayLayout.DEAD_LETTERS),
    OPEN(ReplayLayout.OPEN_BOOK);

    private final String folder;

    OutputKind(String folder) {
        this.folder = folder;
    }

    /** The folder of a replay's output that holds this kind: results, alerts, dlq, open. */
    public String folder() {
        return folder;
    }

    /** The kind a replay output folder holds; null for any other folder. */
    public static OutputKind ofFolder(String name) {
        for (OutputKind k : values()) {
            if (k.folder.equals(name)) {
                return k;
            }
        }
        return null;
    }
}
