package io.gradsweep.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradsweep.spec.StatsSpec;
import org.junit.jupiter.api.Test;

/** The stalled rule and its place after exploding and vanishing, on evidence fed by hand. */
class StalledDiagnosisTest {
    private static final StatsSpec SPEC = new StatsSpec(1, 0.1, 100, 0.05);

    private static Diagnosis withRatio(double first, double last) {
        Diagnosis d = new Diagnosis(SPEC);
        d.observeRatio(first, last);
        d.observeL2(1);
        return d;
    }

    @Test
    void classificationIsStalledBelowChancePlusTheMargin() {
        assertThat(withRatio(48.6, 1).classify(0.5, 0.69, 0.5)).isEqualTo(Diagnosis.STALLED);
        assertThat(withRatio(1, 1).classify(0.549, 0.69, 0.5)).isEqualTo(Diagnosis.STALLED);
        assertThat(withRatio(1, 1).classify(0.55, 0.69, 0.5)).as("at chance + margin it learned")
                .isEqualTo(Diagnosis.HEALTHY);
        assertThat(withRatio(1, 1).classify(0.70, 0.6, 0.66)).as("an unbalanced set's chance is its majority rate")
                .isEqualTo(Diagnosis.STALLED);
        assertThat(withRatio(1, 1).classify(0.5, 0.69, null)).as("no chance recorded: never stalled")
                .isEqualTo(Diagnosis.HEALTHY);
        assertThat(withRatio(1, 1).classify(null, null, null)).isEqualTo(Diagnosis.HEALTHY);
    }

    @Test
    void regressionIsStalledWhenLessThanTheMarginOfTheVarianceIsExplained() {
        // chance = 0.1667, the MSE of predicting the mean: stalled above 0.95 x 0.1667 = 0.15833
        assertThat(withRatio(1, 1).classify(null, 0.1600, 1 / 6.0)).isEqualTo(Diagnosis.STALLED);
        assertThat(withRatio(1, 1).classify(null, 1.2, 1 / 6.0)).isEqualTo(Diagnosis.STALLED);
        assertThat(withRatio(1, 1).classify(null, 0.1580, 1 / 6.0)).isEqualTo(Diagnosis.HEALTHY);
        assertThat(withRatio(1, 1).classify(null, Double.NaN, 1 / 6.0)).as("a NaN loss is diverged, not stalled")
                .isEqualTo(Diagnosis.HEALTHY);
    }

    @Test
    void explodingAndVanishingComeBeforeStalled() {
        Diagnosis vanishing = withRatio(1, 100);
        assertThat(vanishing.classify(0.5, 0.69, 0.5)).isEqualTo(Diagnosis.VANISHING);
        vanishing.observeL2(101);
        assertThat(vanishing.classify(0.5, 0.69, 0.5)).isEqualTo(Diagnosis.EXPLODING);
        Diagnosis nonFinite = withRatio(1, 1);
        nonFinite.observeL2(Double.NaN);
        assertThat(nonFinite.classify(0.5, 0.69, 0.5)).isEqualTo(Diagnosis.EXPLODING);
    }

    @Test
    void aZeroMarginIsStalledOnlyBelowChance() {
        Diagnosis d = new Diagnosis(new StatsSpec(1, 0.1, 100, 0));
        assertThat(d.classify(0.5, 0.69, 0.5)).isEqualTo(Diagnosis.HEALTHY);
        assertThat(d.classify(0.499, 0.69, 0.5)).isEqualTo(Diagnosis.STALLED);
    }
}
