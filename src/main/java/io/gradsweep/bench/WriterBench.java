package io.gradsweep.bench;

import io.gradsweep.data.Split;
import io.gradsweep.io.NioLocalFileSystem;
import io.gradsweep.io.TableWriter;
import io.gradsweep.io.Tables;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.stats.ActivationRow;
import io.gradsweep.stats.EpochRow;
import io.gradsweep.stats.GradientRow;
import io.gradsweep.stats.HistogramRow;
import io.gradsweep.stats.TimestepRow;
import io.gradsweep.train.TrialRun;
import io.gradsweep.train.TrialSink;
import io.gradsweep.vector.VectorTrainer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;

/**
 * The writer's cost per gradient row: the rows of one vector group, recorded in the order its batch writes them
 * (the group's trials interleaved, iteration by iteration), written through {@link TableWriter} to a local file
 * again and again. The writing thread's CPU time is the writer's cost, since encoding and compression run on it.
 */
public final class WriterBench {
    /**
     * @param rows       gradient rows per file
     * @param bytesPerRow the file's size over its rows
     * @param cpuMicros  the writing thread's CPU µs per row, from the first write to the closed file
     * @param readBack   rows read back from the last file, one record at a time
     */
    public record Result(long rows, double bytesPerRow, Timing cpuMicros, long readBack) {
    }

    private WriterBench() {
    }

    /** The gradient rows of {@code trials}, trained as one vector group, in the order they were recorded. */
    public static List<GradientRow> gradientRows(List<TrialConfig> trials) {
        List<GradientRow> rows = new ArrayList<>();
        TrialSink sink = new GradientsOnly(rows);
        TrialRun.run(new VectorTrainer(), trials, Split.of(trials.get(0).dataset()), t -> sink);
        return rows;
    }

    /** Writes {@code rows} {@code warmups + runs} times; only the last {@code runs} are timed. */
    public static Result measure(List<GradientRow> rows, int warmups, int runs) throws IOException {
        Path dir = Files.createTempDirectory("gradsweep-writer-bench");
        Path file = dir.resolve("gradients.parquet");
        try {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            double[] micros = new double[runs];
            for (int run = -warmups; run < runs; run++) {
                long began = threads.getCurrentThreadCpuTime();
                write(rows, file);
                long nanos = threads.getCurrentThreadCpuTime() - began;
                if (run >= 0) {
                    micros[run] = nanos / 1e3 / rows.size();
                }
            }
            return new Result(rows.size(), (double) Files.size(file) / rows.size(),
                    Timing.of("writer CPU µs per gradient row", micros), readBack(file));
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir.resolve(".gradients.parquet.crc"));
            Files.deleteIfExists(dir);
        }
    }

    private static void write(List<GradientRow> rows, Path file) throws IOException {
        // The configuration batch output writes with, so the bench times what a sweep's tasks do (no chmod process).
        Configuration conf = NioLocalFileSystem.forWriting(new Configuration());
        try (TableWriter<GradientRow> w = new TableWriter<>(Tables.GRADIENTS, hadoop(file), conf)) {
            for (GradientRow r : rows) {
                w.write(r);
            }
        }
    }

    /** Counts the file's records by reading them, not from the footer, so that a file that does not decode fails. */
    private static long readBack(Path file) throws IOException {
        long n = 0;
        try (ParquetReader<Group> r = ParquetReader.builder(new GroupReadSupport(), hadoop(file))
                .withConf(new Configuration()).build()) {
            while (r.read() != null) {
                n++;
            }
        }
        return n;
    }

    private static org.apache.hadoop.fs.Path hadoop(Path file) {
        return new org.apache.hadoop.fs.Path(file.toUri());
    }

    /** Keeps the gradient rows, drops the rest. */
    private record GradientsOnly(List<GradientRow> rows) implements TrialSink {
        @Override
        public void gradient(GradientRow row) {
            rows.add(row);
        }

        @Override
        public void epoch(EpochRow row) {
        }

        @Override
        public void activation(ActivationRow row) {
        }

        @Override
        public void histogram(HistogramRow row) {
        }

        @Override
        public void timestepGradient(TimestepRow row) {
        }
    }
}
