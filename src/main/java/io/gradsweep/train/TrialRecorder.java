package io.gradsweep.train;

import io.gradsweep.spec.Activation;
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
import io.gradsweep.stats.SequenceView;
import io.gradsweep.stats.TimestepRow;
import java.util.List;

/**
 * Everything gradsweep records about one trial, for every engine: fed flat float arrays (the summed-loss gradient,
 * the parameters, the applied step, layer outputs) laid out by the trial's {@link ParamLayout}, it computes the
 * moments, clip statistics, histograms and diagnosis, writes the rows to the trial's {@link TrialSink}, and
 * assembles the {@link TrialOutcome}. Engines only copy their views into arrays and call it, so a statistic is
 * defined here once.
 *
 * <p><b>Divergence</b>, the same in every engine: a trial diverges once a training loss is not finite (the loss of
 * a training minibatch, or of the training set at the end of an epoch) or a recorded gradient statistic is not
 * finite. Local engines check after every update and stop at once, after evaluating that epoch; data-parallel
 * training checks the workers' reports and its evaluation when each epoch ends, the only place it can stop.
 */
public final class TrialRecorder {
    private final TrialConfig config;
    /** Computed once: a trial id is a hash of the trial's canonical text. */
    private final String trialId;
    private final TrialSink sink;
    private final Diagnosis diagnosis;
    private final Activation.Function activation;
    private ParamLayout layout;
    private int firstHidden = -1;
    private int lastHidden = -1;
    private Moments[] gradients;
    private Moments[] weights;
    private ClipStats clipStats;
    private boolean diverged;
    private long iterations;
    private Evaluation train;
    private Evaluation test;

    public TrialRecorder(TrialConfig config, TrialSink sink) {
        this.config = config;
        this.trialId = config.trialId();
        this.sink = sink;
        this.diagnosis = new Diagnosis(config.stats());
        this.activation = config.activation().function();
    }

    public TrialConfig config() {
        return config;
    }

    /** The trial's id, without hashing its config again. */
    public String trialId() {
        return trialId;
    }

    /** Binds the recorder to the layout of the network its engine built; before any parameter statistic. */
    public void begin(ParamLayout paramLayout) {
        this.layout = paramLayout;
        int depth = config.depth();
        // The gradient-std ratio of the first and last hidden layer's weights diagnoses vanishing gradients.
        this.firstHidden = depth >= 2 ? layout.weightIndex(0) : -1;
        this.lastHidden = depth >= 2 ? layout.weightIndex(depth - 1) : -1;
        this.gradients = new Moments[layout.segments().size()];
        this.weights = new Moments[layout.segments().size()];
    }

    /** Whether parameter and activation statistics are recorded on this iteration ({@code stats.every}). */
    public boolean records(long iteration) {
        return iteration % config.stats().every() == 0;
    }

    /**
     * The {@code after_epochs} label of this minibatch's gradient histograms, or -1 for none: the first minibatch
     * (0) and the last minibatch of each epoch (epoch + 1).
     */
    public static int gradientHistogram(long iteration, int epoch, boolean lastOfEpoch) {
        return iteration == 0 ? 0 : lastOfEpoch ? epoch + 1 : -1;
    }

    /** Every parameter tensor's distribution, at initialisation (0) or after {@code afterEpochs}. */
    public void weightHistograms(float[] params, int afterEpochs) {
        histograms(params, afterEpochs, "weight", 1.0);
    }

    /** {@code scale} (1 / minibatch size) turns the summed-loss gradient into the mean-loss one. */
    public void gradientHistograms(float[] summed, int afterEpochs, double scale) {
        histograms(summed, afterEpochs, "gradient", scale);
    }

    private void histograms(float[] values, int afterEpochs, String kind, double scale) {
        for (Segment s : layout.segments()) {
            HistogramRow.of(trialId, afterEpochs, s.layer(), s.param(), kind, values, s.offset(), s.length(), scale)
                    .forEach(sink::histogram);
        }
    }

    /**
     * One hidden layer's outputs on this iteration's minibatch: a row-major [rows, units] block at {@code offset};
     * for a conv map every channel x position is a unit, for a sequence every step of an example is a row.
     */
    public void activation(int layer, float[] outputs, int offset, int length, int units, int epoch,
                           long iteration) {
        activation(layer, outputs, null, offset, length, units, 0, epoch, iteration);
    }

    /**
     * The same with the summed-loss gradient at the layer's pre-activations, {@code preact} (null where the engine
     * has none), laid out as {@code outputs} from the same offset; {@code scale} (1 / minibatch size) makes it the
     * mean loss's, as in the gradients table, so that dL/dW = x^T dL/ds holds between the two tables.
     */
    public void activation(int layer, float[] outputs, float[] preact, int offset, int length, int units,
                           double scale, int epoch, long iteration) {
        ActivationRow row = ActivationRow.of(trialId, epoch, iteration, layer, outputs, offset, length, units,
                activation);
        sink.activation(preact == null ? row : row.withPreactGradient(Moments.of(preact, offset, length, scale)));
    }

    /** A recurrent layer's outputs on this iteration's minibatch, read in place; see {@link SequenceView}. */
    public void sequenceActivation(int layer, SequenceView outputs, int epoch, long iteration) {
        sink.activation(ActivationRow.ofSequence(trialId, epoch, iteration, layer, outputs, activation));
    }

