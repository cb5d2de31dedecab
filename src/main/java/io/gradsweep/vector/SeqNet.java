package io.gradsweep.vector;

import io.gradsweep.stats.ParamLayout;
import io.gradsweep.train.TrialRecorder;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What a recurrent group's net does the same whatever its cell (SimpleRnn, LSTM): the group's flat parameters and
 * gradient in ND4J, the last-step output unit ({@link SeqOutput}), the training pass's order (forward, output,
 * each layer's backward from the top, capturing its input gradients before the layer below runs) and the
 * recording of activations and timestep gradients. A subclass replays its DL4J layer's forward and backward.
 */
abstract class SeqNet implements GroupNet {
    final SeqShape shape;
    final IActivation hidden;
    final SeqOutput output;
    final INDArray params;
    final INDArray gradient;
    final FloatPointer paramsAt;
    final FloatPointer gradientAt;
    private final Map<Integer, SeqPasses> passes = new HashMap<>();
    float[] host;
    private float[][] actsHost = new float[0][];
    private float[][] stepGradHost = new float[0][];
    /** One trial's recorded rows, reused: the recorder summarises them before it returns. */
    private float[] stepRowsHost;

    SeqNet(SeqShape shape, IActivation hidden, SeqOutput output) {
        this.shape = shape;
        this.hidden = hidden;
        this.output = output;
        params = Nd4j.create(DataType.FLOAT, shape.length());
        gradient = Nd4j.create(DataType.FLOAT, shape.length());
        paramsAt = Blas.pointer(params);
        gradientAt = Blas.pointer(gradient);
    }

    /** The cell's forward pass over every layer and step. */
    abstract void forward(SeqPasses p, boolean training);

    /** Layer l's backprop through time into {@link #gradient}; returns its bias gradient, [K][gates * units]. */
    abstract float[] backward(SeqPasses p, int l);

    abstract SeqPasses allocate(int rows);

    @Override
    public int trials() {
        return shape.trials();
    }

    @Override
    public int length() {
        return shape.length();
    }

    @Override
    public ParamLayout layout(int k) {
        return shape.layout(k);
    }

    @Override
    public float[] initialParams() {
        return shape.initial().clone();
    }

    @Override
    public int features() {
        return shape.features() * shape.steps();
    }

    @Override
    public int outputs() {
        return 1;
    }

    @Override
    public void load(float[] values) {
        host = values;
        params.data().asNioFloat().put(values, 0, shape.length());
    }

    @Override
    public void train(float[] x, float[] y, int rows, float[] scores, float[] grad, boolean record) {
        SeqPasses p = passes(rows);
        shape.fillInput(p, x);
        forward(p, true);
        output.train(p, params, y, scores, grad);
        gradient.assign(0);
        float[][] biases = new float[shape.layers()][];
        if (record && actsHost.length != shape.layers()) {
            actsHost = new float[shape.layers()][];
            stepGradHost = new float[shape.layers()][];
        }
        for (int l = shape.layers() - 1; l >= 0; l--) {
            biases[l] = backward(p, l);
            if (record) {
                // Now, before the layer below accumulates its recurrent terms into this same epsilon.
                stepGradHost[l] = copy(l > 0 ? p.eps[l - 1] : p.inputGrad, stepGradHost[l]);
                actsHost[l] = copy(p.acts[l], actsHost[l]);
            }
        }
        gradient.data().asNioFloat().get(grad, 0, shape.length());
        for (int l = 0; l < shape.layers(); l++) {
            shape.putBiases(l, biases[l], grad);
        }
        output.copyGradients(grad);
    }

    /** The buffer's values in {@code into}, or in a new array when its length differs (another row count). */
    private static float[] copy(INDArray buffer, float[] into) {
        float[] to = into != null && into.length == buffer.length() ? into : new float[(int) buffer.length()];
        buffer.data().asNioFloat().get(0, to, 0, to.length);
        return to;
    }

    @Override
    public void recordHidden(int k, TrialRecorder recorder, int rows, int epoch, long iteration) {
        for (int l = 0; l < shape.layers(); l++) {
            recorder.sequenceActivation(l, shape.outputsOf(actsHost[l], k, shape.width(l), rows), epoch, iteration);
        }
        for (int l = 0; l < shape.layers(); l++) {
            int in = shape.in(l);
            stepRowsHost = shape.stepGradientsOf(stepGradHost[l], k, in, rows, stepRowsHost);
            recorder.timestepGradients(l, stepRowsHost, rows, in,
                    shape.steps(), epoch, iteration, 1.0 / rows);
        }
    }

    @Override
    public float[] predict(float[] x, int rows) {
        SeqPasses p = passes(rows);
        shape.fillInput(p, x);
        forward(p, false);
        return output.predict(p, params);
    }

    /**
     * Step i's products of layer l for every trial, as DL4J's layers issue them, into trial t's column-major
     * [m, gates * units] block of the step buffer {@code out}: {@code x_i W}, then from step 1 on {@code += h_{i-1}
     * RW}. With {@code bias} ([K][gates * units][m], see {@link SeqShape#biasPattern}) the block starts from it and
     * x_i W accumulates onto it (SimpleRnn's beta 1); without, x_i W overwrites the block (LSTM's fresh IFOG block,
     * which adds its bias after both products).
     */
    void stepProducts(SeqPasses p, int l, int i, FloatPointer out, FloatBuffer outAt, float[] bias) {
        int k = shape.trials();
        int m = p.rows;
        int in = shape.in(l);
        int u = shape.width(l);
        long block = (long) shape.gates() * u * m;
        FloatPointer below = l == 0 ? p.inputAt : p.actsAt[l - 1];
        if (bias != null) {
            outAt.put((int) (i * k * block), bias);
        }
        for (int t = 0; t < k; t++) {
            long at = (i * (long) k + t) * block;
            Blas.gemm(false, false, m, shape.gates() * u, in, below, (i * (long) k + t) * in * m, m, paramsAt,
                    shape.w(l, t), in, bias == null ? 0f : 1f, out, at, m);
            if (i > 0) {
                Blas.gemm(false, false, m, shape.gates() * u, u, p.previousAt[l], ((i - 1L) * k + t) * u * m, m,
                        paramsAt, shape.rw(l, t), u, 1f, out, at, m);
            }
        }
    }

    SeqPasses passes(int rows) {
        return passes.computeIfAbsent(rows, this::allocate);
    }
}
