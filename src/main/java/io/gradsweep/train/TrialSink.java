package io.gradsweep.train;

import io.gradsweep.stats.ActivationRow;
import io.gradsweep.stats.EpochRow;
import io.gradsweep.stats.GradientRow;
import io.gradsweep.stats.HistogramRow;
import io.gradsweep.stats.TimestepRow;

/** Receives a trial's time series as it trains; the trainer itself never touches files. */
public interface TrialSink {
    void gradient(GradientRow row);

    void epoch(EpochRow row);

    void activation(ActivationRow row);

    void histogram(HistogramRow row);

    void timestepGradient(TimestepRow row);
}
