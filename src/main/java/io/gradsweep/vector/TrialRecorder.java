package io.gradsweep.vector;

import io.gradsweep.spec.TrialConfig;
import io.gradsweep.stats.ActivationRow;
import io.gradsweep.stats.ClipStats;
import io.gradsweep.stats.Diagnosis;
import io.gradsweep.stats.EpochRow;
import io.gradsweep.stats.GradientRow;
import io.gradsweep.stats.HistogramRow;
import io.gradsweep.stats.Moments;
import io.gradsweep.stats.ParamLayout;
import io.gradsweep.stats.ParamLayout.Segment;
import io.gradsweep.train.TrialOutcome;
import io.gradsweep.train.TrialSink;
import java.util.List;

/**
 * One trial of a group: the rows that {@code StatsListener} and {@code TrialTrainer} write for a DL4J trial, with
 * the same statistics classes, read from the group's flat arrays through the trial's own {@link ParamLayout}; and
 * what its outcome needs (iterations, last evaluation, whether it diverged).
 */
final class TrialRecorder {
    private final TrialConfig config;
    /** Computed once: a trial id is a hash of the trial's canonical text. */
    private final String trialId;
    private final TrialSink sink;
    private final ParamLayout layout;
    private final Diagnosis diagnosis;
    private final String activation;
    private final int firstHidden;
    private final int lastHidden;
    private final Moments[] gradients;
    private final Moments[] weights;
    private ClipStats clipStats;
    private boolean nonFiniteGradient;
    private long iterations;
    private boolean diverged;
    private double[] train;
    private double[] test;

    TrialRecorder(TrialConfig config, TrialSink sink, ParamLayout layout) {
        this.config = config;
        this.trialId = config.trialId();
        this.sink = sink;
        this.layout = layout;
        this.diagnosis = new Diagnosis(config.stats());
        this.activation = config.activation().name();
        int depth = config.depth();
        this.firstHidden = depth >= 2 ? layout.weightIndex(0) : -1;
        this.lastHidden = depth >= 2 ? layout.weightIndex(depth - 1) : -1;
        this.gradients = new Moments[layout.segments().size()];
        this.weights = new Moments[layout.segments().size()];
    }

    TrialConfig config() {
        return config;
    }

    void weightHistograms(float[] params, int afterEpochs) {
        histograms(params, afterEpochs, "weight", 1.0);
    }

    /** {@code scale} turns the summed-loss gradient into the mean-loss one. */
    void gradientHistograms(float[] summed, int afterEpochs, double scale) {
        histograms(summed, afterEpochs, "gradient", scale);
    }

    private void histograms(float[] values, int afterEpochs, String kind, double scale) {
        for (Segment s : layout.segments()) {
            HistogramRow.of(trialId, afterEpochs, s.layer(), s.param(), kind, values, s.offset(),
                    s.length(), scale).forEach(sink::histogram);
        }
    }

    /** One hidden layer's outputs on this iteration's minibatch: row-major [rows, units] at {@code offset}. */
    void activation(int layer, float[] outputs, int offset, int length, int units, int epoch, long iteration) {
        sink.activation(ActivationRow.of(trialId, epoch, iteration, layer, outputs, offset, length, units,
                activation));
    }

    /** The raw statistics, before the step rewrites the gradient: as StatsListener's onGradientCalculation. */
    void record(float[] summed, float[] params, double scale) {
        List<Segment> segments = layout.segments();
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            gradients[i] = Moments.of(summed, s.offset(), s.length(), scale);
            weights[i] = Moments.of(params, s.offset(), s.length(), 1.0);
            diagnosis.observeL2(gradients[i].l2());
            nonFiniteGradient |= !gradients[i].finite();
        }
        if (firstHidden >= 0) {
            diagnosis.observeRatio(gradients[firstHidden].std(), gradients[lastHidden].std());
        }
        clipStats = ClipStats.of(config.clipping(), layout, gradients, summed, scale);
    }

    /** One row per tensor, once {@code step} holds the step that was applied: as StatsListener's iterationDone. */
    void emit(float[] step, int epoch, long iteration) {
        List<Segment> segments = layout.segments();
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            Double ratio = weights[i].l2() > 0 ? Moments.l2(step, s.offset(), s.length()) / weights[i].l2() : null;
            sink.gradient(new GradientRow(trialId, epoch, iteration, s.layer(), s.param(), gradients[i],
                    weights[i], ratio, clipStats.clippedL2()[i], clipStats.fraction()[i]));
        }
    }

    /** After an update: TrialTrainer's test, a non-finite score or a non-finite recorded gradient. */
    boolean finishIteration(long iteration, double score) {
        iterations = iteration + 1;
        diverged = !Double.isFinite(score) || nonFiniteGradient;
        return diverged;
    }

    void epoch(int epoch, double[] trainMetrics, double[] testMetrics) {
        train = trainMetrics;
        test = testMetrics;
        sink.epoch(new EpochRow(trialId, epoch, train[0], train[1],
                test == null ? null : test[0], test == null ? null : test[1]));
    }

    long iterations() {
        return iterations;
    }

    boolean diverged() {
        return diverged;
    }

    TrialOutcome outcome(String status, String error, long wallMs) {
        return new TrialOutcome(config, status, train == null ? null : train[0], train == null ? null : train[1],
                test == null ? null : test[0], test == null ? null : test[1], iterations, wallMs,
                diagnosis.classify(), diagnosis.medianRatio(), diagnosis.maxL2(), error);
    }
}
