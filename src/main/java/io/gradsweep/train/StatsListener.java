package io.gradsweep.train;

import io.gradsweep.model.DeltaProbe;
import io.gradsweep.stats.HostCopy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The DL4J side of a {@link TrialRecorder}: copies a network's views to host arrays at the right callbacks and hands
 * them over; every statistic is the recorder's.
 *
 * <p>DL4J calls {@link #onGradientCalculation} after backprop and before it divides by the minibatch size, clips and
 * runs the updater, so the view holds the raw gradient of the summed loss. By {@link #iterationDone} the updater has
 * rewritten the same view in place into the step that was subtracted from the parameters. The listener only reads:
 * training is the same with or without it (global-norm clipping is the network's own step, after this listener).
 *
 * <p>The forward pass's activations wait for the backward pass: on recorded iterations the hidden layers'
 * {@link DeltaProbe}s are armed, and each layer's row is recorded at {@link #onGradientCalculation} with the dL/ds
 * its probe captured; layers without one (recurrent) are recorded at once, without it.
 */
final class StatsListener extends BaseTrainingListener {
    private final TrialRecorder recorder;
    private final Map<String, Integer> activationOutputs;
    private final Map<Integer, DeltaProbe> deltaProbes;
    /** This iteration's hidden-layer outputs, by logical layer in forward order, until their deltas exist. */
    private final Map<Integer, Outputs> pending = new LinkedHashMap<>();
    /** Host copies, reused: the gradient (then, by iterationDone, the update) and the parameters. */
    private float[] values;
    private float[] paramValues;
    private long iteration;
    private int epoch;
    private int minibatch;
    private boolean recording;
    private int gradientHistogram = -1;

    StatsListener(TrialRecorder recorder, Map<String, Integer> activationOutputs,
                  Map<Integer, DeltaProbe> deltaProbes) {
        this.recorder = recorder;
        this.activationOutputs = Map.copyOf(activationOutputs);
        this.deltaProbes = Map.copyOf(deltaProbes);
    }

    /** One hidden layer's outputs as rows of its units. */
    private record Outputs(float[] rows, int units) {
    }

    /**
     * Called by the trainer before each {@code fit}: DL4J's own counters are not trusted across early stops.
     * {@code gradientHistogram} is as {@link TrialRecorder#gradientHistogram} says.
     */
    void beginIteration(long iteration, int epoch, int minibatch, int gradientHistogram) {
        this.iteration = iteration;
        this.epoch = epoch;
        this.minibatch = minibatch;
        this.recording = recorder.records(iteration);
        this.gradientHistogram = gradientHistogram;
        pending.clear();
        if (recording) {
            deltaProbes.values().forEach(DeltaProbe::arm);
        }
    }

    /** The weight distributions of every parameter tensor, at initialisation (0) or after {@code afterEpochs}. */
    void weightHistograms(Model model, int afterEpochs) {
        recorder.weightHistograms(HostCopy.vector(model.params()), afterEpochs);
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
        // A recurrent layer's output [n, units, steps] becomes n x steps rows of its units: a unit is dead only if
        // it is zero at every step.
        boolean sequence = a.rank() == 3;
        int units = (int) (sequence ? a.size(1) : a.length() / a.size(0));
        float[] rows = sequence ? Nd4j.toFlattened('c', a.permute(0, 2, 1)).toFloatVector() : HostCopy.rowMajor(a);
        if (deltaProbes.containsKey(layer)) {
            pending.put(layer, new Outputs(rows, units));
        } else {
            recorder.activation(layer, rows, 0, rows.length, units, epoch, iteration);
        }
    }

    /** The waiting rows, each with its probe's capture: the summed loss's dL/ds, laid out as the outputs. */
    private void recordActivations() {
        pending.forEach((layer, out) -> {
            float[] preact = deltaProbes.get(layer).take();
            recorder.activation(layer, out.rows(), preact != null && preact.length == out.rows().length ? preact
                    : null, 0, out.rows().length, out.units(), 1.0 / minibatch, epoch, iteration);
        });
        pending.clear();
    }

    @Override
    public void onGradientCalculation(Model model) {
        if (!recording && gradientHistogram < 0) {
            return;
        }
        if (recording) {
            recordActivations();
        }
        values = HostCopy.vector(model.getGradientsViewArray(), values);
        if (recording) {
            paramValues = HostCopy.vector(model.params(), paramValues);
            recorder.gradients(values, paramValues, 1.0 / minibatch);
        }
        if (gradientHistogram >= 0) {
            recorder.gradientHistograms(values, gradientHistogram, 1.0 / minibatch);
        }
    }

    @Override
    public void iterationDone(Model model, int dl4jIteration, int dl4jEpoch) {
        if (!recording) {
            return;
        }
        values = HostCopy.vector(model.getGradientsViewArray(), values);
        recorder.updates(values, epoch, iteration);
        recording = false;
    }
}
