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

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
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

    /** Events stamped more than this after the wall clock are FUTURE_EVENT; null: no check. */
    private final Duration maxFuture;

    /** Takes any event time the contract allows (the bench's ceilings). */
    public EventLinesFormat() {
        this(null);
    }

    public EventLinesFormat(Duration maxFuture) {
        this.maxFuture = maxFuture;
    }

    @Override
    public BulkFormat.Reader<Decoded> createReader(Configuration config, FileSourceSplit split)
            throws IOException {
        return restoreReader(config, split);
    }

    @Override
    public BulkFormat.Reader<Decoded> restoreReader(Configuration config, FileSourceSplit split)
            throws IOException {
        Path path = split.path();
        LineReader lines =
                new LineReader(
                        path.getFileSystem().open(path),
                        path.toString(),
                        new EventCodec(maxFuture, Clock.systemUTC()));
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
        private final EventCodec codec;
        private final byte[] buffer = new byte[64 * 1024];
        private int position;
        private int limit;
        private byte[] line = new byte[1024];
        private int lineLength;
        private long lineNumber;

        /** The SHA-256 of a line too long to keep, fed as it streams past; null for others. */
        private MessageDigest overlong;

        public LineReader(InputStream in, String file) {
            this(in, file, new EventCodec());
        }

        LineReader(InputStream in, String file, EventCodec codec) {
            this.in = in;
            this.file = file;
            this.codec = codec;
        }

        /**
         * Reads up to the next newline or the end of the file into {@code line}, keeping at most
         * {@code MAX_RECORD_BYTES + 1} bytes (enough to know it is too large) and hashing a longer
         * one as it goes ({@link #overlong}). Returns the line's full size, or -1 at the end of the
         * file with nothing read.
         */
        private long nextLine() throws IOException {
            lineLength = 0;
            overlong = null;
            long size = 0;
            while (true) {
                if (position == limit) {
                    int n = in.read(buffer, 0, buffer.length);
                    position = 0;
                    limit = Math.max(n, 0);
                    if (n <= 0) {
                        return size == 0 ? -1 : size;
                    }
                }
                int end = position;
                while (end < limit && buffer[end] != '\n') {
                    end++;
                }
                int length = end - position;
                long room = EventCodec.MAX_RECORD_BYTES + 1L - size;
                int kept = (int) Math.min(length, Math.max(room, 0));
                keep(position, kept);
                if (kept < length) {
                    if (overlong == null) {
                        overlong = EventCodec.sha256();
                        overlong.update(line, 0, lineLength);
                    }
                    overlong.update(buffer, position + kept, length - kept);
                }
                size += length;
                if (end < limit) {
                    position = end + 1;
                    return size;
                }
                position = end;
            }
        }

        private void keep(int from, int length) {
            if (lineLength + length > line.length) {
                line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + length));
            }
            System.arraycopy(buffer, from, line, lineLength, length);
            lineLength += length;
        }

        /** The next record, or null at the end of the file. */
        public Decoded read() throws IOException {
            while (true) {
                long size = nextLine();
                if (size < 0) {
                    return null;
                }
                lineNumber++;
                int length = lineLength;
                if (size <= EventCodec.MAX_RECORD_BYTES + 1
                        && length > 0
                        && line[length - 1] == '\r') {
                    size--;
                    length--;
                }
                byte[] bytes = Arrays.copyOf(line, length);
                if (size <= bytes.length && isBlank(bytes)) {
                    continue;
                }
                Origin origin = Origin.file(file, lineNumber);
                if (size > EventCodec.MAX_RECORD_BYTES) {
                    String sha256 =
                            overlong != null
                                    ? EventCodec.hex(overlong)
                                    : EventCodec.sha256(bytes, bytes.length);
                    return Decoded.of(
                            codec.tooLarge(
                                    Arrays.copyOf(
                                            bytes,
                                            Math.min(bytes.length, DeadLetter.RAW_KEEP_BYTES)),
                                    size,
                                    sha256,
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
