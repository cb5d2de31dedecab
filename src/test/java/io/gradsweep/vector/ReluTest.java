package io.gradsweep.vector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The branch-free ReLU backprop against the ternary it replaces, bit for bit, on every kind of float. */
class ReluTest {
    private static final float[] SPECIAL = {0f, -0f, 1f, -1f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL,
        Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
        Float.intBitsToFloat(0x7f800001), Float.intBitsToFloat(0xffffffff), Float.intBitsToFloat(0xffc00000), 1e-40f};

    @Test
    void matchesTheTernaryOnSpecialValues() {
        for (float z : SPECIAL) {
            for (float e : SPECIAL) {
                assertThat(bits(Relu.backprop(z, e))).as("z %s, e %s", z, e).isEqualTo(bits(ternary(z, e)));
            }
        }
        assertThat(bits(Relu.backprop(-1f, -3f))).isEqualTo(bits(-0f));
        assertThat(Relu.backprop(0f, Float.POSITIVE_INFINITY)).isNaN();
        assertThat(Relu.backprop(Float.MIN_VALUE, -3f)).isEqualTo(-3f);
    }

    @Test
    void matchesTheTernaryOnRandomBits() {
        Random random = new Random(5);
        for (int i = 0; i < 1_000_000; i++) {
            float z = Float.intBitsToFloat(random.nextInt());
            float e = Float.intBitsToFloat(random.nextInt());
            assertThat(bits(Relu.backprop(z, e))).isEqualTo(bits(ternary(z, e)));
        }
    }

    private static float ternary(float z, float e) {
        return z > 0 ? e : 0f * e;
    }

    private static int bits(float f) {
        return Float.floatToRawIntBits(f);
    }
}
