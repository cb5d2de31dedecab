package io.gradsweep.vector;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The buffers of a group's passes over one row count, allocated once: inputs and labels, and per layer the
 * pre-activations, the deltas (native for the products, host for the bias sums), and the input gradients. The
 * hidden layers' outputs share one array, so one copy brings them all back for the activation statistics. The
 * forward products come back column-major into {@link #product}, shared by the layers, to be transposed there.
 *
 * <p>A residual net adds, per skipping layer, the sum {@link #sum} that the next layer reads and a copy of the
 * gradient at it, {@link #skip}; a batch-normalized one a {@link BatchNormPass} per hidden layer and, for the
 * recorded dL/ds (at batch norm's output, as DL4J's probe sees it), {@link #preactHost}.
 *
 * <p>With dropout, {@link #mask} holds each layer's input mask (layer 0 has none). A hidden layer feeding another is
 * dropped in place, as DL4J drops it (so its recorded outputs are the dropped ones, as DL4J's are); the output layer
 * reads a dropped copy of the last hidden outputs, {@link #dropped}, since DL4J records those before its output
 * layer drops them.
 */
final class Passes {
    final int rows;
    final INDArray input;
    final INDArray labels;
    final INDArray scores;
    final INDArray[] pre;
    final float[][] preHost;
    final float[] product;
    /** One hidden layer's outputs and epsilons, for a derivative taken from the outputs. */
    private final float[] actHost;
    /**
     * With dropout, each hidden layer's outputs as the activation gave them, kept before dropout multiplies them in
     * place (the last hidden layer's are dropped into a copy instead), for the derivative from the outputs.
     */
    private final float[][] keptHost;
    private final float[] epsHost;
    final FloatPointer[] preAt;
    final INDArray acts;
    final INDArray[] act;
    final INDArray[] eps;
    final FloatPointer[] epsAt;
    final INDArray[] delta;
    final float[][] deltaHost;
    final FloatPointer[] deltaAt;
    final INDArray[] sum;
    final INDArray[] skip;
    final BatchNormPass[] bn;
    final float[][] preactHost;
    final INDArray[] mask;
    /** [layer][trial]: views of {@link #mask}, made once rather than on every pass. */
    final INDArray[][] trialMask;
    final INDArray dropped;
    private final FloatPointer droppedAt;
    private final FloatPointer[] sumAt;
    private final ParamSpace space;
    private final FloatPointer inputAt;
    private final FloatPointer actsAt;
    private final long[] actStart;

    Passes(ParamSpace space, int rows, boolean dropout) {
        this.space = space;
        this.rows = rows;
        int k = space.trials();
        int layers = space.layers();
        input = Nd4j.create(DataType.FLOAT, k, rows, space.in(0));
        labels = Nd4j.create(DataType.FLOAT, (long) k * rows, space.out(layers - 1));
        scores = Nd4j.create(DataType.FLOAT, (long) k * rows);
        inputAt = Blas.pointer(input);
        pre = new INDArray[layers];
        preHost = new float[layers][];
        preAt = new FloatPointer[layers];
        delta = new INDArray[layers];
        deltaHost = new float[layers][];
        deltaAt = new FloatPointer[layers];
        act = new INDArray[layers - 1];
        eps = new INDArray[layers - 1];
        epsAt = new FloatPointer[layers - 1];
        actStart = new long[layers - 1];
        sum = new INDArray[layers - 1];
        skip = new INDArray[layers - 1];
        sumAt = new FloatPointer[layers - 1];
        bn = new BatchNormPass[layers - 1];
        preactHost = new float[layers - 1][];
        long units = 0;
        for (int l = 0; l < layers - 1; l++) {
            units += (long) k * rows * space.out(l);
        }
        acts = Nd4j.create(DataType.FLOAT, Math.max(1, units));
        actsAt = Blas.pointer(acts);
        long offset = 0;
        long widest = 0;
        for (int l = 0; l < layers; l++) {
            long[] shape = {k, rows, space.out(l)};
            pre[l] = Nd4j.create(DataType.FLOAT, shape);
            preAt[l] = Blas.pointer(pre[l]);
            preHost[l] = new float[(int) pre[l].length()];
            widest = Math.max(widest, pre[l].length());
            delta[l] = Nd4j.create(DataType.FLOAT, shape);
            deltaAt[l] = Blas.pointer(delta[l]);
            deltaHost[l] = new float[(int) delta[l].length()];
            if (l < layers - 1) {
                long n = (long) k * rows * space.out(l);
                act[l] = acts.get(NDArrayIndex.interval(offset, offset + n)).reshape('c', shape);
                actStart[l] = offset;
                offset += n;
                eps[l] = Nd4j.create(DataType.FLOAT, shape);
                epsAt[l] = Blas.pointer(eps[l]);
                if (space.skips(l)) {
                    sum[l] = Nd4j.create(DataType.FLOAT, shape);
                    sumAt[l] = Blas.pointer(sum[l]);
                    skip[l] = Nd4j.create(DataType.FLOAT, shape);
                }
                if (space.hasBatchNorm(l)) {
                    bn[l] = new BatchNormPass(shape);
                }
                preactHost[l] = space.hasBatchNorm(l) ? new float[(int) n] : deltaHost[l];
            }
        }
        product = new float[(int) widest];
        actHost = new float[(int) widest];
        epsHost = new float[(int) widest];
        keptHost = dropout ? new float[layers][] : null;
        for (int l = 0; dropout && l < layers - 2; l++) {
            keptHost[l] = new float[(int) act[l].length()];
        }
        mask = dropout ? new INDArray[layers] : null;
        trialMask = dropout ? new INDArray[layers][k] : null;
        for (int l = 1; dropout && l < layers; l++) {
            // Ones: what a trial without dropout keeps; a dropping trial's slice is redrawn on every pass.
            mask[l] = Nd4j.ones(DataType.FLOAT, k, rows, space.in(l));
            for (int t = 0; t < k; t++) {
                trialMask[l][t] = mask[l].get(NDArrayIndex.point(t), NDArrayIndex.all(), NDArrayIndex.all());
            }
        }
        dropped = dropout && layers > 1 ? Nd4j.create(DataType.FLOAT, k, rows, space.in(layers - 1)) : null;
        droppedAt = dropped == null ? null : Blas.pointer(dropped);
    }

    /**
     * The array layer {@code l} reads: the input, the previous hidden layer's outputs, their skip sum, or (the
     * output layer of a dropping net) their dropped copy.
     */
    FloatPointer inputAt(int l) {
        return l == 0 ? inputAt : readsDropped(l) ? droppedAt : space.skips(l - 1) ? sumAt[l - 1] : actsAt;
    }

    /** Where trial {@code t}'s rows of layer {@code l}'s input start in {@link #inputAt}. */
    long inputOffset(int l, int t) {
        long slice = (long) t * rows * space.in(l);
        return l == 0 || space.skips(l - 1) || readsDropped(l) ? slice : actStart[l - 1] + slice;
    }

    private boolean readsDropped(int l) {
        return dropped != null && l == space.layers() - 1;
    }

    /** Hidden layer {@code l}'s output as the next layer reads it: its activation, or that plus its skip. */
    INDArray output(int l) {
        return space.skips(l) ? sum[l] : act[l];
    }

    /**
     * Hidden layer l's epsilon times its activation's derivative, from the outputs {@link #act} holds, into
     * {@code to}; valid while those are the activation's own outputs, that is without dropout, which drops them in
     * place.
     */
    void derivativeFromOutputs(OutputDerivative d, int l, float[] to) {
        int n = (int) act[l].length();
        float[] outputs = keptHost != null && keptHost[l] != null ? keptHost[l] : actHost;
        if (outputs == actHost) {
            acts.data().asNioFloat().get((int) actStart[l], actHost, 0, n);
        }
        eps[l].data().asNioFloat().get(0, epsHost, 0, n);
        d.times(outputs, 0, epsHost, 0, to, 0, n);
    }

    /** Keeps hidden layer {@code l}'s outputs before dropout multiplies them in place (see {@link #keptHost}). */
    void keepOutputs(int l) {
        acts.data().asNioFloat().get((int) actStart[l], keptHost[l], 0, keptHost[l].length);
    }

    /** Copies {@code from} (any view or order of the buffer's shape) into the buffer and on to {@code to}. */
    void copyOut(INDArray from, INDArray buffer, float[] to) {
        buffer.assign(from.reshape(buffer.shape()));
        buffer.data().asNioFloat().get(to, 0, (int) buffer.length());
    }
}
