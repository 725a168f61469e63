package io.settle.jobs;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.ArrayResultIterator;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.core.fs.Path;

import io.settle.operators.codec.EventCodec;
import io.settle.operators.model.DeadLetter;
import io.settle.operators.model.Origin;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * JSON Lines for replay: one record a line, decoded where it is read, so dead letters carry the
 * file and its 1-based physical line number. Lines are read as bytes (a line need not be valid
 * UTF-8 to be dead-lettered), a trailing {@code \r} is dropped, blank lines are not records, and a
 * line over the record limit is never held whole. Files are not split, so line numbers count from
 * the start of each file, also after a restore (the reader re-reads up to its position).
 */
public class EventLinesFormat implements BulkFormat<Decoded, FileSourceSplit> {
    private static final long serialVersionUID = 1L;
    private static final int BATCH = 256;

    @Override
    public BulkFormat.Reader<Decoded> createReader(Configuration config, FileSourceSplit split)
            throws IOException {
        return restoreReader(config, split);
    }

    @Override
    public BulkFormat.Reader<Decoded> restoreReader(Configuration config, FileSourceSplit split)
            throws IOException {
        Path path = split.path();
        LineReader lines = new LineReader(path.getFileSystem().open(path), path.toString());
        long skip =
                split.getReaderPosition()
                        .map(CheckpointedPosition::getRecordsAfterOffset)
                        .orElse(0L);
        for (long i = 0; i < skip; i++) {
            if (lines.read() == null) {
                break;
            }
        }
        return new BatchReader(lines, skip);
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<Decoded> getProducedType() {
        return TypeInformation.of(Decoded.class);
    }

    private static final class BatchReader implements BulkFormat.Reader<Decoded> {
        private final LineReader lines;
        private long emitted;

        BatchReader(LineReader lines, long emitted) {
            this.lines = lines;
            this.emitted = emitted;
        }

        @Override
        public BulkFormat.RecordIterator<Decoded> readBatch() throws IOException {
            Decoded[] batch = new Decoded[BATCH];
            int n = 0;
            Decoded d;
            while (n < BATCH && (d = lines.read()) != null) {
                batch[n++] = d;
            }
            if (n == 0) {
                return null;
            }
            ArrayResultIterator<Decoded> it = new ArrayResultIterator<>();
            it.set(batch, n, CheckpointedPosition.NO_OFFSET, emitted);
            emitted += n;
            return it;
        }

        @Override
        public void close() throws IOException {
            lines.close();
        }
    }

    /** The line reader; public for tests. */
    public static final class LineReader implements java.io.Closeable {
        private final InputStream in;
        private final String file;
        private final EventCodec codec = new EventCodec();
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(512);
        private long lineNumber;

        public LineReader(InputStream in, String file) {
            this.in = new BufferedInputStream(in, 64 * 1024);
            this.file = file;
        }

        /** The next record, or null at the end of the file. */
        public Decoded read() throws IOException {
            while (true) {
                line.reset();
                long size = 0;
                int b;
                while ((b = in.read()) != -1 && b != '\n') {
                    if (size <= EventCodec.MAX_RECORD_BYTES) {
                        line.write(b);
                    }
                    size++;
                }
                if (b == -1 && size == 0) {
                    return null;
                }
                lineNumber++;
                byte[] bytes = line.toByteArray();
                if (size <= EventCodec.MAX_RECORD_BYTES + 1
                        && bytes.length > 0
                        && bytes[bytes.length - 1] == '\r') {
                    size--;
                    bytes = Arrays.copyOf(bytes, bytes.length - 1);
                }
                if (size <= bytes.length && isBlank(bytes)) {
                    continue;
                }
                Origin origin = Origin.file(file, lineNumber);
                if (size > EventCodec.MAX_RECORD_BYTES) {
                    return Decoded.of(
                            codec.tooLarge(
                                    Arrays.copyOf(
                                            bytes,
                                            Math.min(
                                                    bytes.length, DeadLetter.TOO_LARGE_KEEP_BYTES)),
                                    size,
                                    origin));
                }
                return Decoded.of(codec.decode(bytes, origin));
            }
        }

        private static boolean isBlank(byte[] bytes) {
            for (byte b : bytes) {
                if (b != ' ' && b != '\t' && b != '\r') {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
