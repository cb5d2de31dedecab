package io.gradsweep.vector;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One LSTM layer's buffers over a pass of {@code m} rows, and the element-wise half of each of its steps. DL4J's
 * LSTMHelpers does every product, sum and {@code x(1-x)} of a step as its own ND4J op; here they are Java loops, in
 * DL4J's order and with its operands. Java rounds each float operation as libnd4j does (IEEE single, no fused
 * multiply-add), so the bits are DL4J's, while some 30 ND4J calls per step (each an op object, shape buffers, a
 * native call and a deallocation on ND4J's reference thread, which made up most of a step) become loops over a few
 * thousand floats. A tanh (the input block and the cell's activation) is {@link FloatTanh}'s Java loop, ten times
 * cheaper per value than libnd4j's and within a few ulp of it, which makes this family agree with DL4J to a
 * tolerance rather than bit for bit. The sigmoid gates and any other activation stay DL4J's own objects, run on
 * contiguous native blocks holding all K trials: one to three calls per forward step. (A Java sigmoid needs an exp
 * that C2 vectorizes, and Java 17's C2 does not vectorize the float-to-int conversion one needs; the tanh-based
 * sigmoid's absolute error of 2e-7 pushed small gate values and the statistics over them past the tolerance.) The
 * derivatives come from the outputs the forward step kept ({@link OutputDerivative}) where the activation allows,
 * else from two more calls per backward step.
 *
 * <p>Layouts: the gates {@link #ifog} are [T][K][4 units][m], each trial's step DL4J's f-order [m, 4 units] IFOG
 * block (input, forget, output, modulation), activated in place; the cell state and its activation [T][K][units][m]
 * in Java; the delta one [K][4 units][m] block reused from step to step, as DL4J reuses its deltaifogNext.
 */
final class LstmStep {
    final FloatPointer ifogAt;
    final FloatPointer deltaAt;
    final FloatPointer nablaOutAt;
    /** This step's delta, which the bias sums read. */
    final float[] dz;
    private final int k;
    private final int q;
    private final int n;
    private final FloatBuffer gates;
    private final FloatBuffer delta;
    private final FloatBuffer nablaOut;
    private final float[] cell;
    private final float[] cellAct;
    private final float[] scratch;
    private float[] z;
    private float[] later;
    private float[] nabla;
    private float[] nablaLater;
    /** The native arrays the pointers and buffers above read: held, so ND4J does not free them. */
    private final INDArray[] natives;
    /** Native blocks for the activation objects: one gate ([K][units][m]), three gates, and the epsilon. */
    private final INDArray one;
    private final INDArray three;
    private final INDArray eps;
    private final FloatBuffer oneAt;
    private final FloatBuffer threeAt;
    private final FloatBuffer epsAt;

    LstmStep(int trials, int units, int steps, int rows) {
        k = trials;
        q = units * rows;
        n = k * q;
        INDArray ifog = Nd4j.create(DataType.FLOAT, 4L * steps * n);
        ifogAt = Blas.pointer(ifog);
        gates = ifog.data().asNioFloat();
        INDArray d = Nd4j.create(DataType.FLOAT, 4L * n);
        deltaAt = Blas.pointer(d);
        delta = d.data().asNioFloat();
        INDArray no = Nd4j.create(DataType.FLOAT, n);
        nablaOutAt = Blas.pointer(no);
        nablaOut = no.data().asNioFloat();
        cell = new float[steps * n];
        cellAct = new float[steps * n];
        z = new float[4 * n];
        later = new float[4 * n];
        dz = new float[4 * n];
        nabla = new float[n];
        nablaLater = new float[n];
        scratch = new float[n];
        one = Nd4j.create(DataType.FLOAT, n);
        three = Nd4j.create(DataType.FLOAT, 3L * n);
        eps = Nd4j.create(DataType.FLOAT, n);
        natives = new INDArray[] {ifog, d, no};
        oneAt = one.data().asNioFloat();
        threeAt = three.data().asNioFloat();
        epsAt = eps.data().asNioFloat();
    }

    /** Activates {@code x} in place, as DL4J's layer does with its activation's result. */
    private static void apply(IActivation f, INDArray x, boolean training) {
        INDArray a = f.getActivation(x, training);
        if (a != x) {
            x.assign(a);
        }
    }

    /** f's derivative at {@link #one} times {@link #eps}, as DL4J's backprop returns it, left in {@link #one}. */
    private void backprop(IActivation f) {
        INDArray d = f.backprop(one, eps).getFirst();
        if (d != one) {
            one.assign(d);
        }
    }

    /**
     * Step i once its products are in the gates: adds the bias ({@code ifog.addi(b)}), keeps the input block's
     * pre-activations in {@code pre} when training, activates the gates, then {@code c = c_{t-1} f + g i} (at step
     * 0, {@code 0 f + g i}), {@code act(c)} and the output {@code h = act(c) o} into {@code acts}.
     */
    void forward(int i, float[] bias, FloatBuffer pre, FloatBuffer acts, IActivation hidden, IActivation gate,
                 boolean training) {
        gates.get(4 * n * i, z, 0, 4 * n);
        for (int j = 0; j < 4 * n; j++) {
            z[j] += bias[j];
        }
        boolean javaTanh = OutputDerivative.of(hidden) == OutputDerivative.TANH;
        for (int t = 0; t < k; t++) {
            if (training && OutputDerivative.of(hidden) == null) {
                pre.put(n * i + t * q, z, 4 * t * q, q);
            }
            if (javaTanh) {
                FloatTanh.tanh(z, 4 * t * q, q);
            } else {
                oneAt.put(t * q, z, 4 * t * q, q);
            }
            threeAt.put(3 * t * q, z, (4 * t + 1) * q, 3 * q);
        }
        if (!javaTanh) {
            apply(hidden, one, training);
        }
        apply(gate, three, training);
        for (int t = 0; t < k; t++) {
            if (!javaTanh) {
                oneAt.get(t * q, z, 4 * t * q, q);
            }
            threeAt.get(3 * t * q, z, (4 * t + 1) * q, 3 * q);
        }
        gates.put(4 * n * i, z, 0, 4 * n);
        int at = n * i;
        for (int t = 0; t < k; t++) {
            for (int r = 0; r < q; r++) {
                float f = z[(4 * t + 1) * q + r];
                float c = i == 0 ? 0f * f : cell[at - n + t * q + r] * f;
                cell[at + t * q + r] = c + z[(4 * t + 3) * q + r] * z[4 * t * q + r];
            }
        }
        if (javaTanh) {
            System.arraycopy(cell, at, cellAct, at, n);
            FloatTanh.tanh(cellAct, at, n);
        } else {
            oneAt.put(0, cell, at, n);
            apply(hidden, one, training);
            oneAt.get(0, cellAct, at, n);
        }
        for (int t = 0; t < k; t++) {
            for (int r = 0; r < q; r++) {
                scratch[t * q + r] = cellAct[at + t * q + r] * z[(4 * t + 2) * q + r];
            }
        }
        acts.put(at, scratch, 0, n);
    }

    /** Before the last step's backward pass of a layer: no later step's delta. */
    void beginBackward() {
        Arrays.fill(dz, 0f);
        delta.put(0, dz, 0, 4 * n);
    }

    /** DL4J's nablaOut of step i: the layer's epsilon there, before the recurrent products add to it. */
    void nablaOut(int i, FloatBuffer layerEps) {
        layerEps.get(n * i, scratch, 0, n);
        nablaOut.put(0, scratch, 0, n);
    }

    /**
     * Step i's delta into {@link #dz} and the native delta block once nablaOut holds dL/dh: LSTMHelpers' output
     * gate, cell, forget (from step 1 on), modulation and input deltas, in its order.
     */
    void backward(int i, int steps, FloatBuffer pre, IActivation hidden) {
        nablaOut.get(0, scratch, 0, n);
        gates.get(4 * n * i, z, 0, 4 * n);
        int at = n * i;
        for (int t = 0; t < k; t++) {
            for (int r = 0; r < q; r++) {
                float o = z[(4 * t + 2) * q + r];
                float no = scratch[t * q + r];
                dz[(4 * t + 2) * q + r] = no * cellAct[at + t * q + r] * (o * (1f - o));
                scratch[t * q + r] = o * no;
            }
        }
        OutputDerivative derivative = OutputDerivative.of(hidden);
        if (derivative != null) {
            derivative.times(cellAct, at, scratch, 0, nabla, 0, n);
        } else {
            oneAt.put(0, cell, at, n);
            epsAt.put(0, scratch, 0, n);
            backprop(hidden);
            oneAt.get(0, nabla, 0, n);
        }
        for (int t = 0; t < k; t++) {
            for (int r = 0; r < q; r++) {
                int x = t * q + r;
                float v = 0f + nabla[x];
                if (i < steps - 1) {
                    v += later[(4 * t + 1) * q + r] * nablaLater[x];
                }
                nabla[x] = v;
                if (i > 0) {
                    float f = z[(4 * t + 1) * q + r];
                    dz[(4 * t + 1) * q + r] = f * (1f - f) * v * cell[at - n + x];
                }
                float g = z[(4 * t + 3) * q + r];
                dz[(4 * t + 3) * q + r] = g * (1f - g) * z[4 * t * q + r] * v;
                scratch[x] = g * v;
            }
        }
        if (derivative != null) {
            for (int t = 0; t < k; t++) {
                derivative.times(z, 4 * t * q, scratch, t * q, dz, 4 * t * q, q);
            }
        } else {
            oneAt.put(0, pre, at, n);
            epsAt.put(0, scratch, 0, n);
            backprop(hidden);
            for (int t = 0; t < k; t++) {
                oneAt.get(t * q, dz, 4 * t * q, q);
            }
        }
        delta.put(0, dz, 0, 4 * n);
        float[] swap = z;
        z = later;
        later = swap;
        swap = nabla;
        nabla = nablaLater;
        nablaLater = swap;
    }
}
