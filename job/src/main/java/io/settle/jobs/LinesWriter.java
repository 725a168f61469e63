package io.settle.jobs;

import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * JSON Lines into a part file through a 64 KiB buffer. The row format's encoder writes each line
 * straight to the file (on a local file system, a system call per line and another for its newline:
 * a fifth of a replay's keyed stage); a bulk writer may buffer, because the sink flushes and
 * finishes it before it commits the part file (at a checkpoint, or when a bounded input ends).
 */
final class LinesWriter implements BulkWriter.Factory<String> {
    private static final long serialVersionUID = 1L;

    @Override
    public BulkWriter<String> create(FSDataOutputStream out) {
        BufferedOutputStream buffer = new BufferedOutputStream(out, 64 * 1024);
        return new BulkWriter<>() {
            @Override
            public void addElement(String line) throws IOException {
                buffer.write(line.getBytes(StandardCharsets.UTF_8));
                buffer.write('\n');
            }

            @Override
            public void flush() throws IOException {
                buffer.flush();
            }

            @Override
            public void finish() throws IOException {
                buffer.flush(); // the sink closes the stream itself
            }
        };
    }
}
