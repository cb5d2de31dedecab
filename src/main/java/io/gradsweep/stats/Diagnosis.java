package io.gradsweep.stats;

import io.gradsweep.spec.StatsSpec;
import java.util.Arrays;

/**
 * Accumulates the evidence for a trial's diagnosis while it trains, then classifies it with the thresholds of
 * {@link StatsSpec}, in this order: exploding (non-finite or a parameter gradient L2 above the limit), else
 * vanishing (median over recorded iterations of std(dW first hidden) / std(dW last hidden) below the ratio), else
 * stalled (the final evaluation no better than chance by the margin, see {@link #stalled}), else healthy. Stalled
 * comes after the gradient diagnoses because they name a cause: a deep sigmoid net at chance is vanishing, and
 * stalled is for the trial that does not learn while its gradients look normal. The job writes failed or diverged
 * over all of these (see TrialRecorder#outcome).
 */
public final class Diagnosis {
    public static final String VANISHING = "vanishing";
    public static final String EXPLODING = "exploding";
    public static final String STALLED = "stalled";
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

    /**
     * The diagnosis, given the trial's final evaluation (the test set's when there is a split): its
     * {@code accuracy} (null for regression), {@code loss} and {@code chance}, the best constant predictor's
     * accuracy or loss on the same set (null when unknown, or no evaluation: then never stalled).
     */
    public String classify(Double accuracy, Double loss, Double chance) {
        if (nonFinite || maxL2 > spec.explodingL2()) {
            return EXPLODING;
        }
        Double ratio = medianRatio();
        if (ratio != null && ratio < spec.vanishingRatio()) {
            return VANISHING;
        }
        return stalled(accuracy, loss, chance, spec.stalledMargin()) ? STALLED : HEALTHY;
    }

    /**
     * Not learning: for classification an accuracy below {@code chance + margin} (chance being the majority-class
     * rate); for regression a loss above {@code (1 - margin) * chance} (chance being the MSE of predicting the mean
     * target), that is, less than {@code margin} of the targets' variance explained. Nothing known is not stalled.
     */
    public static boolean stalled(Double accuracy, Double loss, Double chance, double margin) {
        if (chance == null) {
            return false;
        }
        if (accuracy != null) {
            return accuracy < chance + margin;
        }
        return loss != null && loss > (1 - margin) * chance;
    }
}
