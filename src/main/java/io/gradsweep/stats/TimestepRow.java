package io.gradsweep.stats;

import java.util.ArrayList;
import java.util.List;

/**
 * The gradient of the mean minibatch loss with respect to a recurrent layer's input at one step t, over one recorded
 * minibatch: {@code n} = examples x input features, its L2 norm and its largest absolute element. Layer 0's input is
 * the sequence itself (dL/dx_t); layer i's is the output sequence of layer i-1.
 */
public record TimestepRow(String trialId, int epoch, long iteration, int layer, int t, int n, double l2,
                          double maxAbs) {

    /** One row per step of {@code scale} times a [examples][features][steps] block. */
    public static List<TimestepRow> of(String trialId, int epoch, long iteration, int layer, float[] v, int examples,
                                       int features, int steps, double scale) {
        double[] sumSq = new double[steps];
        double[] maxAbs = new double[steps];
        int rows = examples * features;
        for (int r = 0; r < rows; r++) {
            int base = r * steps;
            for (int t = 0; t < steps; t++) {
                double a = Math.abs(v[base + t] * scale);
                sumSq[t] += a * a;
                // NaN must win, as in Moments, so that a diverged step is reported as such.
                maxAbs[t] = (a > maxAbs[t] || Double.isNaN(a)) ? a : maxAbs[t];
            }
        }
        List<TimestepRow> out = new ArrayList<>(steps);
        for (int t = 0; t < steps; t++) {
            out.add(new TimestepRow(trialId, epoch, iteration, layer, t, rows, Math.sqrt(sumSq[t]), maxAbs[t]));
        }
        return out;
    }
}
