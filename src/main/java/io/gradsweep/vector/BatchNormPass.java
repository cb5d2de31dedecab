package io.gradsweep.vector;

import io.gradsweep.model.Network;
import java.util.Arrays;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * One hidden layer's batch normalization over a group, [K, rows, units] with per-trial [K, units] statistics and
 * parameters: DL4J 1.0.0-M2's {@code BatchNormalization} layer (its built-in path; the CPU backend without oneDNN
 * has no helper) op for op. pow and log are ND4J's kernels, on the small [K, units] arrays. Everything else is
 * IEEE arithmetic (sequential float sums, the mean as sum / n, the variance as ND4J's reduction takes it,
 * products, quotients, square roots), done here in Java with DL4J's operands in DL4J's order, so it rounds as
 * ND4J's ops do: ND4J broadcasts a [K, units] operand along dimensions 0 and 2, and reduces over dimension 1,
 * element by element through its generic index path, some 0.5-2 ms per op at MNIST size, against tens of
 * microseconds here.
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
    /** Batch norm's output, the activation's input, native and on the host. */
    final INDArray out;
    private final float[] outHost;
    private final int trials;
    private final int rows;
    private final int units;
    private final float[] xMu;
    private final float[] xHat;
    private final float[] mean;
    private final float[] std;
    private float[] batchVar;
    private INDArray stdArray;

    BatchNormPass(long[] shape) {
        trials = (int) shape[0];
        rows = (int) shape[1];
        units = (int) shape[2];
        out = Nd4j.create(DataType.FLOAT, shape);
        int n = trials * rows * units;
        outHost = new float[n];
        xMu = new float[n];
        xHat = new float[n];
        mean = new float[trials * units];
        std = new float[trials * units];
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

    /**
     * Training: normalizes {@code z} ([K, rows, units]) by its own per-trial batch statistics;
     * gamma and beta are read from {@code params} at {@code blocks} (BN_PARAMS order).
     */
    void train(float[] z, float[] params, int[] blocks) {
        Arrays.fill(mean, 0f);
        for (int k = 0; k < trials; k++) {
            for (int r = 0; r < rows; r++) {
                for (int j = 0, at = (k * rows + r) * units, v = k * units; j < units; j++) {
                    mean[v + j] += z[at + j];
                }
            }
        }
        float n = rows;
        for (int i = 0; i < mean.length; i++) {
            mean[i] = mean[i] / n;
        }
        float[] var = variance(z);
        batchVar = var;
        float eps = (float) EPS;
        for (int i = 0; i < std.length; i++) {
            std[i] = (float) Math.sqrt(var[i] + eps);
        }
        stdArray = Nd4j.create(std, new long[] {trials, units}, DataType.FLOAT);
        normalize(z, params, blocks);
    }

    /**
     * ND4J's population variance over each trial's rows, as libnd4j's summary-statistics reduction computes it:
     * Chan et al.'s pairwise update in double, folding in one value at a time in row order, then M2 / n in float.
     * The units' running sums advance side by side, row by row: each unit's sequence of operations is the same, but
     * the units' dependency chains (a division each per value) overlap instead of running one after another.
     */
    private float[] variance(float[] z) {
        float[] var = new float[trials * units];
        double[] mean = new double[units];
        double[] m2 = new double[units];
        for (int k = 0; k < trials; k++) {
            int first = k * rows * units;
            for (int j = 0; j < units; j++) {
                mean[j] = z[first + j];
                m2[j] = 0;
            }
            double n = 1;
            for (int r = 1; r < rows; r++) {
                double next = n + 1;
                for (int j = 0, at = first + r * units; j < units; j++) {
                    double delta = z[at + j] - mean[j];
                    mean[j] = mean[j] + delta * 1.0 / next;
                    m2[j] = m2[j] + delta * delta * n * 1.0 / next;
                }
                n = next;
            }
            for (int j = 0; j < units; j++) {
                var[k * units + j] = n <= 1.0 ? 0f : (float) (m2[j] / n);
            }
        }
        return var;
    }

    /** Inference: normalizes by the running mean and variance, var = (10^log10std)^2. */
    void infer(float[] z, float[] params, int[] blocks, INDArray runningLog10Std) {
        System.arraycopy(params, blocks[2], mean, 0, mean.length);
        INDArray variance = Transforms.pow(Nd4j.valueArrayOf(runningLog10Std.shape(), 10.0, DataType.FLOAT),
                runningLog10Std);
        variance.muli(variance);
        float[] var = variance.reshape(variance.length()).toFloatVector();
        float eps = (float) EPS;
        for (int i = 0; i < std.length; i++) {
            std[i] = (float) Math.sqrt(var[i] + eps);
        }
        normalize(z, params, blocks);
    }

    /** xMu = z - mean, xHat = xMu / std, out = xHat * gamma + beta. */
    private void normalize(float[] z, float[] params, int[] blocks) {
        for (int k = 0; k < trials; k++) {
            for (int r = 0; r < rows; r++) {
                int at = (k * rows + r) * units;
                for (int j = 0, v = k * units; j < units; j++, v++) {
                    xMu[at + j] = z[at + j] - mean[v];
                    xHat[at + j] = xMu[at + j] / std[v];
                    float scaled = xHat[at + j] * params[blocks[0] + v];
                    outHost[at + j] = scaled + params[blocks[1] + v];
                }
            }
        }
        out.data().asNioFloat().put(outHost);
    }

    /** The last {@link #train} or {@link #infer} output on the host, in {@link #out}'s layout. */
    float[] output() {
        return outHost;
    }

    /**
     * From the summed loss's gradient at the output, {@code epsilon} (host, [K, rows, units]), to the gradient at
     * the input, written to {@code dz}; the gradients of gamma and beta and the running statistics' updates go to
     * {@code grad} at their blocks. {@code running} are the [K, units] views of the running mean and log10 std.
     */
    void backward(float[] epsilon, float[] params, int[] blocks, INDArray[] running, float[] grad, float[] dz) {
        float[] dxhat = dz;
        float[] p3 = Transforms.pow(stdArray, -3.0, true).reshape(std.length).toFloatVector();
        float minusTwoOnN = (float) (-2.0 / rows);
        float twoOnN = (float) (2.0 / rows);
        float oneOnN = (float) (1.0 / rows);
        float[] dLdVar = new float[units];
        float[] dLdmu = new float[units];
        for (int k = 0; k < trials; k++) {
            int v0 = k * units;
            float[] sums = columnSums(epsilon, params, blocks, k, dxhat);
            for (int j = 0; j < units; j++) {
                grad[blocks[1] + v0 + j] = sums[j];
                grad[blocks[0] + v0 + j] = sums[units + j];
                dLdVar[j] = sums[2 * units + j] * -0.5f * p3[v0 + j];
                float dxmu1 = -(sums[3 * units + j] / std[v0 + j]);
                float dxmu2 = sums[4 * units + j] * minusTwoOnN * dLdVar[j];
                dLdmu[j] = (dxmu1 + dxmu2) * oneOnN;
                dLdVar[j] = dLdVar[j] * twoOnN;
            }
            for (int r = 0; r < rows; r++) {
                int at = (k * rows + r) * units;
                for (int j = 0; j < units; j++) {
                    float a = dxhat[at + j] / std[v0 + j];
                    float b = xMu[at + j] * dLdVar[j];
                    dz[at + j] = (a + b) + dLdmu[j];
                }
            }
        }
        float keep = (float) (1.0 - DECAY);
        for (int v = 0; v < mean.length; v++) {
            grad[blocks[2] + v] = (params[blocks[2] + v] - mean[v]) * keep;
        }
        // var = (10^log10std)^2; log(var / (decay var + (1 - decay) batchVar)) / (2 ln 10): pow and log are
        // ND4J's, the rest float arithmetic as its scalar and pairwise ops do it.
        INDArray power = Nd4j.valueArrayOf(running[1].shape(), 10.0, DataType.FLOAT);
        Transforms.pow(power, running[1], false);
        float[] variance = power.reshape(power.length()).toFloatVector();
        float decay = (float) DECAY;
        float scale = (float) ONE_ON_2LOGE_10;
        for (int v = 0; v < variance.length; v++) {
            float previous = variance[v] * variance[v];
            variance[v] = previous / (previous * decay + batchVar[v] * keep);
        }
        float[] log = Transforms.log(Nd4j.create(variance, power.shape(), DataType.FLOAT), false)
                .reshape(variance.length).toFloatVector();
        for (int v = 0; v < log.length; v++) {
            grad[blocks[3] + v] = log[v] * scale;
        }
    }

    /**
     * Trial k's sums over its rows, each a sequential float sum as ND4J's: of epsilon (dBeta), epsilon * xHat
     * (dGamma), dxhat * xMu, dxhat and xMu, where dxhat = epsilon * gamma is written to {@code dxhat}.
     */
    private float[] columnSums(float[] epsilon, float[] params, int[] blocks, int k, float[] dxhat) {
        float[] sums = new float[5 * units];
        for (int r = 0; r < rows; r++) {
            int at = (k * rows + r) * units;
            for (int j = 0; j < units; j++) {
                float e = epsilon[at + j];
                float d = e * params[blocks[0] + k * units + j];
                dxhat[at + j] = d;
                sums[j] += e;
                sums[units + j] += e * xHat[at + j];
                sums[2 * units + j] += d * xMu[at + j];
                sums[3 * units + j] += d;
                sums[4 * units + j] += xMu[at + j];
            }
        }
        return sums;
    }
}
