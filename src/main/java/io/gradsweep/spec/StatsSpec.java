package io.gradsweep.spec;

import java.io.Serializable;
/**
 * What is recorded and how trials are diagnosed. A trial is {@code exploding} when any recorded gradient is
 * non-finite or a parameter's gradient L2 exceeds {@code explodingL2}; else {@code vanishing} when the median over
 * recorded iterations of std(dW first hidden layer) / std(dW last hidden layer) is below {@code vanishingRatio};
 * else {@code stalled} when the final accuracy is below chance + {@code stalledMargin} (regression: the final loss
 * above (1 - {@code stalledMargin}) x the constant predictor's); else {@code healthy}.
 */
public record StatsSpec(int every, double vanishingRatio, double explodingL2, double stalledMargin)
        implements Serializable {
    public static final double DEFAULT_VANISHING_RATIO = 0.1;
    public static final double DEFAULT_EXPLODING_L2 = 1e3;
    /** Five points of accuracy above chance, or five percent of the targets' variance explained. */
    public static final double DEFAULT_STALLED_MARGIN = 0.05;

    /** The default stalled margin. */
    public StatsSpec(int every, double vanishingRatio, double explodingL2) {
        this(every, vanishingRatio, explodingL2, DEFAULT_STALLED_MARGIN);
    }

    public StatsSpec {
        if (every < 1 || !(vanishingRatio > 0) || !(explodingL2 > 0)
                || !(stalledMargin >= 0 && stalledMargin <= 0.5)) {
            throw new IllegalArgumentException("invalid stats spec");
        }
    }
}