    /**
     * A recurrent layer's input gradient at every step ({@code values} [examples, features, steps] of the summed
     * loss; {@code scale} makes it the mean loss's), as the layer's probe captured it during backprop.
     */
    public void timestepGradients(int layer, float[] values, int examples, int features, int steps, int epoch,
                                  long iteration, double scale) {
        TimestepRow.of(trialId, epoch, iteration, layer, values, examples, features, steps, scale)
                .forEach(sink::timestepGradient);
    }

    /**
     * The raw statistics of a recorded iteration, taken before clipping and the updater rewrite {@code summed}:
     * gradient and weight moments, what clipping will do, and the diagnosis's evidence.
     */
    public void gradients(float[] summed, float[] params, double scale) {
        List<Segment> segments = layout.segments();
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            gradients[i] = Moments.of(summed, s.offset(), s.length(), scale);
            weights[i] = Moments.of(params, s.offset(), s.length(), 1.0);
        }
        diagnose(gradients);
        clipStats = ClipStats.of(config.clipping(), layout, gradients, summed, scale);
    }

    /** One row per tensor, once {@code step} holds the step that was subtracted from the parameters. */
    public void updates(float[] step, int epoch, long iteration) {
        List<Segment> segments = layout.segments();
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            // Biases start at zero, so their first ratio is undefined rather than infinite.
            Double ratio = weights[i].l2() > 0 ? Moments.recordedL2(step, s.offset(), s.length()) / weights[i].l2() : null;
            sink.gradient(new GradientRow(trialId, epoch, iteration, s.layer(), s.param(), gradients[i], weights[i],
                    ratio, clipStats.clippedL2()[i], clipStats.fraction()[i]));
        }
    }

    /**
     * The rows of one iteration that another recorder of this trial computed (a data-parallel worker's): gradient
     * rows in layout order, or none where the iteration was not recorded. They feed this trial's diagnosis as its
     * own would, and go to its sink.
     */
    public void observe(List<GradientRow> gradientRows, List<ActivationRow> activationRows) {
        activationRows.forEach(sink::activation);
        if (gradientRows.isEmpty()) {
            return;
        }
        if (gradientRows.size() != layout.segments().size()) {
            throw new IllegalArgumentException("Cannot diagnose trial " + trialId + ": a recorded iteration has "
                    + gradientRows.size() + " gradient rows; expected one per parameter tensor, "
                    + layout.segments().size());
        }
        diagnose(gradientRows.stream().map(GradientRow::gradient).toArray(Moments[]::new));
        gradientRows.forEach(sink::gradient);
    }

    private void diagnose(Moments[] moments) {
        for (Moments m : moments) {
            diagnosis.observeL2(m.l2());
            diverged |= !m.finite();
        }
        if (firstHidden >= 0) {
            diagnosis.observeRatio(moments[firstHidden].std(), moments[lastHidden].std());
        }
    }

    /** After update number {@code iteration} (from 0), whose minibatch loss was {@code loss}: whether it diverged. */
    public boolean finishIteration(long iteration, double loss) {
        iterations = iteration + 1;
        return observeLoss(loss);
    }

    /** Updates done so far, where the engine counts them itself (data-parallel rounds). */
    public void iterations(long done) {
        iterations = done;
    }

    /** A training minibatch's loss; a non-finite one means the trial diverged. */
    public boolean observeLoss(double loss) {
        diverged |= !Double.isFinite(loss);
        return diverged;
    }

    /** The end-of-epoch evaluation: written to the epochs table, kept for the outcome, checked for divergence. */
    public void epoch(int epoch, Evaluation trainSet, Evaluation testSet) {
        train = trainSet;
        test = testSet;
        sink.epoch(new EpochRow(trialId, epoch, train.loss(), train.accuracy(),
                test == null ? null : test.loss(), test == null ? null : test.accuracy()));
        observeLoss(train.loss());
    }

    public long iterations() {
        return iterations;
    }

    public boolean diverged() {
        return diverged;
    }

    /** The outcome of a trial that failed before it trained: nothing recorded, no sink needed. */
    static TrialOutcome failedAtStart(TrialConfig config, TrialFailure failure) {
        return new TrialRecorder(config, null).outcome(failure, 0);
    }

    /**
     * Diverged wins over a failure that came after it; else failed if {@code failure} is set, else ok. A failed
     * trial's diagnosis is "failed": what it recorded before it threw is a fragment (often nothing at all), and
     * classifying that fragment called trials that never trained "healthy".
     */
    public TrialOutcome outcome(TrialFailure failure, long wallMs) {
        String status = diverged ? TrialOutcome.DIVERGED : failure != null ? TrialOutcome.FAILED : TrialOutcome.OK;
        Evaluation last = test != null ? test : train;
        String diagnosed = status.equals(TrialOutcome.FAILED) ? TrialOutcome.FAILED : last == null
                ? diagnosis.classify(null, null, null)
                : diagnosis.classify(last.accuracy(), last.loss(), last.chance());
        return new TrialOutcome(config, status, train, test, iterations, wallMs, diagnosed,
                diagnosis.medianRatio(), diagnosis.maxL2(), diverged ? null : failure);
    }
}
