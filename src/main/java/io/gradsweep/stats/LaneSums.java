package io.gradsweep.stats;

/**
 * The sums behind {@link Moments} over a float slice, in double: sum, sum of |x|, sum of squares, and the largest
 * |x| (NaN skipped; see {@link Moments#of}). Every path adds in one fixed order, so a statistic's bits do not depend
 * on the JVM's flags or the CPU: element {@code offset + 8m + j} goes to lane j for the slice's whole blocks of
 * eight, the lanes are combined as ((0+1)+(2+3))+((4+5)+(6+7)), and the last {@code length % 8} elements follow
 * one at a time. {@link SimdSums} computes exactly that with the Vector API, 3-4x faster than one chain of
 * dependent adds; without the {@code jdk.incubator.vector} module (a JVM started without
 * {@code --add-modules jdk.incubator.vector}) or 256-bit vectors, the unrolled loop here computes it at the old
 * loop's speed.
 */
final class LaneSums {
    static final int LANES = 8;
    static final int SUM = 0;
    static final int SUM_ABS = 1;
    static final int SUM_SQ = 2;
    static final int MAX_ABS = 3;

    /** Whether {@link #of} runs on the Vector API in this JVM. */
    static final boolean SIMD = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && SimdSums.supported();

    private LaneSums() {
    }

    /** The four sums of {@code v[offset .. offset+length)}, indexed by {@link #SUM} .. {@link #MAX_ABS}. */
    static double[] of(float[] v, int offset, int length) {
        return SIMD ? SimdSums.of(v, offset, length) : scalar(v, offset, length);
    }

    /** The same sums in plain Java, in the same order, for any JVM. */
    static double[] scalar(float[] v, int offset, int length) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        double a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
        double q0 = 0, q1 = 0, q2 = 0, q3 = 0, q4 = 0, q5 = 0, q6 = 0, q7 = 0;
        float max = 0;
        int i = offset;
        int blocks = offset + (length & ~(LANES - 1));
        for (; i < blocks; i += LANES) {
            double x0 = v[i], x1 = v[i + 1], x2 = v[i + 2], x3 = v[i + 3];
            double x4 = v[i + 4], x5 = v[i + 5], x6 = v[i + 6], x7 = v[i + 7];
            s0 += x0; s1 += x1; s2 += x2; s3 += x3; s4 += x4; s5 += x5; s6 += x6; s7 += x7;
            a0 += Math.abs(x0); a1 += Math.abs(x1); a2 += Math.abs(x2); a3 += Math.abs(x3);
            a4 += Math.abs(x4); a5 += Math.abs(x5); a6 += Math.abs(x6); a7 += Math.abs(x7);
            q0 += x0 * x0; q1 += x1 * x1; q2 += x2 * x2; q3 += x3 * x3;
            q4 += x4 * x4; q5 += x5 * x5; q6 += x6 * x6; q7 += x7 * x7;
            for (int j = i; j < i + LANES; j++) {
                float a = Math.abs(v[j]);
                if (a > max) { // rarely taken: the running maximum seldom changes
                    max = a;
                }
            }
        }
        return tail(v, i, offset + length, combine(s0, s1, s2, s3, s4, s5, s6, s7),
                combine(a0, a1, a2, a3, a4, a5, a6, a7), combine(q0, q1, q2, q3, q4, q5, q6, q7), max);
    }

    static double combine(double l0, double l1, double l2, double l3, double l4, double l5, double l6, double l7) {
        return ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7));
    }

    /** Adds {@code v[from .. end)} one at a time to the combined lanes. */
    static double[] tail(float[] v, int from, int end, double sum, double sumAbs, double sumSq, float max) {
        for (int i = from; i < end; i++) {
            float a = Math.abs(v[i]);
            double x = v[i];
            sum += x;
            sumAbs += a;
            sumSq += x * x;
            if (a > max) {
                max = a;
            }
        }
        return new double[] {sum, sumAbs, sumSq, max};
    }
}
