package io.gradsweep.train;

import io.gradsweep.spec.Clipping;
import io.gradsweep.stats.ActivationRow;
import io.gradsweep.stats.ClipStats;
import io.gradsweep.stats.Diagnosis;
import io.gradsweep.stats.GradientRow;
import io.gradsweep.stats.HistogramRow;
import io.gradsweep.stats.HostCopy;
import io.gradsweep.stats.Moments;
import io.gradsweep.stats.ParamLayout;
import io.gradsweep.stats.ParamLayout.Segment;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Records per-parameter gradient, weight and update statistics every {@code every} iterations.
 *
 * <p>DL4J calls {@link #onGradientCalculation} after backprop and before it divides by the minibatch size, clips and
 * runs the updater, so the view holds the raw gradient of the summed loss; dividing by the minibatch size gives
 * the mean-loss gradient that Keras and PyTorch report. By {@link #iterationDone} the updater has rewritten the
 * same view in place into the step that was subtracted from the parameters, which gives the update ratio.
 */
final class StatsListener extends BaseTrainingListener {
    private final String trialId;
    private final List<String> layerActivations;
    private final ParamLayout layout;
    private final int every;
    private final TrialSink sink;
    private final Diagnosis diagnosis;
    private final int firstHidden;
    private final int lastHidden;
    private final Moments[] gradients;
    private final Moments[] weights;
    private final Clipping clipping;
    private final Map<String, Integer> activationOutputs;
    private ClipStats clipStats;
    /** Host copies, reused: the gradient (then, by iterationDone, the update) and the parameters. */
    private float[] values;
    private float[] paramValues;
    private long iteration;
    private int epoch;
    private int minibatch;
    private boolean recording;
    private int gradientHistogram = -1;
    private boolean nonFiniteGradient;

    StatsListener(String trialId, ParamLayout layout, Map<String, Integer> activationOutputs,
                  List<String> layerActivations, Clipping clipping, int every, TrialSink sink, Diagnosis diagnosis) {
        int depth = layerActivations.size() - 1;
        this.activationOutputs = Map.copyOf(activationOutputs);
        this.clipping = clipping;
        this.layerActivations = List.copyOf(layerActivations);
        this.trialId = trialId;
        this.layout = layout;
        this.every = every;
        this.sink = sink;
        this.diagnosis = diagnosis;
        this.firstHidden = depth >= 2 ? layout.weightIndex(0) : -1;
        this.lastHidden = depth >= 2 ? layout.weightIndex(depth - 1) : -1;
        this.gradients = new Moments[layout.segments().size()];
        this.weights = new Moments[layout.segments().size()];
    }

    /**
     * Called by the trainer before each {@code fit}: DL4J's own counters are not trusted across early stops.
     * {@code gradientHistogram} is the {@code after_epochs} label when this minibatch's gradient distribution is
     * wanted, else -1.
     */
    void beginIteration(long iteration, int epoch, int minibatch, int gradientHistogram) {
        this.iteration = iteration;
        this.epoch = epoch;
        this.minibatch = minibatch;
        this.recording = iteration % every == 0;
        this.gradientHistogram = gradientHistogram;
    }

    /** The weight distributions of every parameter tensor, at initialisation (0) or after {@code afterEpochs}. */
    void weightHistograms(Model model, int afterEpochs) {
        histograms(HostCopy.vector(model.params()), afterEpochs, "weight", 1.0);
    }

    private void histograms(float[] values, int afterEpochs, String kind, double scale) {
        for (Segment s : layout.segments()) {
            HistogramRow.of(trialId, afterEpochs, s.layer(), s.param(), kind, values, s.offset(), s.length(), scale)
                    .forEach(sink::histogram);
        }
    }

    boolean nonFiniteGradient() {
        return nonFiniteGradient;
    }

    /**
     * A MultiLayerNetwork hands over the activations of the training forward pass: index 0 is the input, i the
     * output of DL4J layer i-1.
     */
    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
        if (!recording) {
            return;
        }
        for (int i = 1; i < activations.size(); i++) {
            activation(String.valueOf(i - 1), activations.get(i));
        }
    }

    /** A ComputationGraph hands them over by vertex name. */
    @Override
    public void onForwardPass(Model model, Map<String, INDArray> activations) {
        if (!recording) {
            return;
        }
        // Sorted by logical layer so rows come out in the same order as for a MultiLayerNetwork.
        activationOutputs.entrySet().stream().sorted(Map.Entry.comparingByValue())
                .forEach(e -> activation(e.getKey(), activations.get(e.getKey())));
    }

    /** Only outputs of a logical layer's nonlinearity count; pre-activations and skip sums are skipped. */
    private void activation(String dl4jLayer, INDArray a) {
        Integer layer = activationOutputs.get(dl4jLayer);
        if (layer == null || a == null) {
            return;
        }
        // A row is one example; for conv maps every channel x position is a unit. A recurrent layer's output
        // [n, units, steps] becomes n x steps rows of its units: a unit is dead only if it is zero at every step.
        boolean sequence = a.rank() == 3;
        int units = (int) (sequence ? a.size(1) : a.length() / a.size(0));
        sink.activation(ActivationRow.of(trialId, epoch, iteration, layer,
                sequence ? Nd4j.toFlattened('c', a.permute(0, 2, 1)).toFloatVector() : HostCopy.rowMajor(a), units,
                layerActivations.get(layer)));
    }

    @Override
    public void onGradientCalculation(Model model) {
        float[] grad = recording || gradientHistogram >= 0 ? copyOf(model.getGradientsViewArray()) : null;
        if (recording) {
            record(model, grad);
        }
        if (gradientHistogram >= 0) {
            histograms(grad, gradientHistogram, "gradient", 1.0 / minibatch);
        }
        if (clipping.name().equals("global_norm")) {
            clipGlobalNorm(model.getGradientsViewArray(), grad);
        }
    }

    /**
     * DL4J has no global-norm clipping, but the updater consumes this very view, so rescaling it here takes effect.
     * The view still holds the summed-loss gradient, so its norm is compared after dividing by the minibatch size.
     */
    private void clipGlobalNorm(INDArray view, float[] copied) {
        if (layout.covers(view.length())) {
            double norm = view.norm2Number().doubleValue() / minibatch;
            if (norm > clipping.threshold()) {
                view.muli(clipping.threshold() / norm);
            }
            return;
        }
        // Batch-norm running statistics share the view; they are neither counted nor rescaled.
        float[] grad = copied != null ? copied : copyOf(view);
        double sumSq = 0;
        for (Segment s : layout.segments()) {
            double l2 = Moments.l2(grad, s.offset(), s.length());
            sumSq += l2 * l2;
        }
        double norm = Math.sqrt(sumSq) / minibatch;
        if (norm > clipping.threshold()) {
            INDArray flat = view.reshape(view.length());
            for (Segment s : layout.segments()) {
                flat.get(NDArrayIndex.interval(s.offset(), s.offset() + s.length())).muli(clipping.threshold() / norm);
            }
        }
    }

    private void record(Model model, float[] grad) {
        float[] params = HostCopy.vector(model.params(), paramValues);
        paramValues = params;
        double scale = 1.0 / minibatch;
        List<Segment> segments = layout.segments();
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            gradients[i] = Moments.of(grad, s.offset(), s.length(), scale);
            weights[i] = Moments.of(params, s.offset(), s.length(), 1.0);
            diagnosis.observeL2(gradients[i].l2());
            nonFiniteGradient |= !gradients[i].finite();
        }
        if (firstHidden >= 0) {
            diagnosis.observeRatio(gradients[firstHidden].std(), gradients[lastHidden].std());
        }
        clipStats = ClipStats.of(clipping, layout, gradients, grad, scale);
    }

    private float[] copyOf(INDArray view) {
        values = HostCopy.vector(view, values);
        return values;
    }

    @Override
    public void iterationDone(Model model, int dl4jIteration, int dl4jEpoch) {
        if (!recording) {
            return;
        }
        float[] update = copyOf(model.getGradientsViewArray());
        List<Segment> segments = layout.segments();
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            // Biases start at zero, so their first ratio is undefined rather than infinite.
            Double ratio = weights[i].l2() > 0 ? Moments.l2(update, s.offset(), s.length()) / weights[i].l2() : null;
            sink.gradient(new GradientRow(trialId, epoch, iteration, s.layer(), s.param(), gradients[i], weights[i],
                    ratio, clipStats.clippedL2()[i], clipStats.fraction()[i]));
        }
        recording = false;
    }
}
