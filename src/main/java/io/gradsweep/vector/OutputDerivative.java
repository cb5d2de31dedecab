package io.gradsweep.vector;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;

/**
 * An activation's backprop computed from the outputs its forward pass already holds. DL4J's {@code tanh_bp} and
 * {@code sigmoid_bp} ops take the pre-activations and compute the function again per value (libnd4j's tanh is a
 * {@code powf} and a division, its sigmoid an {@code expf}): on a recurrent group that recomputation was a quarter
 * of an update. Their kernels are {@code e * (1 - th * th)} with {@code th = tanh(x)} and {@code e * (s * (1 - s))}
 * with {@code s = sigmoid(x)}, the same inline function the forward op applied to the same x, so given the forward
 * outputs the float operations below round exactly as libnd4j's (IEEE single, no fused multiply-add in the generic
 * build), and the result is DL4J's bit for bit; the exactness suites check that per family.
 */
enum OutputDerivative {
    TANH,
    SIGMOID;

    /** The derivative for {@code f}, or null where DL4J's own backprop has to run. */
    static OutputDerivative of(IActivation f) {
        if (f instanceof ActivationTanH) {
            return TANH;
        }
        return f instanceof ActivationSigmoid ? SIGMOID : null;
    }

    /** {@code out[i] = eps[i] * f'(x_i)} for n values, where {@code acts[i] = f(x_i)}; out may alias eps. */
    void times(float[] acts, int actsAt, float[] eps, int epsAt, float[] out, int outAt, int n) {
        if (this == TANH) {
            for (int i = 0; i < n; i++) {
                float th = acts[actsAt + i];
                out[outAt + i] = eps[epsAt + i] * (1f - th * th);
            }
        } else {
            for (int i = 0; i < n; i++) {
                float s = acts[actsAt + i];
                out[outAt + i] = eps[epsAt + i] * (s * (1f - s));
            }
        }
    }
}
