package io.gradsweep.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MomentsTest {
    @Test
    void matchesAStraightforwardComputationOnASlice() {
        float[] v = new float[1000];
        Random r = new Random(3);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (5 + r.nextGaussian() * 1e-3); // mean >> std: a naive one-pass std would cancel badly
        }
        Moments m = Moments.of(v, 100, 500, 0.5);
        double sum = 0;
        double max = 0;
        double sq = 0;
        for (int i = 100; i < 600; i++) {
            sum += v[i] * 0.5;
            max = Math.max(max, Math.abs(v[i] * 0.5));
            sq += Math.pow(v[i] * 0.5, 2);
        }
        double mean = sum / 500;
        double var = 0;
        for (int i = 100; i < 600; i++) {
            var += Math.pow(v[i] * 0.5 - mean, 2);
        }
        assertThat(m.n()).isEqualTo(500);
        assertThat(m.mean()).isCloseTo(mean, within(1e-12));
        assertThat(m.std()).isCloseTo(Math.sqrt(var / 500), within(1e-9));
        assertThat(m.std()).isCloseTo(0.5e-3, within(0.1e-3));
        assertThat(m.meanAbs()).isCloseTo(mean, within(1e-12));
        assertThat(m.l2()).isCloseTo(Math.sqrt(sq), within(1e-9));
        assertThat(m.maxAbs()).isEqualTo(max);
        assertThat(Moments.l2(v, 100, 500)).isCloseTo(2 * Math.sqrt(sq), within(1e-8));
    }

    @Test
    void theOnePassVarianceAgreesWithTwoPassesWhereTheMeanIsSmall() {
        float[] v = new float[200_000];
        Random r = new Random(11);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (0.3 + r.nextGaussian()); // mean^2 well under half the mean square: the one-pass branch
        }
        double scale = 1.0 / 30; // not a power of two, so scaling at the end rounds differently from per element
        Moments m = Moments.of(v, 7, 150_000, scale);
        double sum = 0;
        for (int i = 7; i < 150_007; i++) {
            sum += v[i] * scale;
        }
        double mean = sum / 150_000;
        double dev = 0;
        for (int i = 7; i < 150_007; i++) {
            dev += Math.pow(v[i] * scale - mean, 2);
        }
        double std = Math.sqrt(dev / 150_000);
        assertThat(m.std()).isCloseTo(std, within(std * 1e-12));
        assertThat(m.mean()).isCloseTo(mean, within(Math.abs(mean) * 1e-12));
        assertThat(m.std()).isCloseTo(1.0 / 30, within(0.001 / 30));
    }

    @Test
    void nonFiniteValuesAreReportedNotHidden() {
        float[] v = {1, Float.NaN, 2};
        Moments m = Moments.of(v, 0, 3, 1);
        assertThat(m.finite()).isFalse();
        assertThat(m.maxAbs()).isNaN();
        assertThat(Moments.of(new float[] {Float.NaN, 5, 7}, 0, 3, 1).maxAbs()).as("a NaN is not overtaken").isNaN();
        assertThat(Moments.of(new float[] {-9, Float.POSITIVE_INFINITY, 7}, 0, 3, 1).maxAbs()).isInfinite();
        assertThat(Moments.of(new float[] {1, Float.POSITIVE_INFINITY}, 0, 2, 1).finite()).isFalse();
    }

    @Test
    void diagnosisUsesMedianRatioAndExplodingLimit() {
        Diagnosis d = new Diagnosis(new io.gradsweep.spec.StatsSpec(1, 0.1, 100));
        d.observeRatio(1, 100);
        d.observeRatio(2, 100);
        d.observeRatio(50, 100);
        d.observeL2(5);
        assertThat(d.medianRatio()).isEqualTo(0.02);
        assertThat(d.classify(null, null, null)).isEqualTo(Diagnosis.VANISHING);
        d.observeL2(101);
        assertThat(d.classify(null, null, null)).isEqualTo(Diagnosis.EXPLODING);
        Diagnosis healthy = new Diagnosis(new io.gradsweep.spec.StatsSpec(1, 0.1, 100));
        healthy.observeRatio(1, 2);
        assertThat(healthy.classify(null, null, null)).isEqualTo(Diagnosis.HEALTHY);
        Diagnosis nan = new Diagnosis(new io.gradsweep.spec.StatsSpec(1, 0.1, 100));
        nan.observeL2(Double.NaN);
        assertThat(nan.classify(null, null, null)).isEqualTo(Diagnosis.EXPLODING);
        assertThat(nan.maxL2()).isNaN();
        assertThat(new Diagnosis(new io.gradsweep.spec.StatsSpec(1, 0.1, 100)).medianRatio()).isNull();
    }
}
