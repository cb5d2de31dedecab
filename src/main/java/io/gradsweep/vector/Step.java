package io.gradsweep.vector;

import io.gradsweep.spec.Clipping;
import io.gradsweep.spec.Optimizer;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.stats.ParamLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What DL4J does to a trial's summed-loss gradient between backprop and the parameter update, redone in Java on the
 * group's flat arrays with DL4J's float operations in DL4J's order: our listener's global-norm clipping (on the
 * summed gradient), the division by the minibatch size, the per-tensor or per-layer clipping of
 * {@code BaseMultiLayerUpdater.preApply}, the update rule, adamw's post-updater weight decay (an axpy with
 * lr * decay), and finally {@code w -= step}.
 *
 * <p>ND4J's norm2 is a sequential float sum over a tensor's memory, taken in float; the group keeps each trial's
 * tensors in DL4J's memory order, so the sums here run in the same order. Thresholds compare and divide in double,
 * as DL4J's do.
 */
final class Step {
    private final Rule rule;
    private final Clipping.Mode clipping;
    private final double[] thresholds;
    private final double[] rates;
    private final double decay;
    /**
     * [trial][DL4J layer]: the {from, to, decayed} ranges of that layer's tensors in DL4J's flat order, built once
     * rather than every iteration. Per-layer clipping counts a DL4J layer's tensors together; adamw's decay is set
     * on the weight-bearing layers (dense, conv, recurrent: every W, RW and b), not on batch norm's gamma and beta.
     */
    private final int[][][][] slices;
    /** [trial]: batch norm's running statistics, which DL4J moves through the gradient view (see below). */
    private final int[][][] running;

    Step(GroupNet net, List<TrialConfig> trials) {
        TrialConfig first = trials.get(0);
        Optimizer o = first.optimizer();
        this.rule = Rule.of(o, net.length());
        this.clipping = first.clipping().mode();
        this.decay = o.kind() == Optimizer.Kind.ADAMW ? o.weightDecay() : 0;
        this.thresholds = new double[trials.size()];
        this.rates = new double[trials.size()];
        for (int k = 0; k < trials.size(); k++) {
            thresholds[k] = trials.get(k).clipping().threshold();
            rates[k] = trials.get(k).learningRate();
        }
        this.slices = new int[trials.size()][][][];
        this.running = new int[trials.size()][][];
        for (int k = 0; k < trials.size(); k++) {
            slices[k] = byOwner(net.layout(k));
            running[k] = net.runningStats(k);
        }
    }

    private static int[][][] byOwner(ParamLayout layout) {
        Map<String, List<int[]>> owners = new LinkedHashMap<>();
        for (ParamLayout.Segment s : layout.segments()) {
            boolean decayed = !s.param().equals("gamma") && !s.param().equals("beta");
            owners.computeIfAbsent(s.owner(), o -> new ArrayList<>())
                    .add(new int[] {s.offset(), s.offset() + s.length(), decayed ? 1 : 0});
        }
        return owners.values().stream().map(l -> l.toArray(int[][]::new)).toArray(int[][][]::new);
    }

    /**
     * Turns trial {@code k}'s slices of {@code g} from the summed gradient into the step it takes, and subtracts
     * that from its parameters.
     */
    void apply(int k, float[] g, float[] params, int batch, int iteration) {
        if (clipping == Clipping.Mode.GLOBAL_NORM) {
            double norm = globalNorm(g, k) / batch;
            if (norm > thresholds[k]) {
                scaleLayers(k, g, (float) (thresholds[k] / norm), -1);
            }
        }
        runningStats(k, g, params);
        float b = batch;
        // Per-tensor and per-layer clipping read the divided gradient of a whole layer before its steps.
        boolean clipsLayers = clipping != Clipping.Mode.NONE && clipping != Clipping.Mode.GLOBAL_NORM;
        for (int l = 0; l < slices[k].length; l++) {
            if (clipsLayers) {
                for (int[] s : slices(l, k)) {
                    Rule.divide(g, s[0], s[1], b);
                }
                clip(k, l, g);
            }
            for (int[] s : slices(l, k)) {
                boolean decays = decay > 0 && s[2] == 1;
                if (!clipsLayers && !decays) {
                    // Nothing comes between the division, the step and the subtraction: one pass.
                    rule.divideStepSubtract(g, params, s[0], s[1], b, rates[k], iteration);
                    continue;
                }
                if (!clipsLayers) {
                    Rule.divide(g, s[0], s[1], b);
                }
                rule.step(g, s[0], s[1], rates[k], iteration);
                if (decays) {
                    float scale = (float) (decay * rates[k]);
                    for (int i = s[0]; i < s[1]; i++) {
                        g[i] = scale * params[i] + g[i];
                    }
                }
                Rule.subtract(params, g, s[0], s[1]);
            }
        }
    }

