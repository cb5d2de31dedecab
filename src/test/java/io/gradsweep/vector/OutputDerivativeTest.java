package io.gradsweep.vector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The derivative taken from an activation's outputs against DL4J's own backprop at its inputs, value for value and
 * bit for bit: inputs over the whole float range with the ones training meets (saturated, tiny, zero of both
 * signs, infinite, NaN) and epsilons of every size, so that a formula that rounds otherwise shows here rather than
 * as drift many updates into a sweep.
 */
class OutputDerivativeTest {

    @ParameterizedTest
    @ValueSource(strings = {"tanh", "sigmoid"})
    void theDerivativeFromTheOutputsIsDl4jsBackpropBitForBit(String name) {
        IActivation f = name.equals("tanh") ? new ActivationTanH() : new ActivationSigmoid();
        OutputDerivative derivative = OutputDerivative.of(f);
        Random random = new Random(name.hashCode());
        int n = 20_000;
        float[] x = new float[n];
        float[] eps = new float[n];
        float[] special = {0f, -0f, 1e-30f, -1e-30f, 1e-45f, 9f, -9f, 20f, -20f, 88f, -104f, Float.MAX_VALUE,
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        for (int i = 0; i < n; i++) {
            x[i] = i < special.length ? special[i]
                    : (float) (random.nextGaussian() * Math.pow(10, random.nextInt(4) - 1));
            eps[i] = i % 97 == 0 ? Float.POSITIVE_INFINITY : (float) (random.nextGaussian()
                    * Math.pow(10, random.nextInt(12) - 8));
        }
        float[] outputs = f.getActivation(array(x), true).toFloatVector();
        float[] dl4j = f.backprop(array(x), array(eps)).getFirst().toFloatVector();

        float[] mine = new float[n];
        derivative.times(outputs, 0, eps, 0, mine, 0, n);

        assertThat(bits(mine)).isEqualTo(bits(dl4j));
        // Not vacuous: the values span the range, and a change of rounding shows.
        assertThat(Arrays.stream(box(dl4j)).filter(v -> v != 0 && Float.isFinite(v)).count()).isGreaterThan(n / 2);
        float[] otherOrder = new float[n];
        for (int i = 0; i < n; i++) {
            float a = outputs[i];
            otherOrder[i] = name.equals("tanh") ? eps[i] - eps[i] * a * a : eps[i] * a - eps[i] * a * a;
        }
        assertThat(bits(otherOrder)).isNotEqualTo(bits(dl4j));
    }

    @Test
    void otherActivationsKeepDl4jsBackprop() {
        assertThat(OutputDerivative.of(new ActivationReLU())).isNull();
    }

    private static INDArray array(float[] v) {
        return Nd4j.create(v.clone(), new long[] {v.length}, DataType.FLOAT);
    }

    private static int[] bits(float[] v) {
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Float.floatToIntBits(v[i]);
        }
        return b;
    }

    private static Float[] box(float[] v) {
        Float[] b = new Float[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = v[i];
        }
        return b;
    }
}
