package io.gradsweep.vector;

import io.gradsweep.model.Network;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastDivOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastSubOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * One hidden layer's batch normalization over a group, [K, rows, units] with per-trial [K, units] statistics and
 * parameters: DL4J 1.0.0-M2's {@code BatchNormalization} layer (its built-in path; the CPU backend without oneDNN
 * has no helper) op for op, each op issued once over the group. Reductions run over the rows of each trial (ND4J's
 * dimension 1 here, dimension 0 in DL4J's per-trial [rows, units]), which ND4J sums in the same sequential order;
 * broadcasts run along dimensions 0 and 2; pow and log go through ND4J's own kernels, as they must to match.
 *
 * <p>DL4J keeps the running mean and log10 std in the parameter vector and moves them through the gradient view:
 * backprop writes {@code (mean - batchMean) * (1 - decay)} and {@code log10(var / (decay var + (1 - decay)
 * batchVar)) / 2}, and {@code params -= view} then leaves {@code decay * mean + (1 - decay) * batchMean} and the
 * log10 std of the decayed variance; {@link #backward} writes the same values to the same place.
 */
final class BatchNormPass {
    private static final BatchNormalization SETTINGS = new BatchNormalization.Builder().build();
    private static final double DECAY = SETTINGS.getDecay();
    private static final double EPS = SETTINGS.getEps();
    private static final double ONE_ON_2LOGE_10 = 1.0 / (2.0 * Math.log(10.0));
    private static final int[] BROADCAST = {0, 2};
    /** Batch norm's output, the activation's input. */
    final INDArray out;
    private final long rows;
    private final INDArray xMu;
    private final INDArray xHat;
    private INDArray mean;
    private INDArray var;
    private INDArray std;

    BatchNormPass(long[] shape) {
        rows = shape[1];
        out = Nd4j.create(DataType.FLOAT, shape);
        xMu = Nd4j.create(DataType.FLOAT, shape);
        xHat = Nd4j.create(DataType.FLOAT, shape);
    }

    /**
     * The group's nets are built by {@code NetworkFactory.batchNorm} and this class assumes its settings: DL4J's
     * defaults (decay, eps, log10 std, trained gamma and beta). Fails if a trial's layer differs.
     */
    static void requireSettings(Network net, String owner) {
        Object conf = (net.model() instanceof MultiLayerNetwork m ? m.getLayer(Integer.parseInt(owner))
                : ((ComputationGraph) net.model()).getLayer(owner)).conf().getLayer();
        if (!(conf instanceof BatchNormalization bn) || bn.getDecay() != DECAY || bn.getEps() != EPS
                || !bn.isUseLogStd() || bn.isLockGammaBeta()) {
            throw new IllegalStateException("the vector engine's batch norm assumes DL4J's default layer, not "
                    + conf);
        }
    }

    /** Training: normalizes {@code z} by its own per-trial batch statistics. */
    void train(INDArray z, INDArray gamma, INDArray beta) {
        mean = z.mean(1);
        var = z.var(false, 1);
        std = Transforms.sqrt(var.dup().addi(EPS), false);
        normalize(z, gamma, beta);
    }

    /** Inference: normalizes by the running mean and variance, var = (10^log10std)^2. */
    void infer(INDArray z, INDArray gamma, INDArray beta, INDArray runningMean, INDArray runningLog10Std) {
        mean = runningMean;
        INDArray variance = Transforms.pow(Nd4j.valueArrayOf(runningLog10Std.shape(), 10.0, DataType.FLOAT),
                runningLog10Std);
        variance.muli(variance);
        std = Transforms.sqrt(variance.add(EPS));
        normalize(z, gamma, beta);
    }

    private void normalize(INDArray z, INDArray gamma, INDArray beta) {
        Nd4j.getExecutioner().exec(new BroadcastSubOp(z, mean, xMu, BROADCAST));
        Nd4j.getExecutioner().exec(new BroadcastDivOp(xMu, std, xHat, BROADCAST));
        Nd4j.getExecutioner().exec(new BroadcastMulOp(xHat, gamma, out, BROADCAST));
        Nd4j.getExecutioner().exec(new BroadcastAddOp(out, beta, out, BROADCAST));
    }

    /**
     * From the summed loss's gradient at the output, {@code epsilon} (left unchanged), to the gradient at the
     * input, which is returned; the gradients of gamma and beta and the running statistics' updates, each
     * [K, units], go to {@code grad} at their blocks. Overwrites the forward pass's buffers.
     */
    INDArray backward(INDArray epsilon, INDArray gamma, INDArray runningMean, INDArray runningLog10Std,
                      float[] grad, int[] blocks) {
        copy(epsilon.sum(1), grad, blocks[1]);
        copy(epsilon.mul(xHat).sum(1), grad, blocks[0]);
        INDArray dxhat = Nd4j.createUninitialized(DataType.FLOAT, epsilon.shape());
        Nd4j.getExecutioner().exec(new BroadcastMulOp(epsilon, gamma, dxhat, BROADCAST));
        INDArray dLdVar = dxhat.mul(xMu).sum(1).muli(-0.5).muli(Transforms.pow(std, -3.0, true));
        INDArray dxmu1 = dxhat.sum(1).divi(std).negi();
        INDArray dxmu2 = xMu.sum(1).muli(-2.0 / rows).muli(dLdVar);
        INDArray dLdmu = dxmu1.addi(dxmu2);
        Nd4j.getExecutioner().exec(new BroadcastDivOp(dxhat, std, dxhat, BROADCAST));
        Nd4j.getExecutioner().exec(new BroadcastMulOp(xMu, dLdVar.muli(2.0 / rows), xMu, BROADCAST));
        dxhat.addi(xMu);
        Nd4j.getExecutioner().exec(new BroadcastAddOp(dxhat, dLdmu.muli(1.0 / rows), dxhat, BROADCAST));
        copy(runningMean.sub(mean).muli(1.0 - DECAY), grad, blocks[2]);
        INDArray variance = Nd4j.valueArrayOf(runningLog10Std.shape(), 10.0, DataType.FLOAT);
        Transforms.pow(variance, runningLog10Std, false);
        variance.muli(variance);
        INDArray decayed = variance.mul(DECAY).addi(var.mul(1.0 - DECAY));
        INDArray log = Transforms.log(variance.div(decayed), false);
        copy(log.muli(ONE_ON_2LOGE_10), grad, blocks[3]);
        return dxhat;
    }

    private static void copy(INDArray values, float[] to, int at) {
        float[] v = values.reshape(values.length()).toFloatVector();
        System.arraycopy(v, 0, to, at, v.length);
    }
}
