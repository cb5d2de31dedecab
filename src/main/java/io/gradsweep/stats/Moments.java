package io.gradsweep.stats;

import java.io.Serializable;

/**
 * Summary statistics of one slice of a float vector, computed on the host ({@link LaneSums}): one copy of the
 * flattened vector plus these loops is about 100x cheaper than ND4J reductions per parameter on small nets.
 *
 * @param std population standard deviation (divides by n); see {@link #variance} for how it avoids cancellation
 */
public record Moments(int n, double mean, double std, double meanAbs, double l2, double maxAbs) implements Serializable {

    /** Statistics of {@code scale * v[offset .. offset+length)}. */
    public static Moments of(float[] v, int offset, int length, double scale) {
        // Sums of the unscaled values, scaled once at the end: a multiply less per element.
        double[] sums = LaneSums.of(v, offset, length);
        double sumAbs = sums[LaneSums.SUM_ABS];
        double sumSq = sums[LaneSums.SUM_SQ];
        double absScale = Math.abs(scale);
        // sumAbs is NaN exactly when some element is (no infinities of opposite sign can meet in it), and a
        // diverged slice must report its maximum as NaN, as Math.max would.
        double maxAbs = Double.isNaN(sumAbs) ? Double.NaN : sums[LaneSums.MAX_ABS] * absScale;
        double mean = sums[LaneSums.SUM] / length;
        return new Moments(length, mean * scale, Math.sqrt(variance(v, offset, length, mean, sumSq)) * absScale,
                sumAbs / length * absScale, Math.sqrt(sumSq) * absScale, maxAbs);
    }

    /**
     * Population variance of {@code v[offset .. offset+length)} from its mean and sum of squares. When the mean
     * square is at least twice the squared mean (gradients and weights, almost always), {@code sumSq/n - mean^2}
     * loses at most a factor 2 to cancellation: relative error below 2n x 1.1e-16, a millionth of a float's
     * precision for a million values, and no second pass over the data. Otherwise (a slice clustered far from zero,
     * e.g. batch-norm gammas near 1) it takes the exact second pass over the deviations from the mean.
     */
    static double variance(float[] v, int offset, int length, double mean, double sumSq) {
        double meanSquare = sumSq / length;
        if (!cancels(mean, meanSquare)) {
            return meanSquare - mean * mean;
        }
        double dev = 0;
        for (int i = offset; i < offset + length; i++) {
            double d = v[i] - mean;
            dev += d * d;
        }
        return dev / length;
    }

    /** Whether {@code meanSquare - mean^2} would lose more than a factor 2 (or is NaN): then take the second pass. */
    static boolean cancels(double mean, double meanSquare) {
        return !(mean * mean <= 0.5 * meanSquare);
    }

    /** The L2 norm a statistic records (an update's, for its ratio to the weights), summed as {@link #of} sums. */
    public static double recordedL2(float[] v, int offset, int length) {
        return Math.sqrt(LaneSums.of(v, offset, length)[LaneSums.SUM_SQ]);
    }

    /** L2 norm only, summed in order: what both engines' norm clipping compares with its threshold. */
    public static double l2(float[] v, int offset, int length) {
        double sumSq = 0;
        for (int i = offset; i < offset + length; i++) {
            sumSq += (double) v[i] * v[i];
        }
        return Math.sqrt(sumSq);
    }

    public boolean finite() {
        return Double.isFinite(mean) && Double.isFinite(std) && Double.isFinite(l2) && Double.isFinite(maxAbs);
    }
}
