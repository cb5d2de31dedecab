package io.gradsweep.vector;

import static io.gradsweep.vector.CnnPasses.view;

import io.gradsweep.data.Dataset;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.stats.ParamLayout;
import io.gradsweep.train.TrialRecorder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * K ResNet-style CNN trials ({@code model: cnn}, with or without identity skips) as one computation: DL4J's own
 * ConvolutionLayer algorithm (im2col, a product per trial, col2im), with every per-example op (im2col, col2im,
 * activation, skip sum, global average pooling) issued once over all K * rows images, and each trial's products
 * as the BLAS calls ND4J makes for DL4J's layers (conv products straight through {@link Blas}, the small output
 * layer's through ND4J on views with DL4J's layouts), so each trial's numbers are its DL4J network's bit for bit.
 * See {@link CnnPasses} for the layouts.
 */
final class BatchedCnn implements GroupNet {
    private final CnnShape s;
    private final INDArray params;
    private final INDArray gradient;
    private final FloatPointer paramsAt;
    private final FloatPointer gradientAt;
    private final Map<Integer, CnnPasses> passes = new HashMap<>();
    private float[] activations = new float[0];
    private float[] preacts = new float[0];

    static BatchedCnn of(List<TrialConfig> trials, Dataset train) {
        return new BatchedCnn(new CnnShape(trials, train.numClasses()));
    }

    private BatchedCnn(CnnShape shape) {
        this.s = shape;
        params = Nd4j.create(DataType.FLOAT, (long) s.trials * s.perTrial);
        gradient = Nd4j.create(DataType.FLOAT, (long) s.trials * s.perTrial);
        paramsAt = Blas.pointer(params);
        gradientAt = Blas.pointer(gradient);
    }

    @Override
    public int trials() {
        return s.trials;
    }

    @Override
    public int length() {
        return s.trials * s.perTrial;
    }

    @Override
    public ParamLayout layout(int k) {
        return s.layout(k);
    }

    @Override
    public float[] initialParams() {
        return s.initial.clone();
    }

    @Override
    public int features() {
        return CnnShape.SIDE * CnnShape.SIDE;
    }

    @Override
    public int outputs() {
        return s.classes;
    }

    @Override
    public void load(float[] values) {
        params.data().asNioFloat().put(values, 0, length());
    }

    @Override
    public void train(float[] x, float[] y, int rows, float[] scores, float[] grad, boolean record) {
        CnnPasses p = passes(rows);
        p.input.data().asNioFloat().put(x, 0, (int) p.input.length());
        p.labels.data().asNioFloat().put(y, 0, (int) p.labels.length());
        forward(p, true);
        score(p, scores);
        INDArray delta = s.loss.computeGradient(p.labels, p.preOut, s.output, null);
        CnnBackward.run(s, p, new CnnBackward.Arrays(params, paramsAt, gradient, gradientAt), delta);
        gradient.data().asNioFloat().get(grad, 0, length());
        if (record) {
            keep(p);
        }
    }

    /** Every block's activation and dL/ds, trial-major and row-major per example, as DL4J's recorder reads them. */
    private void keep(CnnPasses p) {
        long total = 0;
        for (INDArray a : p.act) {
            total += a.length();
        }
        if (activations.length < total) {
            activations = new float[(int) total];
            preacts = new float[(int) total];
        }
        int at = 0;
        for (int l = 0; l < s.blocks; l++) {
            int n = (int) p.act[l].length();
            p.act[l].data().asNioFloat().get(activations, at, n);
            INDArray delta = p.epsPre[l].reshape(s.trials, s.out[l], p.rows, s.positions(l)).permute(0, 2, 1, 3)
                    .dup('c');
            delta.data().asNioFloat().get(preacts, at, n);
            at += n;
        }
    }

