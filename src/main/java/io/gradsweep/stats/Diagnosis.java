package io.gradsweep.stats;

import io.gradsweep.spec.StatsSpec;
import java.util.Arrays;

/**
 * Accumulates the evidence for a trial's diagnosis while it trains, then classifies it with the thresholds of
 * {@link StatsSpec}: exploding (non-finite or a parameter gradient L2 above the limit), else vanishing (median over
 * recorded iterations of std(dW first hidden) / std(dW last hidden) below the ratio), else healthy.
 */
public final class Diagnosis {
    public static final String VANISHING = "vanishing";
    public static final String EXPLODING = "exploding";
    public static final String HEALTHY = "healthy";

    private final StatsSpec spec;
    private double[] ratios = new double[256];
    private int count;
    private double maxL2;
    private boolean nonFinite;

    public Diagnosis(StatsSpec spec) {
        this.spec = spec;
    }

    public void observeL2(double l2) {
        if (!Double.isFinite(l2)) {
            nonFinite = true;
        } else {
            maxL2 = Math.max(maxL2, l2);
        }
    }

    /** One recorded iteration's first/last hidden-layer weight-gradient std. */
    public void observeRatio(double firstStd, double lastStd) {
        if (count == ratios.length) {
            ratios = Arrays.copyOf(ratios, count * 2);
        }
        ratios[count++] = firstStd / lastStd;
    }

    /** Median of the recorded ratios, or null when there were none (depth 1, or nothing recorded). */
    public Double medianRatio() {
        double[] finite = Arrays.stream(ratios, 0, count).filter(Double::isFinite).sorted().toArray();
        if (finite.length == 0) {
            return null;
        }
        int mid = finite.length / 2;
        return finite.length % 2 == 1 ? finite[mid] : (finite[mid - 1] + finite[mid]) / 2;
    }

    public double maxL2() {
        return nonFinite ? Double.NaN : maxL2;
    }

    public String classify() {
        if (nonFinite || maxL2 > spec.explodingL2()) {
            return EXPLODING;
        }
        Double ratio = medianRatio();
        return ratio != null && ratio < spec.vanishingRatio() ? VANISHING : HEALTHY;
    }
}
