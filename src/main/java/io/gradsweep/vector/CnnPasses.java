package io.gradsweep.vector;

import java.nio.FloatBuffer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The native buffers of one CNN group pass over {@code rows} examples per trial, allocated once per row count. The
 * group's examples run trial-major ({@code k * rows + n}), so every per-example op (im2col, col2im, pooling) runs
 * once over all K*rows images, and trial k's slice of every buffer is contiguous: each per-trial product reads and
 * writes the same strided layout DL4J's layer would. The im2col matrix is rebuilt in the backward pass, as one op,
 * instead of being kept per block.
 */
final class CnnPasses {
    final int rows;
    final INDArray input;
    final INDArray labels;
    /** Per block: the pre-activations as DL4J's conv layer holds them ([K][out][rows * positions]). */
    final INDArray[] pre;
    /** Per block: the activation, [K * rows, out, side, side] c-order, as the recorder reads it. */
    final INDArray[] act;
    /** Per block: what the next block reads (the skip sum where there is one, else {@link #act}). */
    final INDArray[] block;
    /** Per block: the gradient at the block's output, [K * rows, out, side, side]. */
    final INDArray[] eps;
    /** Per block: dL/ds in {@link #pre}'s layout (the forward pass's scratch for f(z) before that). */
    final INDArray[] epsPre;
    final INDArray preOut;
    /** The last forward pass's pooled maps, [K * rows, channels]. */
    INDArray pooled;
    /** The output layer's input gradient, column-major [classes in, K * rows] per trial. */
    final INDArray poolEps;
    private final INDArray colBuffer;
    /** Host copies: the input images for {@link #im2col}, the image gradient for {@link #col2im}. */
    private float[] image = new float[0];
    /** Host copies for the activations' backprop: output gradient, dL/ds, outputs. */
    private float[] gradient = new float[0];
    private float[] preact = new float[0];
    private float[] outputs = new float[0];
    /** One image's patch gradient, for col2im. */
    private final float[] patches;
    /** One trial's im2col matrix, column-major [rows * positions, patch]. */
    private float[] trialCol = new float[0];
    /** Per block, the bordered scratch images of im2col (border kept zero) and of col2im (zeroed per image). */
    private final float[][] borders;
    private final float[][] sumBorders;
    private final INDArray patchBuffer;
    /** Pointers for the per-trial products (see {@link Blas}): im2col, patch gradient, and per block z and dL/ds. */
    final FloatPointer colAt;
    final FloatPointer patchAt;
    final FloatPointer[] preAt;
    final FloatPointer[] epsPreAt;

    CnnPasses(CnnShape s, int rows) {
        this.rows = rows;
        int k = s.trials;
        long examples = (long) k * rows;
        input = Nd4j.create(DataType.FLOAT, examples, CnnShape.SIDE * CnnShape.SIDE);
        labels = Nd4j.create(DataType.FLOAT, examples, s.classes);
        pre = new INDArray[s.blocks];
        act = new INDArray[s.blocks];
        block = new INDArray[s.blocks];
        eps = new INDArray[s.blocks];
        epsPre = new INDArray[s.blocks];
        long col = 0;
        for (int l = 0; l < s.blocks; l++) {
            int side = s.outSide[l];
            pre[l] = Nd4j.create(DataType.FLOAT, k, s.out[l], (long) rows * s.positions(l));
            act[l] = Nd4j.create(DataType.FLOAT, examples, s.out[l], side, side);
            block[l] = s.residual && l > 0 ? Nd4j.create(DataType.FLOAT, examples, s.out[l], side, side) : act[l];
            eps[l] = Nd4j.create(DataType.FLOAT, examples, s.out[l], side, side);
            epsPre[l] = Nd4j.create(DataType.FLOAT, k, s.out[l], (long) rows * s.positions(l));
            col = Math.max(col, examples * s.positions(l) * s.patch(l));
        }
        colBuffer = Nd4j.create(DataType.FLOAT, col);
        borders = new float[s.blocks][];
        sumBorders = new float[s.blocks][];
        patches = new float[(int) (col / examples)];
        patchBuffer = Nd4j.create(DataType.FLOAT, col);
        colAt = Blas.pointer(colBuffer);
        patchAt = Blas.pointer(patchBuffer);
        preAt = new FloatPointer[s.blocks];
        epsPreAt = new FloatPointer[s.blocks];
        for (int l = 0; l < s.blocks; l++) {
            preAt[l] = Blas.pointer(pre[l]);
            epsPreAt[l] = Blas.pointer(epsPre[l]);
        }
        preOut = Nd4j.create(DataType.FLOAT, examples, s.classes);
        poolEps = Nd4j.create(DataType.FLOAT, examples * s.out[s.blocks - 1]);
    }

    /**
     * Block l's im2col matrix over all K * rows images of its input (a c-order base array), the values libnd4j's
     * im2col writes (a copy, zeros in the padding), gathered in Java ({@link PatchRuns}): libnd4j's generic im2col
     * took ~7.5 ms per block of the shipped CNN at batch 32, most of an update. Each trial's matrix is stored
     * column-major [rows * positions, patch], the transpose of DL4J's layout, which its products read with the
     * transposed BLAS flag (see {@link Blas#convForward}): a slot's positions are then runs of the image.
     */
    void im2col(CnnShape s, int l, INDArray in) {
        int images = (int) in.size(0);
        PatchRuns runs = s.patchRuns(l);
        int pixels = runs.pixels();
        int length = images * pixels;
        if (image.length < length) {
            image = new float[length];
        }
        in.data().asNioFloat().get(image, 0, length);
        float[] border = border(borders, l, runs);
        int m = rows * runs.positions();
        int size = m * runs.patch();
        if (trialCol.length < size) {
            trialCol = new float[size];
        }
        FloatBuffer col = colBuffer.data().asNioFloat();
        for (int t = 0; t < s.trials; t++) {
            for (int n = 0; n < rows; n++) {
                runs.im2colColumns(image, (t * rows + n) * pixels, border, trialCol, m, n * runs.positions());
            }
            col.put(t * size, trialCol, 0, size);
        }
    }

