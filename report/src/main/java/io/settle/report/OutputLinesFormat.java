package io.settle.report;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.ArrayResultIterator;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.core.fs.Path;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The job's replay outputs as JSON Lines: one {@link RawOutput} a non-blank line, its kind from the
 * folder the file is in ({@code results/}, {@code alerts/}, {@code dlq/}, {@code open/}) and its
 * origin {@code file:line}. Files are not split.
 */
public class OutputLinesFormat implements BulkFormat<RawOutput, FileSourceSplit> {
    private static final long serialVersionUID = 1L;
    private static final int BATCH = 256;

    @Override
    public Reader<RawOutput> createReader(Configuration config, FileSourceSplit split)
            throws IOException {
        return restoreReader(config, split);
    }

    @Override
    public Reader<RawOutput> restoreReader(Configuration config, FileSourceSplit split)
            throws IOException {
        Path path = split.path();
        OutputKind kind = OutputKind.ofFolder(path.getParent().getName());
        if (kind == null) {
            throw new IOException("not in an output folder of a replay: " + path);
        }
        BufferedReader in =
                new BufferedReader(
                        new InputStreamReader(
                                path.getFileSystem().open(path), StandardCharsets.UTF_8),
                        64 * 1024);
        long skip =
                split.getReaderPosition()
                        .map(CheckpointedPosition::getRecordsAfterOffset)
                        .orElse(0L);
        LinesReader reader = new LinesReader(in, kind, path.toString());
        for (long i = 0; i < skip && reader.next() != null; i++) {
            // skip what was read before a restore
        }
        reader.emitted = skip;
        return reader;
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<RawOutput> getProducedType() {
        return TypeInformation.of(RawOutput.class);
    }

    private static final class LinesReader implements Reader<RawOutput> {
        private final BufferedReader in;
        private final OutputKind kind;
        private final String file;
        private long line;
        private long emitted;

        LinesReader(BufferedReader in, OutputKind kind, String file) {
            this.in = in;
            this.kind = kind;
            this.file = file;
        }

        RawOutput next() throws IOException {
            String text;
            while ((text = in.readLine()) != null) {
                line++;
                if (!text.isBlank()) {
                    return RawOutput.line(kind, text, file + ":" + line);
                }
            }
            return null;
        }

        @Override
        public RecordIterator<RawOutput> readBatch() throws IOException {
            RawOutput[] batch = new RawOutput[BATCH];
            int n = 0;
            RawOutput r;
            while (n < BATCH && (r = next()) != null) {
                batch[n++] = r;
            }
            if (n == 0) {
                return null;
            }
            ArrayResultIterator<RawOutput> it = new ArrayResultIterator<>();
            it.set(batch, n, CheckpointedPosition.NO_OFFSET, emitted);
            emitted += n;
            return it;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
