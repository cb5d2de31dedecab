package io.gradsweep.vector;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The buffers of a recurrent group's passes over one row count {@code m}, allocated once. Every sequence buffer is
 * [T][K][units][m]: step i of trial k is a column-major [m, units] block, the layout of DL4J's per-step slice of its
 * f-order [m, units, T] activations, so each per-trial product reads and writes what DL4J's does, and all K trials
 * of one step are one contiguous block, so each element-wise op covers the whole group. The per-step deltas are
 * row-major [K][m][units], as DL4J's {@code dup()} of its c-order pre-activation slice leaves them.
 */
final class SeqPasses {
    final int rows;
    final int steps;
    final INDArray input;
    final FloatPointer inputAt;
    final INDArray[] acts;
    final INDArray[] pre;
    /** dL/da of layer l, per step: the epsilon it receives, accumulated in place as DL4J does. */
    final INDArray[] eps;
    /** dL/du of layer 0's input. */
    final INDArray inputGrad;
    final FloatPointer[] actsAt;
    /** A second pointer to each layer's outputs: the recurrent product reads step i-1 and writes step i. */
    final FloatPointer[] previousAt;
    final FloatPointer[] preAt;
    final FloatPointer[] epsAt;
    final FloatPointer inputGradAt;
    /** Two [K, m, units] delta buffers per layer, this step's and the later step's. */
    final INDArray[][] delta;
    final FloatPointer[][] deltaAt;
    final float[] deltaHost;
    /** One step's outputs and epsilons of a layer, [K][units][m], for a derivative taken from the outputs. */
    final float[] stepActsHost;
    final float[] stepEpsHost;
    final INDArray outPre;
    final INDArray labels;
    /** An LSTM's gates, cell states and step scratch per layer (null for SimpleRnn); {@link #pre} holds the input
     * block's pre-activations. */
    final LstmStep[] lstm;

    SeqPasses(int trials, int features, int[] widths, int steps, int rows) {
        this(trials, features, widths, steps, rows, false);
    }

    SeqPasses(int trials, int features, int[] widths, int steps, int rows, boolean lstm) {
        this.rows = rows;
        this.steps = steps;
        int layers = widths.length;
        input = Nd4j.create(DataType.FLOAT, (long) steps * trials * features * rows);
        inputAt = Blas.pointer(input);
        inputGrad = Nd4j.create(DataType.FLOAT, (long) steps * trials * features * rows);
        inputGradAt = Blas.pointer(inputGrad);
        acts = new INDArray[layers];
        pre = new INDArray[layers];
        eps = new INDArray[layers];
        actsAt = new FloatPointer[layers];
        previousAt = new FloatPointer[layers];
        preAt = new FloatPointer[layers];
        epsAt = new FloatPointer[layers];
        delta = new INDArray[layers][2];
        deltaAt = new FloatPointer[layers][2];
        int widest = 0;
        for (int l = 0; l < layers; l++) {
            long n = (long) steps * trials * widths[l] * rows;
            acts[l] = Nd4j.create(DataType.FLOAT, n);
            pre[l] = Nd4j.create(DataType.FLOAT, n);
            eps[l] = Nd4j.create(DataType.FLOAT, n);
            actsAt[l] = Blas.pointer(acts[l]);
            previousAt[l] = Blas.pointer(acts[l]);
            preAt[l] = Blas.pointer(pre[l]);
            epsAt[l] = Blas.pointer(eps[l]);
            for (int d = 0; d < 2; d++) {
                delta[l][d] = Nd4j.create(DataType.FLOAT, trials, rows, widths[l]);
                deltaAt[l][d] = Blas.pointer(delta[l][d]);
            }
            widest = Math.max(widest, trials * rows * widths[l]);
        }
        deltaHost = new float[widest];
        stepActsHost = new float[widest];
        stepEpsHost = new float[widest];
        this.lstm = lstm ? new LstmStep[layers] : null;
        for (int l = 0; lstm && l < layers; l++) {
            this.lstm[l] = new LstmStep(trials, widths[l], steps, rows);
        }
        outPre = Nd4j.create(DataType.FLOAT, (long) trials * rows, 1);
        labels = Nd4j.create(DataType.FLOAT, (long) trials * rows, 1);
    }

    /** Step i of a [T][K][units][m] buffer, all trials, flat. */
    static INDArray step(INDArray buffer, int i, long block) {
        return buffer.get(NDArrayIndex.interval(i * block, (i + 1) * block));
    }

    /** Step i as [K, m, units] (a permuted view), the logical shape of the deltas. */
    static INDArray stepAsRows(INDArray buffer, int i, int trials, int units, int rows) {
        return step(buffer, i, (long) trials * units * rows).reshape('c', trials, units, rows).permute(0, 2, 1);
    }
}