    /**
     * Block l's input gradient from its patch gradient ({@link #patches()}) over all K * rows images, scattered in
     * im2col's order, which is libnd4j's CPU col2im summation order, so the result is its bit for bit (see
     * {@link PatchRuns}).
     */
    void col2im(CnnShape s, int l, INDArray out) {
        int images = (int) out.size(0);
        PatchRuns runs = s.patchRuns(l);
        int pixels = runs.pixels();
        int length = images * pixels;
        int entries = runs.entries();
        if (image.length < length) {
            image = new float[length];
        }
        FloatBuffer grad = patchBuffer.data().asNioFloat();
        float[] scratch = border(sumBorders, l, runs);
        for (int e = 0; e < images; e++) {
            grad.get(e * entries, patches, 0, entries);
            runs.col2im(patches, 0, scratch, image, e * pixels);
        }
        out.data().asNioFloat().put(image, 0, length);
    }

    /** Block l's bordered scratch image in {@code cache}, made once. */
    private static float[] border(float[][] cache, int l, PatchRuns runs) {
        if (cache[l] == null) {
            cache[l] = runs.border();
        }
        return cache[l];
    }

    /**
     * Block l's dL/ds from its output gradient for ReLU, in one pass over the group: the permute into {@link #epsPre}'s
     * layout fused with DL4J's ReLU backprop (libnd4j's LeakyReLUBp at slope 0: eps where z > 0, else 0 * eps, z = 0
     * included, which is common: zero biases over blank patches). The two libnd4j ops it replaces cost several ms
     * per trial-update; VectorCnnExactnessTest's relu cases tell the z = 0 conventions apart.
     */
    void reluBackprop(CnnShape s, int l) {
        int out = s.out[l];
        int positions = s.positions(l);
        int length = hostCopies(l);
        pre[l].data().asNioFloat().get(preact, 0, length);
        int from = 0;
        for (int t = 0; t < s.trials; t++) {
            for (int n = 0; n < rows; n++) {
                for (int c = 0; c < out; c++) {
                    int to = ((t * out + c) * rows + n) * positions;
                    for (int q = 0; q < positions; q++, from++) {
                        float e = gradient[from];
                        preact[to + q] = Relu.backprop(preact[to + q], e);
                    }
                }
            }
        }
        epsPre[l].data().asNioFloat().put(preact, 0, length);
    }

    /**
     * The same for an activation whose derivative comes from its outputs ({@link OutputDerivative}): eps times
     * f'(z) from {@link #act}, which holds f(z) in eps's own layout, then the permute into {@link #epsPre}'s; DL4J
     * permutes first and recomputes f from z, the same values.
     */
    void outputBackprop(CnnShape s, int l, OutputDerivative d) {
        int out = s.out[l];
        int positions = s.positions(l);
        int length = hostCopies(l);
        act[l].data().asNioFloat().get(outputs, 0, length);
        d.times(outputs, 0, gradient, 0, gradient, 0, length);
        int from = 0;
        for (int t = 0; t < s.trials; t++) {
            for (int n = 0; n < rows; n++) {
                for (int c = 0; c < out; c++, from += positions) {
                    System.arraycopy(gradient, from, preact, ((t * out + c) * rows + n) * positions, positions);
                }
            }
        }
        epsPre[l].data().asNioFloat().put(preact, 0, length);
    }

    /** Sizes the host copies for block l's backprop and fills {@link #gradient} with its output gradient. */
    private int hostCopies(int l) {
        int length = (int) eps[l].length();
        if (gradient.length < length) {
            gradient = new float[length];
            preact = new float[length];
            outputs = new float[length];
        }
        eps[l].data().asNioFloat().get(gradient, 0, length);
        return length;
    }

    /**
     * Floats per example and trial that a group's pass holds in block-sized buffers, given each block's map
     * (channels x positions) and the widest im2col row (patch x positions): five maps per block here; with batch
     * norm five more ({@link CnnNorm}'s output, {@link BatchNormPass}'s output, host output, xMu and xHat) and
     * three host copies of the widest map; and the widest im2col matrix twice.
     */
    static long mapFloats(long[] maps, long widestCol, boolean batchNorm) {
        long floats = 2 * widestCol;
        long widest = 0;
        for (long m : maps) {
            floats += (batchNorm ? 10 : 5) * m;
            widest = Math.max(widest, m);
        }
        return floats + (batchNorm ? 3 * widest : 0);
    }

    /** The patch-format input gradient of block l: column-major [in * 3 * 3, rows * positions] per trial. */
    INDArray patches() {
        return patchBuffer;
    }

    /** A view of {@code base}'s buffer: {@code shape} in {@code order} from element {@code offset}. */
    static INDArray view(INDArray base, long offset, char order, long... shape) {
        return Nd4j.create(base.data(), shape, Nd4j.getStrides(shape, order), offset, order);
    }
}
