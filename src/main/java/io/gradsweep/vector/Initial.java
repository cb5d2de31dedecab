package io.gradsweep.vector;

import io.gradsweep.model.DeltaProbe;
import io.gradsweep.model.NetworkFactory;
import io.gradsweep.spec.TrialConfig;
import java.util.List;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * A group's starting point, taken from each trial's own DL4J network: its initial parameters (so seeds, the seed-0
 * mapping and every initializer, ours included, are exactly DL4J's), and the activation and loss objects that
 * DL4J would train with. Building the networks costs a few milliseconds per trial, once.
 */
record Initial(float[] params, IActivation hidden, IActivation output, ILossFunction loss) {

    static Initial of(List<TrialConfig> trials, ParamSpace space, int numFeatures, int numClasses) {
        float[] params = new float[space.length()];
        IActivation hidden = null;
        IActivation output = null;
        ILossFunction loss = null;
        int last = space.layers() - 1;
        for (int k = 0; k < trials.size(); k++) {
            MultiLayerNetwork net = NetworkFactory.multiLayer(trials.get(k), numFeatures, numClasses);
            for (int l = 0; l <= last; l++) {
                copy(net.getParam(l + "_W").transpose(), params, space.weight(l, k));
                copy(net.getParam(l + "_b"), params, space.bias(l, k));
            }
            if (k == 0) {
                hidden = last > 0 ? DeltaProbe.unwrap(((BaseLayer) net.getLayer(0).conf().getLayer())
                        .getActivationFn()) : null;
                BaseOutputLayer out = (BaseOutputLayer) net.getLayer(last).conf().getLayer();
                output = out.getActivationFn();
                loss = out.getLossFn();
            }
        }
        return new Initial(params, hidden, output, loss);
    }

    /** Row-major, whatever order DL4J keeps the tensor in; weights come transposed, so column-major. */
    private static void copy(INDArray tensor, float[] to, int offset) {
        float[] values = tensor.dup('c').reshape(tensor.length()).toFloatVector();
        System.arraycopy(values, 0, to, offset, values.length);
    }
}
