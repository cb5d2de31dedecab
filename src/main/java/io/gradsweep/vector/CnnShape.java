package io.gradsweep.vector;

import io.gradsweep.model.DeltaProbe;
import io.gradsweep.model.Network;
import io.gradsweep.model.NetworkFactory;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.stats.ParamLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
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
    final boolean batchNorm;
    final int[] in;
    final int[] out;
    final int[] inSide;
    final int[] outSide;
    final int[] stride;
    final int[] pad;
    /** Offsets inside one trial's flat vector: conv W and b per block, then the output layer's W and b. */
    final int[] weight;
    final int[] bias;
    /**
     * Per block with batch norm: the offsets of its BatchNormalization layer's gamma, beta, running mean and running
     * log10 std ({@link ParamSpace#BN_PARAMS} order) inside one trial's vector; null without.
     */
    final int[][] norm;
    final int outWeight;
    final int outBias;
    final int classes;
    final float[] initial;
    final IActivation hidden;
    /** {@link #hidden}'s derivative from its outputs, or null (see {@link OutputDerivative}). */
    final OutputDerivative derivative;
    final IActivation output;
    final ILossFunction loss;
    private final List<ParamLayout> layouts = new ArrayList<>();
    /** Per block: its im2col geometry; blocks of one geometry share one. */
    private final PatchRuns[] patchRuns;

    CnnShape(List<TrialConfig> trials, int numClasses) {
        this.trials = trials.size();
        TrialConfig first = trials.get(0);
        this.blocks = first.architecture().depth();
        this.residual = first.architecture().residual();
        this.batchNorm = first.architecture().batchNorm();
        in = new int[blocks];
        out = new int[blocks];
        inSide = new int[blocks];
        outSide = new int[blocks];
        stride = new int[blocks];
        pad = new int[blocks];
        weight = new int[blocks];
        bias = new int[blocks];
        norm = batchNorm ? new int[blocks][] : null;
        Network net0 = NetworkFactory.build(first, SIDE * SIDE, numClasses);
        ParamLayout layout = ParamLayout.of(net0.paramTable(), net0.paramOwners());
        Map<String, Integer> offsets = offsets(net0.paramTable());
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
            weight[l] = offset(offsets, "layer" + l, "W");
            bias[l] = offset(offsets, "layer" + l, "b");
            if (batchNorm) {
                BatchNormPass.requireSettings(net0, "bn" + l);
                norm[l] = new int[ParamSpace.BN_PARAMS.size()];
                for (int p = 0; p < norm[l].length; p++) {
                    norm[l][p] = offset(offsets, "bn" + l, ParamSpace.BN_PARAMS.get(p));
                }
            }
            channels = out[l];
            side = outSide[l];
        }
        patchRuns = new PatchRuns[blocks];
        for (int l = 0; l < blocks; l++) {
            boolean same = l > 0 && in[l] == in[l - 1] && inSide[l] == inSide[l - 1] && stride[l] == stride[l - 1]
                    && pad[l] == pad[l - 1];
            patchRuns[l] = same ? patchRuns[l - 1] : new PatchRuns(in[l], inSide[l], outSide[l], stride[l], pad[l]);
        }
        outWeight = offset(offsets, "out", "W");
        outBias = offset(offsets, "out", "b");
        BaseOutputLayer outConf = (BaseOutputLayer) graph.getLayer("out").conf().getLayer();
        classes = (int) outConf.getNOut();
        output = outConf.getActivationFn();
        loss = outConf.getLossFn();
        // With batch norm the conv layers are linear and the nonlinearity is an ActivationLayer after the BN.
        hidden = DeltaProbe.unwrap(batchNorm
                ? ((ActivationLayer) graph.getLayer("act0").conf().getLayer()).getActivationFn()
                : ((ConvolutionLayer) graph.getLayer("layer0").conf().getLayer()).getActivationFn());
        derivative = OutputDerivative.of(hidden);
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

    /** Every tensor's offset in DL4J's flat vector, by its param-table key ("owner_param", in flat order). */
    private static Map<String, Integer> offsets(Map<String, INDArray> table) {
        Map<String, Integer> offsets = new HashMap<>();
        int at = 0;
        for (Map.Entry<String, INDArray> e : table.entrySet()) {
            offsets.put(e.getKey(), at);
            at += (int) e.getValue().length();
        }
        return offsets;
    }

    private static int offset(Map<String, Integer> offsets, String owner, String param) {
        Integer at = offsets.get(owner + "_" + param);
        if (at == null) {
            throw new IllegalStateException("no parameter " + owner + "_" + param);
        }
        return at;
    }

    /** Trial k's running statistics (each block's mean and log10 std) as {from, to} ranges of the group vector. */
    int[][] runningStats(int k) {
        if (!batchNorm) {
            return new int[0][];
        }
        int[][] ranges = new int[2 * blocks][];
        for (int l = 0; l < blocks; l++) {
            for (int p = 2; p < 4; p++) {
                int from = k * perTrial + norm[l][p];
                ranges[2 * l + p - 2] = new int[] {from, from + out[l]};
            }
        }
        return ranges;
    }

    /** Block l's im2col and col2im geometry. */
    PatchRuns patchRuns(int l) {
        return patchRuns[l];
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
