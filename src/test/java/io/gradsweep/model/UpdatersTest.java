package io.gradsweep.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;

class UpdatersTest {
    private static float[] step(GradientUpdater<?> u, float... g) {
        INDArray grad = Nd4j.createFromArray(g).reshape(1, g.length);
        u.applyUpdater(grad, 0, 0);
        return grad.toFloatVector();
    }

    private static GradientUpdater<?> instantiate(IUpdater config, int n) {
        return config.instantiate(Nd4j.zeros(DataType.FLOAT, 1, config.stateSize(n)), true);
    }

    @Test
    void rmspropMatchesKerasWithEpsilonOutsideTheRoot() {
        GradientUpdater<?> u = instantiate(new KerasRmsProp(0.001, 0.9, 1e-7), 2);
        float[] s1 = step(u, 1e-5f, 1f);
        // v = 0.1 g^2; step = lr g / (sqrt(v) + eps). DL4J's own RmsProp would give ~3.3e-5 for the first entry.
        assertThat((double) s1[0]).isCloseTo(0.001 * 1e-5 / (Math.sqrt(0.1) * 1e-5 + 1e-7), within(1e-7));
        assertThat((double) s1[1]).isCloseTo(0.001 / Math.sqrt(0.1), within(1e-7));
        float[] s2 = step(u, 1e-5f, -2f);
        double v = 0.9 * 0.1 + 0.1 * 4;
        assertThat((double) s2[1]).isCloseTo(-0.002 / (Math.sqrt(v) + 1e-7), within(1e-7));
    }

    @Test
    void heavyBallAccumulatesVelocity() {
        GradientUpdater<?> u = instantiate(new HeavyBall(0.1, 0.9), 1);
        assertThat((double) step(u, 1f)[0]).isCloseTo(0.1, within(1e-7));
        assertThat((double) step(u, 2f)[0]).isCloseTo(0.9 * 0.1 + 0.2, within(1e-7));
        assertThat((double) step(u, 0f)[0]).isCloseTo(0.9 * 0.29, within(1e-7));
    }

    @Test
    void clonesAreEqualAndIndependent() {
        HeavyBall h = new HeavyBall(0.1, 0.9);
        assertThat(h.clone()).isEqualTo(h).isNotSameAs(h);
        assertThat(new KerasRmsProp(0.1, 0.9, 1e-7).clone()).isEqualTo(new KerasRmsProp(0.1, 0.9, 1e-7));
        assertThat(new KerasRmsProp(0.1, 0.9, 1e-7)).isNotEqualTo(new KerasRmsProp(0.1, 0.8, 1e-7));
    }
}
