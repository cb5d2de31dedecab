package io.gradsweep.stats;

import io.gradsweep.spec.Clipping;
import java.util.List;

/**
 * What clipping did to each parameter's mean-loss gradient this iteration, recomputed from the raw statistics with
 * the trial's clipping rule: the L2 norm after clipping, and the fraction clipped (elements beyond c for
 * {@code value(c)}; 1 or 0 for whether the tensor was rescaled, for the norm-based modes).
 */
public record ClipStats(double[] clippedL2, double[] fraction) {

    /**
     * @param raw     unscaled gradient copy (sum over the minibatch), only read for {@code value(c)}
     * @param scale   1 / minibatch size
     * @param moments per-segment statistics of the mean gradient, in layout order
     */
    public static ClipStats of(Clipping clipping, ParamLayout layout, Moments[] moments, float[] raw, double scale) {
        int n = moments.length;
        double[] l2 = new double[n];
        double[] frac = new double[n];
        List<ParamLayout.Segment> segments = layout.segments();
        double global = 0;
        for (Moments m : moments) {
            global += m.l2() * m.l2();
        }
        global = Math.sqrt(global);
        for (int i = 0; i < n; i++) {
            double g = moments[i].l2();
            double factor = switch (clipping.mode()) {
                case NORM -> g > clipping.threshold() ? clipping.threshold() / g : 1;
                case LAYER_NORM -> rescale(layerNorm(moments, segments, segments.get(i).owner()), clipping);
                case GLOBAL_NORM -> rescale(global, clipping);
                case NONE, VALUE -> 1;
            };
            if (clipping.mode() == Clipping.Mode.VALUE) {
                double[] v = valueClip(raw, segments.get(i), scale, clipping.threshold());
                l2[i] = v[0];
                frac[i] = v[1];
            } else {
                l2[i] = g * factor;
                frac[i] = factor < 1 ? 1 : 0;
            }
        }
        return new ClipStats(l2, frac);
    }

    private static double rescale(double norm, Clipping clipping) {
        return norm > clipping.threshold() ? clipping.threshold() / norm : 1;
    }

    /** Joint L2 of the tensors DL4J clips together: those of one DL4J layer (dense and BN apart). */
    private static double layerNorm(Moments[] moments, List<ParamLayout.Segment> segments, String owner) {
        double sumSq = 0;
        for (int j = 0; j < moments.length; j++) {
            if (segments.get(j).owner().equals(owner)) {
                sumSq += moments[j].l2() * moments[j].l2();
            }
        }
        return Math.sqrt(sumSq);
    }

    /** {L2 of the element-wise clipped slice, fraction of elements beyond c}. */
    private static double[] valueClip(float[] raw, ParamLayout.Segment s, double scale, double c) {
        double sumSq = 0;
        int clipped = 0;
        for (int i = s.offset(); i < s.offset() + s.length(); i++) {
            double a = Math.abs(raw[i] * scale);
            if (a > c) {
                clipped++;
                a = c;
            }
            sumSq += a * a;
        }
        return new double[] {Math.sqrt(sumSq), (double) clipped / s.length()};
    }
}
