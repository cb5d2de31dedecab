package io.gradsweep.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LaneSumsTest {

    /** The documented order, written out independently: lane j takes elements offset + 8m + j, then the tail. */
    private static double[] reference(float[] v, int offset, int length) {
        double[][] lanes = new double[3][8];
        int blocks = length / 8 * 8;
        for (int i = 0; i < blocks; i++) {
            double x = v[offset + i];
            lanes[0][i % 8] += x;
            lanes[1][i % 8] += Math.abs(x);
            lanes[2][i % 8] += x * x;
        }
        double[] out = new double[4];
        for (int s = 0; s < 3; s++) {
            double[] l = lanes[s];
            out[s] = ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7]));
        }
        float max = 0;
        for (int i = 0; i < length; i++) {
            float a = Math.abs(v[offset + i]);
            max = Math.max(max, a);
        }
        for (int i = blocks; i < length; i++) {
            double x = v[offset + i];
            out[0] += x;
            out[1] += Math.abs(x);
            out[2] += x * x;
        }
        out[3] = max;
        return out;
    }

    private static float[] values(Random r, int n) {
        float[] v = new float[n];
        float[] specials = {0f, -0f, Float.MIN_VALUE, -Float.MIN_NORMAL, 1e30f, -1e-30f, 3.4e38f};
        for (int i = 0; i < n; i++) {
            v[i] = r.nextInt(20) == 0 ? specials[r.nextInt(specials.length)]
                    : (float) (r.nextGaussian() * Math.pow(10, r.nextInt(9) - 6) + (r.nextBoolean() ? 0 : 0.7));
        }
        return v;
    }

    @Test
    void bothPathsAddInTheDocumentedOrder() {
        Random r = new Random(11);
        for (int length : new int[] {0, 1, 7, 8, 9, 15, 16, 17, 25, 64, 100, 161, 1000, 4099}) {
            for (int offset : new int[] {0, 3, 8}) {
                float[] v = values(r, offset + length + 5);
                double[] want = reference(v, offset, length);
                assertThat(LaneSums.scalar(v, offset, length)).as("scalar, n=%d", length).isEqualTo(want);
                if (SimdSums.supported()) {
                    assertThat(SimdSums.of(v, offset, length)).as("vector, n=%d", length).isEqualTo(want);
                }
            }
        }
    }

    @Test
    void theVectorPathIsOnUnderTheTestsFlags() {
        assumeTrue(SimdSums.supported(), "this CPU has no 256-bit vectors");
        assertThat(LaneSums.SIMD).as("surefire starts the JVM with --add-modules=jdk.incubator.vector").isTrue();
    }

    @Test
    void nanAndInfinityReachTheSums() {
        float[] v = new float[20];
        v[4] = Float.NaN;
        v[17] = Float.POSITIVE_INFINITY;
        assertThat(LaneSums.of(v, 0, 20)[LaneSums.SUM_ABS]).isNaN();
        assertThat(LaneSums.of(v, 5, 15)[LaneSums.SUM]).isInfinite();
        assertThat(LaneSums.of(v, 5, 15)[LaneSums.MAX_ABS]).isInfinite();
        assertThat(Moments.of(v, 0, 20, 1).maxAbs()).isNaN();
    }
}