    /**
     * DL4J writes batch norm's running-statistic updates into the gradient view (see {@code BatchNormPass}) and
     * keeps them out of the division by the minibatch and the updater (a no-op), but its per-tensor and value
     * clipping do reach them, and {@code w -= step} moves them. Global-norm clipping leaves them alone.
     */
    private void runningStats(int k, float[] g, float[] params) {
        for (int[] s : running[k]) {
            if (clipping == Clipping.Mode.NORM) {
                clipNorm(g, s, thresholds[k]);
            } else if (clipping == Clipping.Mode.VALUE) {
                clipValue(g, s, thresholds[k]);
            }
            Rule.subtract(params, g, s[0], s[1]);
        }
    }

    /**
     * Our GlobalNormClipping: ND4J's float norm of the whole gradient view when the trained tensors tile it, else
     * (batch norm's running statistics share the view) the double root of the tensors' squared double norms.
     */
    private double globalNorm(float[] g, int k) {
        if (running[k].length == 0) {
            return norm(sumOfSquares(g, k, -1));
        }
        double sumSq = 0;
        for (int l = 0; l < slices[k].length; l++) {
            for (int[] s : slices(l, k)) {
                double l2 = io.gradsweep.stats.Moments.l2(g, s[0], s[1] - s[0]);
                sumSq += l2 * l2;
            }
        }
        return Math.sqrt(sumSq);
    }

    private static void clipNorm(float[] g, int[] s, double c) {
        double l2 = norm(squares(g, s[0], s[1], 0));
        if (l2 > c) {
            float divisor = (float) (l2 / c);
            for (int i = s[0]; i < s[1]; i++) {
                g[i] = g[i] / divisor;
            }
        }
    }

    private static void clipValue(float[] g, int[] s, double c) {
        float hi = (float) c;
        float lo = (float) -c;
        for (int i = s[0]; i < s[1]; i++) {
            g[i] = g[i] > hi ? hi : g[i] < lo ? lo : g[i];
        }
    }

    private void clip(int k, int l, float[] g) {
        double c = thresholds[k];
        switch (clipping) {
            case NORM -> {
                for (int[] s : slices(l, k)) {
                    clipNorm(g, s, c);
                }
            }
            case LAYER_NORM -> {
                double l2 = norm(sumOfSquares(g, k, l));
                if (l2 > c) {
                    scaleLayers(k, g, (float) (c / l2), l);
                }
            }
            case VALUE -> {
                for (int[] s : slices(l, k)) {
                    clipValue(g, s, c);
                }
            }
            case NONE, GLOBAL_NORM -> {
                // none clips nothing; global_norm was applied before the division, in apply
            }
        }
    }

    /** ND4J takes the root of the float sum in float too. */
    private static double norm(float sumOfSquares) {
        return (float) Math.sqrt(sumOfSquares);
    }

    /** Multiplies layer {@code only}'s slices of trial k (all layers for -1) by {@code factor}. */
    private void scaleLayers(int k, float[] g, float factor, int only) {
        for (int l = 0; l < slices[k].length; l++) {
            if (only < 0 || only == l) {
                for (int[] s : slices(l, k)) {
                    for (int i = s[0]; i < s[1]; i++) {
                        g[i] = g[i] * factor;
                    }
                }
            }
        }
    }

    /** Float sum of squares over layer {@code only} (all layers for -1) in DL4J's flat order. */
    private float sumOfSquares(float[] g, int k, int only) {
        float sum = 0;
        for (int l = 0; l < slices[k].length; l++) {
            if (only < 0 || only == l) {
                for (int[] s : slices(l, k)) {
                    sum = squares(g, s[0], s[1], sum);
                }
            }
        }
        return sum;
    }

    private static float squares(float[] g, int from, int to, float sum) {
        for (int i = from; i < to; i++) {
            sum += g[i] * g[i];
        }
        return sum;
    }

    /** Trial k's tensor slices of DL4J layer l, as {from, to, decayed}. */
    private int[][] slices(int l, int k) {
        return slices[k][l];
    }
}
