package io.gradsweep.vector;

import io.gradsweep.stats.ParamLayout;
import io.gradsweep.stats.SequenceView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where a recurrent group's numbers sit: each trial's DL4J flat parameter vector (its param table's order, so
 * {@link #layout} is DL4J's, names and owners included) at {@code k * perTrial}, and the index arithmetic between the
 * group's [T][K][units][m] step buffers and DL4J's [examples, units, steps] tensors.
 */
final class SeqShape {
    private final int trials;
    private final int features;
    private final int steps;
    /** Gate blocks per layer: 1 for SimpleRnn, 4 for LSTM (IFOG, side by side in W, RW and b). */
    private final int gates;
    private final int[] widths;
    private final int perTrial;
    private final int[] w;
    private final int[] rw;
    private final int[] b;
    private final int outW;
    private final int outB;
    private final ParamLayout base;
    private final float[] initial;

    /** {@code offsets}: each param-table key's offset in a trial's flat vector. */
    SeqShape(int trials, int features, int steps, int gates, int[] widths, int perTrial, Map<String, Integer> offsets,
             ParamLayout base, float[] initial) {
        this.trials = trials;
        this.gates = gates;
        this.features = features;
        this.steps = steps;
        this.widths = widths.clone();
        this.perTrial = perTrial;
        this.base = base;
        this.initial = initial;
        w = new int[widths.length];
        rw = new int[widths.length];
        b = new int[widths.length];
        for (int l = 0; l < widths.length; l++) {
            w[l] = offsets.get("layer" + l + "_W");
            rw[l] = offsets.get("layer" + l + "_RW");
            b[l] = offsets.get("layer" + l + "_b");
        }
        outW = offsets.get("out_W");
        outB = offsets.get("out_b");
    }

    int trials() {
        return trials;
    }

    int features() {
        return features;
    }

    int steps() {
        return steps;
    }

    int gates() {
        return gates;
    }

    int layers() {
        return widths.length;
    }

    int[] widths() {
        return widths.clone();
    }

    int width(int l) {
        return widths[l];
    }

    /** Inputs per step of layer l. */
    int in(int l) {
        return l == 0 ? features : widths[l - 1];
    }

    int length() {
        return trials * perTrial;
    }

    float[] initial() {
        return initial;
    }

    /** Trial t's W of layer l (column-major [in, units]), RW ([units, units]), b; the output layer's W and b. */
    long w(int l, int t) {
        return (long) t * perTrial + w[l];
    }

    long rw(int l, int t) {
        return (long) t * perTrial + rw[l];
    }

    int outW(int t) {
        return t * perTrial + outW;
    }

    int outB(int t) {
        return t * perTrial + outB;
    }

    ParamLayout layout(int k) {
        List<ParamLayout.Segment> segments = new ArrayList<>();
        for (ParamLayout.Segment s : base.segments()) {
            segments.add(new ParamLayout.Segment(s.layer(), s.param(), k * perTrial + s.offset(), s.length(),
                    s.owner()));
        }
        return new ParamLayout(segments);
    }

    /** The examples [K][m][features][steps] (DL4J's c-order sequences) into the [T][K][features][m] input. */
    void fillInput(SeqPasses p, float[] x) {
        int m = p.rows;
        float[] in = new float[steps * trials * features * m];
        for (int t = 0; t < trials; t++) {
            for (int r = 0; r < m; r++) {
                int row = (t * m + r) * features * steps;
                for (int f = 0; f < features; f++) {
                    for (int i = 0; i < steps; i++) {
                        in[((i * trials + t) * features + f) * m + r] = x[row + f * steps + i];
                    }
                }
            }
        }
        p.input.data().asNioFloat().put(in);
    }

    /**
     * One step's [K][gates * units][m] block of layer l's biases: SimpleRnn starts each step's output from them,
     * LSTM adds them to its gate products.
     */
    float[] biasPattern(float[] params, int l, int m) {
        int u = gates * widths[l];
        float[] pattern = new float[trials * u * m];
        for (int t = 0; t < trials; t++) {
            for (int j = 0; j < u; j++) {
                java.util.Arrays.fill(pattern, (t * u + j) * m, (t * u + j + 1) * m, params[t * perTrial + b[l] + j]);
            }
        }
        return pattern;
    }

    void putBiases(int l, float[] biases, float[] grad) {
        for (int t = 0; t < trials; t++) {
            int n = gates * widths[l];
            System.arraycopy(biases, t * n, grad, t * perTrial + b[l], n);
        }
    }

    /** {@code into} when it has exactly n values, else a new array. */
    private static float[] scratch(float[] into, int n) {
        return into != null && into.length == n ? into : new float[n];
    }

    /** Trial k's outputs in a [T][K][units][m] buffer, viewed in place in the DL4J engine's row order. */
    SequenceView outputsOf(float[] buffer, int k, int units, int m) {
        return new SequenceView(buffer, k * units * m, m, steps, units, 1, trials * units * m, m);
    }

    /** Trial k's input gradients of a [T][K][in][m] buffer as the probe captures them: [m][in][steps] (the same). */
    float[] stepGradientsOf(float[] buffer, int k, int in, int m, float[] into) {
        float[] values = scratch(into, m * in * steps);
        for (int i = 0; i < steps; i++) {
            for (int f = 0; f < in; f++) {
                int from = ((i * trials + k) * in + f) * m;
                for (int r = 0; r < m; r++) {
                    values[(r * in + f) * steps + i] = buffer[from + r];
                }
            }
        }
        return values;
    }
}
