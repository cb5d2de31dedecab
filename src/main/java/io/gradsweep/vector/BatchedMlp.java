package io.gradsweep.vector;

import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * K equally shaped MLPs on ND4J, each layer one batched matrix product over [K, rows, units] arrays.
 *
 * <p>The activation and loss objects are DL4J's own, taken from a trial's network, so every element-wise step is
 * the op DL4J runs, in DL4J's order; only the matrix products are batched. The parameters live in Java, where the
 * optimizer runs: {@link #load} copies them in once per iteration, and the summed-loss gradient comes back in one
 * copy. Buffers are allocated once per distinct row count (the minibatch, the last short one, evaluation chunks).
 */
final class BatchedMlp {
    private final ParamSpace space;
    private final IActivation hidden;
    private final IActivation output;
    private final ILossFunction loss;
    private final INDArray params;
    private final INDArray gradient;
    private final INDArray[] weights;
    private final INDArray[] biases;
    private final INDArray[] weightGrads;
    private final INDArray[] biasGrads;
    private final Map<Integer, Passes> passes = new HashMap<>();

    BatchedMlp(ParamSpace space, IActivation hidden, IActivation output, ILossFunction loss) {
        this.space = space;
        this.hidden = hidden;
        this.output = output;
        this.loss = loss;
        int layers = space.layers();
        params = Nd4j.create(DataType.FLOAT, space.length());
        gradient = Nd4j.create(DataType.FLOAT, space.length());
        weights = new INDArray[layers];
        biases = new INDArray[layers];
        weightGrads = new INDArray[layers];
        biasGrads = new INDArray[layers];
        int k = space.trials();
        for (int l = 0; l < layers; l++) {
            long[] w = {k, space.out(l), space.in(l)};
            weights[l] = block(params, space.weightStart(l), w);
            weightGrads[l] = block(gradient, space.weightStart(l), w);
            biases[l] = block(params, space.biasStart(l), new long[] {k, 1, space.out(l)});
            biasGrads[l] = block(gradient, space.biasStart(l), new long[] {k, space.out(l)});
        }
    }

    private static INDArray block(INDArray flat, int start, long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return flat.get(NDArrayIndex.interval(start, start + n)).reshape('c', shape);
    }

    /** Copies the Java-side parameters in. */
    void load(float[] values) {
        params.data().asNioFloat().put(values, 0, space.length());
    }

    /**
     * One training pass over {@code rows} examples per trial: {@code x} is [K, rows, features] and {@code y} the
     * labels as DL4J takes them, [K * rows, outputs]. Writes each example's loss to {@code scores}, the gradient of
     * the summed loss to {@code grad}, and, when {@code activations} is not null, the hidden layers' outputs (layer
     * by layer, each [K, rows, width]).
     */
    void train(float[] x, float[] y, int rows, float[] scores, float[] grad, float[] activations) {
        Passes p = passes(rows);
        p.input.data().asNioFloat().put(x, 0, (int) p.input.length());
        p.labels.data().asNioFloat().put(y, 0, (int) p.labels.length());
        forward(p, true);
        int last = space.layers() - 1;
        INDArray preOut = p.pre[last].reshape(p.labels.shape());
        // The score first: DL4J's gradient overwrites the pre-output it is given.
        INDArray score = loss.computeScoreArray(p.labels, preOut, output, null);
        score.data().asNioFloat().get(scores, 0, (int) score.length());
        INDArray delta = loss.computeGradient(p.labels, preOut, output, null).reshape('c', p.pre[last].shape());
        for (int l = last; l >= 0; l--) {
            INDArray in = l == 0 ? p.input : p.act[l - 1];
            Nd4j.matmul(delta, in, weightGrads[l], true, false, false);
            delta.sum(biasGrads[l], 1);
            if (l > 0) {
                Nd4j.matmul(delta, weights[l], p.eps[l - 1], false, false, false);
                delta = hidden.backprop(p.pre[l - 1], p.eps[l - 1]).getFirst();
            }
        }
        gradient.data().asNioFloat().get(grad, 0, space.length());
        if (activations != null) {
            p.acts.data().asNioFloat().get(activations, 0, (int) p.acts.length());
        }
    }

    /** Inference outputs (probabilities) for {@code rows} examples per trial, [K, rows, outputs]. */
    float[] predict(float[] x, int rows) {
        Passes p = passes(rows);
        p.input.data().asNioFloat().put(x, 0, (int) p.input.length());
        forward(p, false);
        int last = space.layers() - 1;
        INDArray preOut = p.pre[last].reshape(space.trials() * (long) rows, space.out(last)).dup();
        INDArray probs = output.getActivation(preOut, false);
        float[] values = new float[(int) probs.length()];
        probs.dup('c').data().asNioFloat().get(values);
        return values;
    }

    /** Total floats of the hidden layers' outputs for {@code rows} examples per trial. */
    int activationLength(int rows) {
        int units = 0;
        for (int l = 0; l < space.layers() - 1; l++) {
            units += space.out(l);
        }
        return space.trials() * rows * units;
    }

    private void forward(Passes p, boolean training) {
        INDArray in = p.input;
        for (int l = 0; l < space.layers(); l++) {
            Nd4j.matmul(in, weights[l], p.pre[l], false, true, false);
            p.pre[l].addi(biases[l]);
            if (l < space.layers() - 1) {
                p.act[l].assign(p.pre[l]);
                INDArray a = hidden.getActivation(p.act[l], training);
                if (a != p.act[l]) {
                    p.act[l].assign(a);
                }
                in = p.act[l];
            }
        }
    }

    private Passes passes(int rows) {
        return passes.computeIfAbsent(rows, Passes::new);
    }

    /** The buffers of one row count. */
    private final class Passes {
        final INDArray input;
        final INDArray labels;
        final INDArray[] pre;
        final INDArray acts;
        final INDArray[] act;
        final INDArray[] eps;

        Passes(int rows) {
            int k = space.trials();
            int layers = space.layers();
            input = Nd4j.create(DataType.FLOAT, k, rows, space.in(0));
            labels = Nd4j.create(DataType.FLOAT, (long) k * rows, space.out(layers - 1));
            pre = new INDArray[layers];
            act = new INDArray[layers - 1];
            eps = new INDArray[layers - 1];
            acts = Nd4j.create(DataType.FLOAT, Math.max(1, activationLength(rows)));
            int offset = 0;
            for (int l = 0; l < layers; l++) {
                long[] shape = {k, rows, space.out(l)};
                pre[l] = Nd4j.create(DataType.FLOAT, shape);
                if (l < layers - 1) {
                    act[l] = block(acts, offset, shape);
                    eps[l] = Nd4j.create(DataType.FLOAT, shape);
                    offset += k * rows * space.out(l);
                }
            }
        }
    }
}
