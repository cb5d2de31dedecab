package io.gradsweep.vector;

import io.gradsweep.data.Dataset;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.stats.ParamLayout;
import io.gradsweep.train.TrialRecorder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * K equally shaped MLPs over [K, rows, units] arrays: the matrix products per trial through {@link Blas}, every
 * element-wise step as one ND4J op over the whole group with DL4J's own activation and loss objects (taken from a
 * trial's network), so each step is the op DL4J runs, in DL4J's order. Hidden layers may be batch-normalized
 * ({@link BatchNormPass}) and have identity skips ({@link ParamSpace#skips}), as {@code model.Mlp} and
 * {@code model.Graphs} build them.
 *
 * <p>The parameters live in Java, where the optimizer runs: {@link #load} copies them in once per iteration, the
 * weight gradients come back in one copy, and the bias gradients are summed in Java, as ND4J sums them: a
 * sequential float sum over the minibatch. Buffers are allocated once per distinct row count (the minibatch, the
 * last short one, evaluation chunks).
 */
final class BatchedMlp implements GroupNet {
    private final ParamSpace space;
    private final IActivation hidden;
    /** The hidden activation's derivative from its outputs, or null: then DL4J's backprop at its inputs. */
    private final OutputDerivative derivative;
    private final IActivation output;
    private final ILossFunction loss;
    private final INDArray params;
    private final INDArray gradient;
    private final FloatPointer paramsAt;
    private final FloatPointer gradientAt;
    private final Map<Integer, Passes> passes = new HashMap<>();
    /** Null when no trial drops. */
    private final DropoutMasks dropout;
    /** [layer][BN_PARAMS index]: [K, units] views of the loaded parameters, and where their blocks start. */
    private final INDArray[][] bnTensors;
    private final int[][] bnBlocks;
    private final float[] initial;
    private float[] host;
    /** The last recording pass's hidden outputs and pre-activation gradients, layer by layer [K, rows, width]. */
    private float[] activations = new float[0];
    private float[] preacts = new float[0];

    /** The group's net, started from each trial's own DL4J network (see {@link Initial}). */
    static BatchedMlp of(List<TrialConfig> trials, Dataset train) {
        ParamSpace space = Groups.space(trials, train);
        Initial init = Initial.of(trials, space, train.numFeatures(), train.numClasses());
        return new BatchedMlp(space, init, DropoutMasks.of(trials, init.randomStates()));
    }

    private BatchedMlp(ParamSpace space, Initial init, DropoutMasks dropout) {
        this.space = space;
        this.dropout = dropout;
        this.hidden = init.hidden();
        this.derivative = OutputDerivative.of(hidden);
        this.output = init.output();
        this.loss = init.loss();
        this.initial = init.params();
        params = Nd4j.create(DataType.FLOAT, space.length());
        gradient = Nd4j.create(DataType.FLOAT, space.length());
        paramsAt = Blas.pointer(params);
        gradientAt = Blas.pointer(gradient);
        bnTensors = new INDArray[space.layers()][];
        bnBlocks = new int[space.layers()][];
        for (int l = 0; l < space.layers(); l++) {
            if (space.hasBatchNorm(l)) {
                bnTensors[l] = new INDArray[ParamSpace.BN_PARAMS.size()];
                bnBlocks[l] = new int[ParamSpace.BN_PARAMS.size()];
                for (int t = 0; t < bnTensors[l].length; t++) {
                    int at = space.bnStart(l, t);
                    bnTensors[l][t] = params.get(NDArrayIndex.interval(at, at + space.trials() * space.out(l)))
                            .reshape('c', space.trials(), space.out(l));
                    bnBlocks[l][t] = at;
                }
            }
        }
    }

    @Override
    public int trials() {
        return space.trials();
    }

    @Override
    public int length() {
        return space.length();
    }

    @Override
    public ParamLayout layout(int k) {
        return space.layout(k);
    }

    @Override
    public int[][] runningStats(int k) {
        return space.runningStats(k);
    }

    @Override
    public float[] initialParams() {
        return initial.clone();
    }

    @Override
    public int features() {
        return space.in(0);
    }

    @Override
    public int outputs() {
        return space.out(space.layers() - 1);
    }

    /** Copies the Java-side parameters in; the array is also read for the biases until the next call. */
    @Override
    public void load(float[] values) {
        host = values;
        params.data().asNioFloat().put(values, 0, space.length());
    }

    /**
     * {@inheritDoc} The labels are DL4J's [K * rows, outputs]. Recording keeps the hidden layers' outputs and, in
     * the same layout, the summed loss's gradient at their pre-activations: the deltas this pass computes anyway.
     */
    @Override
    public void train(float[] x, float[] y, int rows, float[] scores, float[] grad, boolean record) {
        Passes p = passes(rows);
        p.input.data().asNioFloat().put(x, 0, (int) p.input.length());
        p.labels.data().asNioFloat().put(y, 0, (int) p.labels.length());
        if (dropout != null) {
            dropout.draw(p.trialMask);
        }
        forward(p, true);
        int last = space.layers() - 1;
        INDArray preOut = p.pre[last].reshape(p.labels.shape());
        // The score first: DL4J's gradient overwrites the pre-output it is given.
        score(p, preOut, scores);
        INDArray delta = loss.computeGradient(p.labels, preOut, output, null);
        for (int l = last; l >= 0; l--) {
            if (delta != p.delta[l]) {
                p.copyOut(delta, p.delta[l], p.deltaHost[l]);
            }
            weightGradient(p, l);
            if (l > 0) {
                for (int k = 0; k < space.trials(); k++) {
                    Blas.inputGradient(p.deltaAt[l], (long) k * rows * space.out(l), paramsAt, space.weight(l, k),
                            p.epsAt[l - 1], (long) k * rows * space.in(l), rows, space.in(l), space.out(l));
                }
                if (p.mask != null) {
                    p.eps[l - 1].muli(p.mask[l]);
                }
                if (space.skips(l)) {
                    // The skip's share: DL4J's add vertex hands its gradient to both of its inputs.
                    p.eps[l - 1].addi(p.skip[l]);
                }
                delta = hiddenDelta(p, l - 1, grad);
            }
        }
        FloatBuffer computed = gradient.data().asNioFloat();
        for (int l = 0; l <= last; l++) {
            computed.position(space.weightStart(l));
            computed.get(grad, space.weightStart(l), space.trials() * space.in(l) * space.out(l));
            biasGradient(p, l, grad);
        }
        if (record) {
            if (activations.length < p.acts.length()) {
                activations = new float[(int) p.acts.length()];
                preacts = new float[activations.length];
            }
            p.acts.data().asNioFloat().get(activations, 0, (int) p.acts.length());
            for (int l = 0, at = 0; l < last; at += p.preactHost[l].length, l++) {
                System.arraycopy(p.preactHost[l], 0, preacts, at, p.preactHost[l].length);
            }
        }
    }

    /**
     * The summed loss's gradient at hidden layer {@code l}'s dense output, from the one at its output in
     * {@code p.eps[l]}: back through the activation and, with batch norm, through that (whose tensors' gradients
     * go to {@code grad}); then {@code p.preactHost[l]} holds the activation's part, which DL4J's probe records.
     * The result may be {@code p.delta[l]} itself, already copied to the host.
     */
    private INDArray hiddenDelta(Passes p, int l, float[] grad) {
        if (space.skips(l)) {
            p.skip[l].assign(p.eps[l]);
        }
        if (!space.hasBatchNorm(l)) {
            if (derivative == null) {
                return hidden.backprop(p.pre[l], p.eps[l]).getFirst();
            }
            p.derivativeFromOutputs(derivative, l, p.deltaHost[l]);
            p.delta[l].data().asNioFloat().put(p.deltaHost[l]);
            return p.delta[l];
        }
        if (derivative == null) {
            p.copyOut(hidden.backprop(p.bn[l].out, p.eps[l]).getFirst(), p.delta[l], p.preactHost[l]);
        } else {
            p.derivativeFromOutputs(derivative, l, p.preactHost[l]);
        }
        p.bn[l].backward(p.preactHost[l], host, bnBlocks[l], new INDArray[] {bnTensors[l][2], bnTensors[l][3]},
                grad, p.deltaHost[l]);
        p.delta[l].data().asNioFloat().put(p.deltaHost[l]);
        return p.delta[l];
    }

    /**
     * Only the score's finiteness is used (it marks a diverged trial). DL4J's cross-entropies clip probabilities
     * to [eps, 1 - eps] before the log, so the score is finite whenever every pre-output is: then zeros stand in
     * for the per-example scores and DL4J's ten score ops are skipped. Otherwise DL4J computes them.
     */
    private void score(Passes p, INDArray preOut, float[] scores) {
        int last = space.layers() - 1;
        float[] z = p.preHost[last];
        p.pre[last].data().asNioFloat().get(z);
        boolean finite = true;
        for (float v : z) {
            finite &= Float.isFinite(v);
        }
        if (finite) {
            Arrays.fill(scores, 0, (int) p.scores.length(), 0f);
        } else {
            p.copyOut(loss.computeScoreArray(p.labels, preOut, output, null), p.scores, scores);
        }
    }

    /** Trial k's slice of every hidden layer's [K, rows, width] output block, and of its deltas. */
    @Override
    public void recordHidden(int k, TrialRecorder recorder, int rows, int epoch, long iteration) {
        int offset = 0;
        for (int l = 0; l < space.layers() - 1; l++) {
            int width = space.out(l);
            recorder.activation(l, activations, preacts, offset + k * rows * width, rows * width, width, 1.0 / rows,
                    epoch, iteration);
            offset += space.trials() * rows * width;
        }
    }

    @Override
    public float[] predict(float[] x, int rows) {
        Passes p = passes(rows);
        p.input.data().asNioFloat().put(x, 0, (int) p.input.length());
        forward(p, false);
        int last = space.layers() - 1;
        INDArray preOut = p.pre[last].reshape((long) space.trials() * rows, space.out(last));
        INDArray probs = output.getActivation(preOut.dup('c'), false);
        float[] values = new float[(int) probs.length()];
        probs.data().asNioFloat().get(values);
        return values;
    }

    /** Per layer, a chunk's {@link Passes} keep six [K, rows, units] arrays (native and host copies). */
    @Override
    public long evaluationFloatsPerRow() {
        long perRow = space.in(0);
        for (int l = 0; l < space.layers(); l++) {
            perRow += 6L * space.out(l);
        }
        return perRow;
    }

    /**
     * DL4J's dense forward: z = x * W, then z + b, then a = f(z). ND4J's mmul computes the product column-major
     * and copies it into the c-order z; the copy here is the transpose from {@link Passes#product}, and the bias is
     * added in the same pass, one float add per element as ND4J's broadcast add does, which costs less than that
     * op. (Accumulating the product onto the bias would be cheaper still, but OpenBLAS then adds the bias before
     * the last block of a long inner dimension.)
     */
    private void forward(Passes p, boolean training) {
        int k = space.trials();
        int rows = p.rows;
        for (int l = 0; l < space.layers(); l++) {
            int in = space.in(l);
            int out = space.out(l);
            for (int t = 0; t < k; t++) {
                Blas.forward(p.inputAt(l), p.inputOffset(l, t), paramsAt, space.weight(l, t), p.preAt[l],
                        (long) t * rows * out, rows, in, out);
            }
            float[] product = p.product;
            float[] z = p.preHost[l];
            p.pre[l].data().asNioFloat().get(product, 0, z.length);
            for (int t = 0; t < k; t++) {
                int b = space.bias(l, t);
                int slice = t * rows * out;
                for (int j = 0; j < out; j++) {
                    float bias = host[b + j];
                    for (int i = 0, from = slice + j * rows, to = slice + j; i < rows; i++, to += out) {
                        z[to] = product[from + i] + bias;
                    }
                }
            }
            p.pre[l].data().asNioFloat().put(z);
            if (l < space.layers() - 1) {
                activate(p, l, training);
                drop(p, l, training);
            }
        }
    }

    /** Batch norm (when the net has it), the activation, and the skip (when the layer has one). */
    private void activate(Passes p, int l, boolean training) {
        INDArray s = p.pre[l];
        if (space.hasBatchNorm(l)) {
            if (training) {
                p.bn[l].train(p.preHost[l], host, bnBlocks[l]);
            } else {
                p.bn[l].infer(p.preHost[l], host, bnBlocks[l], bnTensors[l][3]);
            }
            s = p.bn[l].out;
        }
        p.act[l].assign(s);
        INDArray a = hidden.getActivation(p.act[l], training);
        if (a != p.act[l]) {
            p.act[l].assign(a);
        }
        if (space.skips(l)) {
            // DL4J's add vertex: a copy of the activation, plus the layer's input.
            p.sum[l].assign(p.act[l]).addi(p.output(l - 1));
        }
    }

    /** Dropout on the next layer's input (see {@link Passes#mask}); evaluation hands the output layer a copy. */
    private void drop(Passes p, int l, boolean training) {
        if (p.mask == null) {
            return;
        }
        boolean toOutput = l + 1 == space.layers() - 1;
        if (toOutput) {
            p.dropped.assign(p.act[l]);
        }
        if (training) {
            if (!toOutput) {
                p.keepOutputs(l);
            }
            (toOutput ? p.dropped : p.act[l]).muli(p.mask[l + 1]);
        }
    }

    private void weightGradient(Passes p, int l) {
        for (int t = 0; t < space.trials(); t++) {
            Blas.weightGradient(p.deltaAt[l], (long) t * p.rows * space.out(l), p.inputAt(l), p.inputOffset(l, t),
                    gradientAt, space.weight(l, t), p.rows, space.in(l), space.out(l));
        }
    }

    private void biasGradient(Passes p, int l, float[] grad) {
        int out = space.out(l);
        for (int t = 0; t < space.trials(); t++) {
            Rows.sumRows(p.deltaHost[l], t * p.rows * out, p.rows, out, grad, space.bias(l, t));
        }
    }

    private Passes passes(int rows) {
        return passes.computeIfAbsent(rows, r -> new Passes(space, r, dropout != null));
    }
}
