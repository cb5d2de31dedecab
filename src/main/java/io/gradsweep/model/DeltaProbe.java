package io.gradsweep.model;

import io.gradsweep.stats.HostCopy;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A hidden layer's nonlinearity that, when armed, keeps a copy of the gradient it hands back to its input during
 * the training backward pass: dL/ds for the layer's pre-activations s (Glorot and Bengio 2010, eq. 14). DL4J's
 * dense, convolution and activation layers compute it as {@code activationFn.backprop(z, epsilon).getFirst()} and
 * use it for the weight gradient at once, never handing it to listeners; wrapping the function is the only place
 * it passes by. Recording costs one copy on recorded iterations and no extra pass.
 *
 * <p>Forward and backward are the wrapped function's own calls, so training is the same with or without a probe.
 * The capture is of DL4J's summed minibatch loss, in the layout of z ([examples, units] or [examples, channels,
 * height, width]) flattened row-major. Only the arming state is transient: the configuration's JSON round trip
 * (DL4J's Spark workers) rebuilds an unarmed probe around the same function.
 */
public final class DeltaProbe extends BaseActivationFunction {
    private IActivation wrapped;
    private transient boolean armed;
    private transient float[] capture;

    public DeltaProbe(IActivation wrapped) {
        this.wrapped = wrapped;
    }

    /** For DL4J's JSON configuration round trip. */
    private DeltaProbe() {
    }

    /** The function itself, for engines that run it without DL4J's layers (the vector engine). */
    public static IActivation unwrap(IActivation fn) {
        return fn instanceof DeltaProbe p ? p.wrapped : fn;
    }

    /** Capture dL/ds of the next backward pass. */
    public void arm() {
        armed = true;
        capture = null;
    }

    /** The capture since {@link #arm()}, or null (no backward pass reached this layer); disarms. */
    public float[] take() {
        float[] c = capture;
        capture = null;
        armed = false;
        return c;
    }

    @Override
    public INDArray getActivation(INDArray in, boolean training) {
        return wrapped.getActivation(in, training);
    }

    @Override
    public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
        Pair<INDArray, INDArray> out = wrapped.backprop(in, epsilon);
        if (armed) {
            // Copied now: the array lives in a workspace that DL4J reuses once backprop is over.
            capture = HostCopy.rowMajor(out.getFirst());
            armed = false;
        }
        return out;
    }

    @Override
    public int numParams(int inputSize) {
        return wrapped.numParams(inputSize);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DeltaProbe p && p.wrapped.equals(wrapped);
    }

    @Override
    public int hashCode() {
        return wrapped.hashCode() + 1;
    }

    /** DL4J prints a layer's activation function by its name in summaries. */
    @Override
    public String toString() {
        return wrapped.toString();
    }
}
