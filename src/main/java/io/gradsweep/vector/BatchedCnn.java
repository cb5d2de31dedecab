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
    /** Batch norm after every conv, or null. */
    private final CnnNorm norm;
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
        norm = s.batchNorm ? new CnnNorm(s) : null;
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
    public int[][] runningStats(int k) {
        return s.runningStats(k);
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
        if (norm != null) {
            norm.load(values);
        }
    }

    @Override
    public void train(float[] x, float[] y, int rows, float[] scores, float[] grad, boolean record) {
        CnnPasses p = passes(rows);
        p.input.data().asNioFloat().put(x, 0, (int) p.input.length());
        p.labels.data().asNioFloat().put(y, 0, (int) p.labels.length());
        CnnForward.run(s, p, norm, params, paramsAt, true);
        score(p, scores);
        INDArray delta = s.loss.computeGradient(p.labels, p.preOut, s.output, null);
        CnnBackward.run(s, p, norm, new CnnBackward.Arrays(params, paramsAt, gradient, gradientAt), delta);
        gradient.data().asNioFloat().get(grad, 0, length());
        if (norm != null) {
            norm.gradients(grad);
        }
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
            // dL/ds at the activation's input: batch norm's output, else the conv's (permuted from epsPre's layout).
            INDArray delta = norm != null ? norm.delta(p.rows, l)
                    : p.epsPre[l].reshape(s.trials, s.out[l], p.rows, s.positions(l)).permute(0, 2, 1, 3).dup('c');
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
        CnnForward.run(s, p, norm, params, paramsAt, false);
        return host(s.output.getActivation(p.preOut.dup('c'), false));
    }

    /** Per example and trial: the input, the outputs and {@link CnnPasses#mapFloats}. */
    @Override
    public long evaluationFloatsPerRow() {
        long[] maps = new long[s.blocks];
        long col = 0;
        for (int l = 0; l < s.blocks; l++) {
            maps[l] = (long) s.out[l] * s.positions(l);
            col = Math.max(col, (long) s.positions(l) * s.patch(l));
        }
        return features() + 2L * s.classes + CnnPasses.mapFloats(maps, col, s.batchNorm);
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
