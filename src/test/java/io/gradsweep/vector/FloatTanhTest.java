package io.gradsweep.vector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link FloatTanh} against tanh computed in double and rounded to float, the accuracy its documentation states. */
class FloatTanhTest {
    /** Ulps between two finite floats of the same sign. */
    private static int ulps(float a, float b) {
        return Math.abs(Float.floatToIntBits(a) - Float.floatToIntBits(b));
    }

    @Test
    void withinSixUlpOfTheCorrectlyRoundedValueAndMostlyEqualToIt() {
        int from = Float.floatToIntBits(0x1p-40f);
        int to = Float.floatToIntBits(12f);
        long values = 0;
        long equal = 0;
        long withinOne = 0;
        int worst = 0;
        float worstAt = 0;
        for (int bits = from; bits < to; bits += 97) {
            float x = Float.intBitsToFloat(bits);
            float exact = (float) Math.tanh(x);
            int d = ulps(FloatTanh.tanh(x), exact);
            values++;
            equal += d == 0 ? 1 : 0;
            withinOne += d <= 1 ? 1 : 0;
            if (d > worst) {
                worst = d;
                worstAt = x;
            }
            assertThat(FloatTanh.tanh(-x)).as("odd at %s", x).isEqualTo(-FloatTanh.tanh(x));
        }
        assertThat(worst).as("worst at " + worstAt).isLessThanOrEqualTo(6);
        assertThat((double) equal / values).isGreaterThan(0.75);
        assertThat((double) withinOne / values).isGreaterThan(0.95);
    }

    @Test
    void saturatesToOneExactlyAndKeepsSpecialValues() {
        assertThat(FloatTanh.tanh(10f)).isEqualTo(1f);
        assertThat(FloatTanh.tanh(1e30f)).isEqualTo(1f);
        assertThat(FloatTanh.tanh(Float.POSITIVE_INFINITY)).isEqualTo(1f);
        assertThat(FloatTanh.tanh(Float.NEGATIVE_INFINITY)).isEqualTo(-1f);
        assertThat(FloatTanh.tanh(Float.NaN)).isNaN();
        assertThat(Float.floatToIntBits(FloatTanh.tanh(-0f))).isEqualTo(Float.floatToIntBits(-0f));
        assertThat(Float.floatToIntBits(FloatTanh.tanh(0f))).isEqualTo(0);
        assertThat(FloatTanh.tanh(1e-30f)).isEqualTo(1e-30f);
        for (float x = 7f; x < 11f; x += 1e-3f) {
            assertThat(FloatTanh.tanh(x)).as("at %s", x).isLessThanOrEqualTo(1f);
            assertThat(ulps(FloatTanh.tanh(x), (float) Math.tanh(x))).as("at %s", x).isLessThanOrEqualTo(6);
        }
    }

    /** The in-place loop, which C2 vectorizes once hot, gives the scalar function's bits. */
    @Test
    void theArrayLoopMatchesTheScalarFunctionInPlaceAtAnOffset() {
        Random random = new Random(3);
        float[] v = new float[70_003];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (random.nextGaussian() * 4);
        }
        float[] original = v.clone();
        for (int round = 0; round < 30; round++) {
            System.arraycopy(original, 0, v, 0, v.length);
            FloatTanh.tanh(v, 5, v.length - 9);
        }
        for (int i = 0; i < v.length; i++) {
            float expected = i < 5 || i >= v.length - 4 ? original[i] : FloatTanh.tanh(original[i]);
            assertThat(v[i]).as("at %d", i).isEqualTo(expected);
        }
    }
}