    /** As BatchedMlp's: DL4J's clipped cross-entropy is finite whenever every pre-output is. */
    private void score(CnnPasses p, float[] scores) {
        float[] z = host(p.preOut);
        boolean finite = true;
        for (float v : z) {
            finite &= Float.isFinite(v);
        }
        if (finite) {
            Arrays.fill(scores, 0, (int) p.labels.size(0), 0f);
        } else {
            INDArray score = s.loss.computeScoreArray(p.labels, p.preOut.dup('c'), s.output, null);
            score.data().asNioFloat().get(scores, 0, (int) score.length());
        }
    }

    @Override
    public void recordHidden(int k, TrialRecorder recorder, int rows, int epoch, long iteration) {
        int at = 0;
        for (int l = 0; l < s.blocks; l++) {
            int units = s.out[l] * s.positions(l);
            recorder.activation(l, activations, preacts, at + k * rows * units, rows * units, units, 1.0 / rows,
                    epoch, iteration);
            at += s.trials * rows * units;
        }
    }

    @Override
    public float[] predict(float[] x, int rows) {
        CnnPasses p = passes(rows);
        p.input.data().asNioFloat().put(x, 0, (int) p.input.length());
        forward(p, false);
        return host(s.output.getActivation(p.preOut.dup('c'), false));
    }

    /** Per example and trial: the input, five maps per block, the widest im2col matrix twice, the outputs. */
    @Override
    public long evaluationFloatsPerRow() {
        long perRow = features() + 2L * s.classes;
        long col = 0;
        for (int l = 0; l < s.blocks; l++) {
            perRow += 5L * s.out[l] * s.positions(l);
            col = Math.max(col, (long) s.positions(l) * s.patch(l));
        }
        return perRow + 2 * col;
    }

    /**
     * DL4J's forward: per block im2col, z = im2col2d * W (f-order [rows * positions, out]) plus the bias row,
     * f(z) into the c-order map, the skip sum; then the mean over each map, and the dense output layer.
     */
    private void forward(CnnPasses p, boolean training) {
        int k = s.trials;
        INDArray in = p.input.reshape('c', (long) k * p.rows, 1, CnnShape.SIDE, CnnShape.SIDE);
        for (int l = 0; l < s.blocks; l++) {
            p.im2col(s, l, in);
            int m = p.rows * s.positions(l);
            for (int t = 0; t < k; t++) {
                long w = (long) t * s.perTrial;
                Blas.forward(p.colAt, (long) t * m * s.patch(l), paramsAt, w + s.weight[l], p.preAt[l],
                        (long) t * m * s.out[l], m, s.patch(l), s.out[l]);
                view(p.pre[l], (long) t * m * s.out[l], 'f', m, s.out[l])
                        .addiRowVector(view(params, w + s.bias[l], 'c', 1, s.out[l]));
            }
            // The activation is element-wise, so it runs once over the group's maps, in the recorder's layout.
            INDArray a = p.act[l];
            a.reshape(k, p.rows, s.out[l], s.positions(l))
                    .assign(p.pre[l].reshape(k, s.out[l], p.rows, s.positions(l)).permute(0, 2, 1, 3));
            INDArray activated = s.hidden.getActivation(a, training);
            if (activated != a) {
                a.assign(activated);
            }
            if (p.block[l] != a) {
                p.block[l].assign(a).addi(in);
            }
            in = p.block[l];
        }
        INDArray pooled = in.mean(2, 3);
        int c = s.out[s.blocks - 1];
        for (int t = 0; t < k; t++) {
            long w = (long) t * s.perTrial;
            INDArray z = view(p.preOut, (long) t * p.rows * s.classes, 'c', p.rows, s.classes);
            view(pooled, (long) t * p.rows * c, 'c', p.rows, c).mmuli(view(params, w + s.outWeight, 'f', c,
                    s.classes), z);
            z.addiRowVector(view(params, w + s.outBias, 'c', 1, s.classes));
        }
        p.pooled = pooled;
    }

    /** A base c-order array's values. */
    private static float[] host(INDArray a) {
        float[] values = new float[(int) a.length()];
        a.data().asNioFloat().get(values);
        return values;
    }

    private CnnPasses passes(int rows) {
        return passes.computeIfAbsent(rows, r -> new CnnPasses(s, r));
    }
}
