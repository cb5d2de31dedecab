package io.gradsweep.testing;

import io.gradsweep.stats.ActivationRow;
import io.gradsweep.stats.EpochRow;
import io.gradsweep.stats.GradientRow;
import io.gradsweep.stats.HistogramRow;
import io.gradsweep.stats.TimestepRow;
import io.gradsweep.train.TrialSink;
import java.util.ArrayList;
import java.util.List;

/** Keeps a trial's rows in memory, per table in the order they were written, for tests to compare. */
public final class CollectingSink implements TrialSink {
    public final List<GradientRow> gradients = new ArrayList<>();
    public final List<EpochRow> epochs = new ArrayList<>();
    public final List<ActivationRow> activations = new ArrayList<>();
    public final List<HistogramRow> histograms = new ArrayList<>();
    public final List<TimestepRow> timesteps = new ArrayList<>();

    @Override
    public void gradient(GradientRow row) {
        gradients.add(row);
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

    @Override
    public void timestepGradient(TimestepRow row) {
        timesteps.add(row);
    }
}
