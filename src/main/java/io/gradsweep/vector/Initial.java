package io.gradsweep.vector;

import io.gradsweep.model.DeltaProbe;
import io.gradsweep.model.Network;
import io.gradsweep.model.NetworkFactory;
import io.gradsweep.spec.TrialConfig;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * A group's starting point, taken from each trial's own DL4J network: its initial parameters (so seeds, the seed-0
 * mapping and every initializer, ours included, are exactly DL4J's; batch norm's gamma, beta and running
 * statistics too), and the activation and loss objects that DL4J would train with. Tensors are read by the names
 * {@link ParamSpace} gives them, which are DL4J's. Building the networks costs a few milliseconds per trial, once.
 *
 * <p>{@code randomStates} holds, per trial, ND4J's random generator state as its network's initialisation left it
 * (root, node): where DL4J's dropout masks start drawing (see {@link DropoutMasks}).
 */
record Initial(float[] params, IActivation hidden, IActivation output, ILossFunction loss, long[][] randomStates) {

    static Initial of(List<TrialConfig> trials, ParamSpace space, int numFeatures, int numClasses) {
        float[] params = new float[space.length()];
        IActivation hidden = null;
        IActivation output = null;
        ILossFunction loss = null;
        long[][] randomStates = new long[trials.size()][];
        for (int k = 0; k < trials.size(); k++) {
            Network net = NetworkFactory.build(trials.get(k), numFeatures, numClasses);
            randomStates[k] = new long[] {Nd4j.getRandom().rootState(), Nd4j.getRandom().nodeState()};
            Map<String, INDArray> table = net.paramTable();
            for (int l = 0; l < space.layers(); l++) {
                copy(table.get(space.denseOwner(l) + "_W").transpose(), params, space.weight(l, k));
                copy(table.get(space.denseOwner(l) + "_b"), params, space.bias(l, k));
                for (int p = 0; space.hasBatchNorm(l) && p < ParamSpace.BN_PARAMS.size(); p++) {
                    copy(table.get(space.bnOwner(l) + "_" + ParamSpace.BN_PARAMS.get(p)), params, space.bn(l, p, k));
                }
            }
            if (k == 0) {
                hidden = DeltaProbe.unwrap(net.deltaProbes().get(0));
                Layer out = net.model() instanceof MultiLayerNetwork m ? m.getOutputLayer()
                        : ((ComputationGraph) net.model()).getOutputLayer(0);
                BaseOutputLayer conf = (BaseOutputLayer) out.conf().getLayer();
                output = conf.getActivationFn();
                loss = conf.getLossFn();
                if (space.batchNorm()) {
                    BatchNormPass.requireSettings(net, space.bnOwner(0));
                }
            }
        }
        return new Initial(params, hidden, output, loss, randomStates);
    }

    /** Row-major, whatever order DL4J keeps the tensor in; weights come transposed, so column-major. */
    private static void copy(INDArray tensor, float[] to, int offset) {
        float[] values = tensor.dup('c').reshape(tensor.length()).toFloatVector();
        System.arraycopy(values, 0, to, offset, values.length);
    }
}
