package io.settle.report;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.enumerate.NonSplittingRecursiveEnumerator;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import io.settle.cli.BadOptionException;
import io.settle.operators.codec.ReplayLayout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A replay's output folder: the committed part files under {@code results/}, {@code alerts/},
 * {@code dlq/} and {@code open/} (hidden in-progress files are skipped). A folder the replay did
 * not write (no records of that kind) reads as empty.
 */
public final class ReplayFolderSource implements ReportSource {
    public static final String UID = "report-replay-source";

    private final String folder;

    public ReplayFolderSource(String folder) {
        this.folder = folder;
    }

    /** The output folders that exist; fails naming {@code --replay} when it is not a replay's. */
    List<Path> outputFolders() throws IOException {
        Path root = new Path(folder);
        FileSystem fs = root.getFileSystem();
        if (!fs.exists(root) || !fs.getFileStatus(root).isDir()) {
            throw new BadOptionException(
                    "option '--replay': '" + folder + "' is not a folder (a replay's --output)");
        }
        List<Path> found = new ArrayList<>();
        for (OutputKind kind : OutputKind.values()) {
            Path p = new Path(root, kind.folder());
            if (fs.exists(p) && fs.getFileStatus(p).isDir()) {
                found.add(p);
            }
        }
        FileStatus[] listing = fs.listStatus(root);
        boolean holdsOther = false;
        for (FileStatus f : listing == null ? new FileStatus[0] : listing) {
            String name = f.getPath().getName();
            holdsOther |=
                    !name.equals(ReplayLayout.SUCCESS) && !name.equals(ReplayLayout.INCOMPLETE);
        }
        if (found.isEmpty() && holdsOther) {
            throw new BadOptionException(
                    "option '--replay': '"
                            + folder
                            + "' holds none of results/, alerts/, dlq/, open/: not a replay's output");
        }
        if (!fs.exists(new Path(root, ReplayLayout.SUCCESS))) {
            throw new BadOptionException(
                    "option '--replay': '"
                            + folder
                            + "' is not a complete replay: it has no "
                            + ReplayLayout.SUCCESS
                            + " marker (the replay failed, was cancelled or still runs"
                            + (fs.exists(new Path(root, ReplayLayout.INCOMPLETE))
                                    ? "; " + ReplayLayout.INCOMPLETE + " says when it started"
                                    : "")
                            + ")");
        }
        return found;
    }

    @Override
    public DataStream<RawOutput> outputs(StreamExecutionEnvironment env) {
        List<Path> folders;
        try {
            folders = outputFolders();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + folder, e);
        }
        FileSource<RawOutput> source =
                folders.isEmpty()
                        // Nothing was written: a source over the folder that reads no file.
                        ? FileSource.forBulkFileFormat(new OutputLinesFormat(), new Path(folder))
                                .setFileEnumerator(
                                        () -> new NonSplittingRecursiveEnumerator(p -> false))
                                .build()
                        : FileSource.forBulkFileFormat(
                                        new OutputLinesFormat(), folders.toArray(new Path[0]))
                                .build();
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "Files: " + folder)
                .uid(UID);
    }

    @Override
    public String mode() {
        return "replay";
    }

    @Override
    public String location() {
        return folder;
    }
}
