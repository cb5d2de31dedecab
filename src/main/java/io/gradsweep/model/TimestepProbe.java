package io.gradsweep.model;

import java.util.Collection;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Wraps a recurrent layer so that, when armed, it keeps a copy of the gradient it hands back to its input during
 * the training backward pass: dL/du_t for every step t, where u is the layer's input sequence. DL4J computes this
 * epsilon anyway to backpropagate into the layer below (the first layer computes it too), so recording costs one
 * copy on recorded iterations and no extra pass. The total gradient at the layer's own state, dL/dh_t, only exists
 * inside DL4J's backprop-through-time loop; dL/du_t = dL/dz_t W^T is its image through the input weights.
 *
 * <p>Parameters, their names (W, RW, b) and everything else are the wrapped layer's.
 */
public final class TimestepProbe extends BaseWrapperLayer {

    public TimestepProbe(Layer underlying) {
        super(underlying);
    }

    /** For DL4J's JSON configuration round trip. */
    private TimestepProbe() {
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> listeners, int index,
                                                       INDArray params, boolean initialize, DataType dataType) {
        NeuralNetConfiguration inner = conf.clone();
        inner.setLayer(underlying);
        return new Instance(underlying.instantiate(inner, listeners, index, params, initialize, dataType));
    }

    /** One captured input gradient of the summed minibatch loss, laid out [example][feature][step]. */
    public record Capture(float[] values, int examples, int features, int steps) {
        public Capture {
            if (values.length != (long) examples * features * steps) {
                throw new IllegalArgumentException("values must be examples x features x steps");
            }
        }
    }

    /** The layer as the network runs it. */
    public static final class Instance extends org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer {
        private boolean armed;
        private Capture capture;

        Instance(org.deeplearning4j.nn.api.Layer underlying) {
            super(underlying);
        }

        /** Capture the input gradient of the next backward pass. */
        public void arm() {
            armed = true;
            capture = null;
        }

        /** The capture since {@link #arm()}, or null (no backward pass ran); disarms. */
        public Capture take() {
            Capture c = capture;
            capture = null;
            armed = false;
            return c;
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
            Pair<Gradient, INDArray> out = underlying.backpropGradient(epsilon, workspaceMgr);
            INDArray in = out.getSecond();
            if (armed && in != null) {
                // Copied now: the array lives in a workspace that DL4J reuses once backprop is over.
                capture = new Capture(Nd4j.toFlattened('c', in).toFloatVector(), (int) in.size(0), (int) in.size(1),
                        (int) in.size(2));
                armed = false;
            }
            return out;
        }
    }
}
