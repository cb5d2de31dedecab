package io.gradsweep.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradsweep.spec.Activation;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActivationRowTest {
    @Test
    void saturationCountsOutputsInTheTails() {
        float[] a = {0.995f, 0.5f, 0.005f, 0.98f};
        assertThat(saturated(a, Activation.Function.SIGMOID)).isEqualTo(0.5);
        float[] symmetric = {-0.999f, 0.2f, 0.991f, 0.99f};
        assertThat(saturated(symmetric, Activation.Function.TANH)).isEqualTo(0.5);
        assertThat(saturated(symmetric, Activation.Function.SOFTSIGN)).isEqualTo(0.5);
        assertThat(saturated(new float[] {-0.999f, 0.2f, 0.991f, -0.9f, 0.5f}, Activation.Function.SIGMOID))
                .isEqualTo(0.6);
        assertThat(saturated(a, Activation.Function.RELU)).isNull();
        assertThat(saturated(a, Activation.Function.LINEAR)).isNull();
    }

    private static Double saturated(float[] a, Activation.Function activation) {
        return ActivationRow.of("t", 0, 0, 0, a, 1, activation).saturatedFraction();
    }

    @Test
    void deadUnitsAreZeroForEveryExampleOfTheMinibatch() {
        // 3 examples x 4 units: unit 0 dead, unit 1 alive once, unit 2 alive, unit 3 dead.
        float[] a = {0, 0, 1, 0,
                     0, 2, 1, 0,
                     0, 0, 3, 0};
        assertThat(ActivationRow.dead(a, 0, a.length, 4, Activation.Function.RELU)).isEqualTo(0.5);
        assertThat(ActivationRow.dead(a, 0, a.length, 4, Activation.Function.TANH)).isNull();
        ActivationRow row = ActivationRow.of("t", 0, 0, 1, a, 4, Activation.Function.RELU);
        assertThat(row.n()).isEqualTo(12);
        assertThat(row.mean()).isEqualTo(7.0 / 12);
    }

    @Test
    void meanAndStdAreExactlyThoseOfMoments() {
        float[] a = new float[160];
        java.util.Random r = new java.util.Random(5);
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) Math.tanh(3 + r.nextGaussian()); // near saturation: mean >> std
        }
        ActivationRow row = ActivationRow.of("t", 0, 0, 0, a, 5, Activation.Function.TANH);
        Moments m = Moments.of(a, 0, a.length, 1.0);
        assertThat(row.mean()).isEqualTo(m.mean());
        assertThat(row.std()).isEqualTo(m.std()).isPositive();
    }

    /** A vector group's trials share one output array; a trial's block must read as if it had been copied out. */
    @Test
    void aBlockInsideALargerArrayReadsLikeTheBlockAlone() {
        java.util.Random r = new java.util.Random(9);
        float[] all = new float[3 * 24];
        for (int i = 0; i < all.length; i++) {
            all[i] = r.nextInt(3) == 0 ? 0f : (float) Math.tanh(2 * r.nextGaussian());
        }
        for (int i = 24; i < 48; i += 4) {
            all[i] = 0f; // unit 0 of the middle block is dead; its neighbours' unit 0 is not
        }
        all[0] = 0.5f;
        all[48] = 0.5f;
        float[] block = java.util.Arrays.copyOfRange(all, 24, 48);
        for (Activation.Function activation : List.of(Activation.Function.RELU, Activation.Function.TANH,
                Activation.Function.SIGMOID)) {
            assertThat(ActivationRow.of("t", 1, 2, 0, all, 24, 24, 4, activation))
                    .isEqualTo(ActivationRow.of("t", 1, 2, 0, block, 4, activation));
        }
        assertThat(ActivationRow.of("t", 1, 2, 0, all, 24, 24, 4, Activation.Function.RELU).deadFraction())
                .isGreaterThanOrEqualTo(0.25);
    }
}
