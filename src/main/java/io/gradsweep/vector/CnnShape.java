package io.gradsweep.vector;

import io.gradsweep.model.DeltaProbe;
import io.gradsweep.model.Network;
import io.gradsweep.model.NetworkFactory;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.stats.ParamLayout;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The geometry and starting point of a group of ResNet-style CNN trials ({@code model: cnn}), read off each trial's
 * own DL4J graph: every block's channels, map sizes, stride and the same-mode padding DL4J derives, each trial's
 * initial parameters in DL4J's flat order, its param layout (names, order, owners as DL4J's param table has them),
 * and the activation and loss objects DL4J trains with.
 */
final class CnnShape {
    static final int SIDE = 28;
    static final int KERNEL = 3;
    final int trials;
    final int blocks;
    final int perTrial;
    final boolean residual;
    final int[] in;
    final int[] out;
    final int[] inSide;
    final int[] outSide;
    final int[] stride;
    final int[] pad;
    /** Offsets inside one trial's flat vector: conv W and b per block, then the output layer's W and b. */
    final int[] weight;
    final int[] bias;
    final int outWeight;
    final int outBias;
    final int classes;
    final float[] initial;
    final IActivation hidden;
    final IActivation output;
    final ILossFunction loss;
    private final List<ParamLayout> layouts = new ArrayList<>();

    CnnShape(List<TrialConfig> trials, int numClasses) {
        this.trials = trials.size();
        TrialConfig first = trials.get(0);
        this.blocks = first.architecture().depth();
        this.residual = first.architecture().residual();
        in = new int[blocks];
        out = new int[blocks];
        inSide = new int[blocks];
        outSide = new int[blocks];
        stride = new int[blocks];
        pad = new int[blocks];
        weight = new int[blocks];
        bias = new int[blocks];
        Network net0 = NetworkFactory.build(first, SIDE * SIDE, numClasses);
        ParamLayout layout = ParamLayout.of(net0.paramTable(), net0.paramOwners());
        perTrial = (int) net0.model().numParams();
        ComputationGraph graph = (ComputationGraph) net0.model();
        int channels = 1;
        int side = SIDE;
        for (int l = 0; l < blocks; l++) {
            ConvolutionLayer conf = (ConvolutionLayer) graph.getLayer("layer" + l).conf().getLayer();
            in[l] = channels;
            out[l] = (int) conf.getNOut();
            inSide[l] = side;
            stride[l] = conf.getStride()[0];
            outSide[l] = (side + stride[l] - 1) / stride[l];
            int[] topLeft = ConvolutionUtils.getSameModeTopLeftPadding(new int[] {outSide[l], outSide[l]},
                    new int[] {side, side}, conf.getKernelSize(), conf.getStride(), conf.getDilation());
            pad[l] = topLeft[0];
            weight[l] = offset(layout, "layer" + l, "W");
            bias[l] = offset(layout, "layer" + l, "b");
            channels = out[l];
            side = outSide[l];
        }
        outWeight = offset(layout, "out", "W");
        outBias = offset(layout, "out", "b");
        BaseOutputLayer outConf = (BaseOutputLayer) graph.getLayer("out").conf().getLayer();
        classes = (int) outConf.getNOut();
        output = outConf.getActivationFn();
        loss = outConf.getLossFn();
        hidden = DeltaProbe.unwrap(((ConvolutionLayer) graph.getLayer("layer0").conf().getLayer()).getActivationFn());
        initial = new float[this.trials * perTrial];
        for (int k = 0; k < this.trials; k++) {
            Network net = k == 0 ? net0 : NetworkFactory.build(trials.get(k), SIDE * SIDE, numClasses);
            float[] p = net.model().params().toFloatVector();
            System.arraycopy(p, 0, initial, k * perTrial, perTrial);
            List<ParamLayout.Segment> shifted = new ArrayList<>();
            for (ParamLayout.Segment s : layout.segments()) {
                shifted.add(new ParamLayout.Segment(s.layer(), s.param(), s.offset() + k * perTrial, s.length(),
                        s.owner()));
            }
            layouts.add(new ParamLayout(shifted));
        }
    }

    private static int offset(ParamLayout layout, String owner, String param) {
        for (ParamLayout.Segment s : layout.segments()) {
            if (s.owner().equals(owner) && s.param().equals(param)) {
                return s.offset();
            }
        }
        throw new IllegalStateException("no parameter " + owner + "_" + param);
    }

    ParamLayout layout(int k) {
        return layouts.get(k);
    }

    /** Positions of block l's output map. */
    int positions(int l) {
        return outSide[l] * outSide[l];
    }

    /** Rows of block l's im2col matrix per example, and its width. */
    int patch(int l) {
        return in[l] * KERNEL * KERNEL;
    }
}
