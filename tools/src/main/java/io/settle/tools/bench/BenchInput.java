package io.settle.tools.bench;

import io.settle.generator.GenerateCommand;
import io.settle.generator.GeneratorOptions;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The generated input of the throughput parts: a synthetic business day from the generator (its
 * default mix: 2-3 events per settlement, exact and re-serialized duplicates, reordering within the
 * allowance, late events, a few malformed records), as JSON Lines split into a few files in one
 * folder, so every source of every job reads with the job's parallelism. Kept between runs: the
 * same size and seed give the same files.
 */
final class BenchInput {
    static final LocalDate DAY = LocalDate.parse("2026-11-25");

    /** Every generated event time is before the day's close: the replay clock stops there. */
    static final Instant UNTIL = DAY.atTime(GenerateCommand.CLOSE).toInstant(ZoneOffset.UTC);

    private static final String SUMMARY = ".summary";

    final Path folder;
    final long records;
    final String summary;

    private BenchInput(Path folder, long records, String summary) {
        this.folder = folder;
        this.records = records;
        this.summary = summary;
    }

    static BenchInput prepare(Path work, long records, long seed, int files) throws IOException {
        Path folder = work.resolve("input-" + records + "-seed" + seed + "-files" + files);
        Path summaryFile = folder.resolve(SUMMARY);
        if (Files.exists(summaryFile)) {
            return new BenchInput(folder, records, Files.readString(summaryFile).trim());
        }
        Files.createDirectories(folder);
        List<Path> paths = new ArrayList<>();
        for (int i = 0; i < files; i++) {
            paths.add(folder.resolve(String.format("part-%02d.jsonl", i)));
        }
        GenerateCommand.Summary s;
        try (LineSplitter out = new LineSplitter(paths, records)) {
            s = GenerateCommand.write(out, records, GeneratorOptions.defaults(seed), DAY);
        }
        String summary = s.line();
        Files.writeString(summaryFile, summary + "\n");
        return new BenchInput(folder, records, summary);
    }

    long bytes() throws IOException {
        long n = 0;
        try (var files = Files.list(folder)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (!f.getFileName().toString().startsWith(".")) {
                    n += Files.size(f);
                }
            }
        }
        return n;
    }

    /** Writes lines into the files in turn: the first {@code 1/n} of the lines to the first. */
    static final class LineSplitter extends OutputStream {
        private final List<OutputStream> outs = new ArrayList<>();
        private final long linesPerFile;
        private long lines;
        private int current;

        LineSplitter(List<Path> files, long totalLines) throws IOException {
            for (Path f : files) {
                outs.add(new BufferedOutputStream(Files.newOutputStream(f), 1 << 16));
            }
            linesPerFile = Math.max(1, (totalLines + files.size() - 1) / files.size());
        }

        @Override
        public void write(int b) throws IOException {
            outs.get(current).write(b);
            if (b == '\n') {
                lines++;
                current = (int) Math.min(outs.size() - 1, lines / linesPerFile);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }

        @Override
        public void close() throws IOException {
            IOException first = null;
            for (OutputStream o : outs) {
                try {
                    o.close();
                } catch (IOException e) {
                    first = first == null ? e : first;
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }
}
