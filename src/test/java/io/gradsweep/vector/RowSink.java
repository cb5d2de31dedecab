package io.gradsweep.vector;

import io.gradsweep.stats.ActivationRow;
import io.gradsweep.stats.EpochRow;
import io.gradsweep.stats.GradientRow;
import io.gradsweep.stats.HistogramRow;
import io.gradsweep.train.TrialSink;
import java.util.ArrayList;
import java.util.List;

/** Keeps a trial's rows in memory, in the order they were written. */
final class RowSink implements TrialSink {
    final List<GradientRow> gradients = new ArrayList<>();
    final List<EpochRow> epochs = new ArrayList<>();
    final List<ActivationRow> activations = new ArrayList<>();
    final List<HistogramRow> histograms = new ArrayList<>();

    @Override
    public void gradient(GradientRow row) {
        gradients.add(row);
    }

    @Override
    public void timestepGradient(io.gradsweep.stats.TimestepRow row) {
    }

    @Override
    public void epoch(EpochRow row) {
        epochs.add(row);
    }

    @Override
    public void activation(ActivationRow row) {
        activations.add(row);
    }

    @Override
    public void histogram(HistogramRow row) {
        histograms.add(row);
    }
}
