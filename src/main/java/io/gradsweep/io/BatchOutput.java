package io.gradsweep.io;

import io.gradsweep.stats.ActivationRow;
import io.gradsweep.stats.EpochRow;
import io.gradsweep.stats.GradientRow;
import io.gradsweep.stats.HistogramRow;
import io.gradsweep.stats.TimestepRow;
import io.gradsweep.train.Faults;
import io.gradsweep.train.TrialOutcome;
import io.gradsweep.train.TrialSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The Parquet files of one batch of trials, one per table, streamed to a private staging directory and published by
 * {@link #commit()}. Commit moves each file to a name derived from the batch alone, with the {@code trials} file
 * last: a trial counts as done exactly when its trials row is visible. A retried or speculative attempt of the same
 * batch produces the same names and identical content, so whichever attempt commits first wins and the others are
 * discarded: rows are never duplicated.
 */
public final class BatchOutput implements TrialSink, AutoCloseable {
    private final OutputLayout layout;
    private final String sweep;
    private final String batchKey;
    private final Path attemptDir;
    private final Configuration conf;
    private final TableWriter<GradientRow> gradients;
    private final TableWriter<ActivationRow> activations;
    private final TableWriter<HistogramRow> histograms;
    private final TableWriter<TimestepRow> timesteps;
    private final TableWriter<EpochRow> epochs;
    private final TableWriter<TrialOutcome> trials;
    private final List<TableWriter<?>> commitOrder;
    private final List<String> trialIds = new ArrayList<>();
    private boolean closed;

    public BatchOutput(OutputLayout layout, String sweep, String batchKey, String attempt, Configuration conf)
            throws IOException {
        this.layout = layout;
        this.sweep = sweep;
        this.batchKey = batchKey;
        this.conf = NioLocalFileSystem.forWriting(conf);
        this.attemptDir = layout.stagingDir(sweep, batchKey, attempt);
        this.gradients = writer(Tables.GRADIENTS);
        this.activations = writer(Tables.ACTIVATIONS);
        this.histograms = writer(Tables.HISTOGRAMS);
        this.timesteps = writer(Tables.TIMESTEP_GRADIENTS);
        this.epochs = writer(Tables.EPOCHS);
        this.trials = writer(Tables.TRIALS);
        this.commitOrder = List.of(gradients, activations, histograms, timesteps, epochs, trials);
    }

    private <T> TableWriter<T> writer(Table<T> table) throws IOException {
        return new TableWriter<>(table, layout.stagedFile(attemptDir, table), conf);
    }

    @Override
    public void gradient(GradientRow row) {
        gradients.write(row);
    }

    @Override
    public void activation(ActivationRow row) {
        activations.write(row);
    }

    @Override
    public void histogram(HistogramRow row) {
        histograms.write(row);
    }

    @Override
    public void timestepGradient(TimestepRow row) {
        timesteps.write(row);
    }

    @Override
    public void epoch(EpochRow row) {
        epochs.write(row);
    }

    public void trial(TrialOutcome outcome) {
        trials.write(outcome);
        trialIds.add(outcome.config().trialId());
    }

    /** Publishes the batch; safe to call from several attempts of the same batch. */
    public void commit() throws IOException {
        closeWriters();
        FileSystem fs = attemptDir.getFileSystem(conf);
        for (TableWriter<?> w : commitOrder) {
            Path src = layout.stagedFile(attemptDir, w.table());
            Path dst = layout.committedFile(w.table(), sweep, batchKey);
            fs.mkdirs(dst.getParent());
            if (fs.exists(dst)) {
                continue; // an earlier attempt of this batch already published identical content
            }
            if (!fs.rename(src, dst) && !fs.exists(dst)) {
                throw new IOException("Cannot commit batch " + batchKey + ": rename " + src + " -> " + dst + " failed");
            }
            Faults.afterPublish(trialIds, w.table().name());
        }
        fs.delete(attemptDir, true);
    }

    /** Drops this attempt's staged files; nothing of it becomes visible. */
    public void abort() {
        try {
            closeWriters();
        } catch (IOException | RuntimeException e) {
            // The staged files are deleted below regardless; a close failure changes nothing visible.
        }
        try {
            attemptDir.getFileSystem(conf).delete(attemptDir, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The trials file closes last, recording in its footer how many rows each other table's file of this batch
     * holds: {@link PartCheck} compares those counts with the committed files, so that a part cut short after
     * commit is found by reading footers alone.
     */
    private void closeWriters() throws IOException {
        if (!closed) {
            closed = true;
            try (trials) { // closed without counts if another writer throws: that attempt is never committed
                try (gradients; activations; histograms; timesteps; epochs) {
                    // try-with-resources closes all of them, even if one throws
                }
                Map<String, String> counts = new LinkedHashMap<>();
                for (TableWriter<?> w : commitOrder) {
                    counts.put(PartCheck.ROWS + w.table().name(), Long.toString(w.rows()));
                }
                trials.close(counts);
            }
        }
    }

    @Override
    public void close() {
        if (!closed) {
            abort();
        }
    }
}
