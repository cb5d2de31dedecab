package io.gradsweep.vector;

import io.gradsweep.data.Dataset;
import io.gradsweep.spec.TrialConfig;
import java.nio.FloatBuffer;
import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;

/**
 * K equally shaped stacks of DL4J LSTM layers with a linear MSE unit on the last step (model {@code lstm}),
 * replaying M2's {@code LSTMHelpers} (no peepholes, sigmoid gates) step by step. Per step, each product is one
 * gemm per trial through {@link Blas} with DL4J's operands ({@code x_t W} into a fresh f-order [m, 4u] IFOG
 * block, then {@code += h_{t-1} RW}, see {@link SeqNet#stepProducts}); the element-wise ops run in DL4J's order
 * and with its operands, the nonlinearities through DL4J's own activation objects over the whole group and the
 * rest in Java ({@link LstmStep}), so every float rounds as it does there. DL4J's gates sit side by side in W, RW
 * and b as input (the cell activation), forget, output and input-modulation (sigmoid) blocks; the cell is
 * c = c_{t-1} f + g i and the output h = act(c) o.
 *
 * <p>At step 0 DL4J has no previous state: it skips the forget gate's delta and splits the W-gradient and
 * epsilon products into the input and output/modulation blocks, so this does too.
 */
final class BatchedLstm extends SeqNet {
    private final IActivation gate;

    static BatchedLstm of(List<TrialConfig> trials, Dataset train) {
        SeqStart start = SeqStart.of(trials, train);
        if (!(start.gate() instanceof ActivationSigmoid)) {
            throw new IllegalArgumentException("LSTM groups need DL4J's sigmoid gates, not " + start.gate());
        }
        return new BatchedLstm(start);
    }

    private BatchedLstm(SeqStart start) {
        super(start.shape(), start.hidden(), start.output());
        this.gate = start.gate();
    }

    @Override
    SeqPasses allocate(int rows) {
        return new SeqPasses(shape.trials(), shape.features(), shape.widths(), shape.steps(), rows, true);
    }

    @Override
    void forward(SeqPasses p, boolean training) {
        for (int l = 0; l < shape.layers(); l++) {
            LstmStep s = p.lstm[l];
            float[] bias = shape.biasPattern(host, l, p.rows);
            FloatBuffer pre = p.pre[l].data().asNioFloat();
            FloatBuffer acts = p.acts[l].data().asNioFloat();
            for (int i = 0; i < p.steps; i++) {
                stepProducts(p, l, i, s.ifogAt, null, null);
                s.forward(i, bias, pre, acts, hidden, gate, training);
            }
        }
    }

    @Override
    float[] backward(SeqPasses p, int l) {
        int k = shape.trials();
        int m = p.rows;
        int u = shape.width(l);
        LstmStep s = p.lstm[l];
        FloatPointer below = l == 0 ? p.inputAt : p.actsAt[l - 1];
        FloatPointer belowGrad = l == 0 ? p.inputGradAt : p.epsAt[l - 1];
        FloatBuffer eps = p.eps[l].data().asNioFloat();
        FloatBuffer pre = p.pre[l].data().asNioFloat();
        float[] biases = new float[k * 4 * u];
        float[] dz = s.dz;
        s.beginBackward();
        for (int i = p.steps - 1; i >= 0; i--) {
            s.nablaOut(i, eps);
            for (int t = 0; t < k && i < p.steps - 1; t++) {
                Blas.gemm(false, true, m, u, 4 * u, s.deltaAt, 4L * t * u * m, m, paramsAt, shape.rw(l, t), u, 1f,
                        s.nablaOutAt, (long) t * u * m, m);
            }
            s.backward(i, p.steps, pre, hidden);
            for (int t = 0; t < k; t++) {
                gradientProducts(p, l, i, t, below, belowGrad);
                for (int j = 0; j < 4 * u; j++) {
                    if (i > 0 || j < u || j >= 2 * u) {
                        float sum = 0;
                        for (int r = 0; r < m; r++) {
                            sum += dz[(t * 4 * u + j) * m + r];
                        }
                        biases[t * 4 * u + j] += sum;
                    }
                }
            }
        }
        return biases;
    }

    /**
     * Trial t's gradient products of step i: W's ({@code x_t^T delta}), RW's ({@code h_{t-1}^T delta}) and the
     * input's epsilon ({@code delta W^T}); at step 0 without the forget block, in DL4J's two pieces.
     */
    private void gradientProducts(SeqPasses p, int l, int i, int t, FloatPointer below, FloatPointer belowGrad) {
        int k = shape.trials();
        int m = p.rows;
        int in = shape.in(l);
        int u = shape.width(l);
        LstmStep s = p.lstm[l];
        long delta = (long) t * 4 * u * m;
        long x = (i * (long) k + t) * in * m;
        if (i > 0) {
            Blas.gemm(true, false, in, 4 * u, m, below, x, m, s.deltaAt, delta, m, 1f, gradientAt, shape.w(l, t),
                    in);
            Blas.gemm(true, false, u, 4 * u, m, p.actsAt[l], ((i - 1L) * k + t) * u * m, m, s.deltaAt, delta, m,
                    1f, gradientAt, shape.rw(l, t), u);
            Blas.gemm(false, true, m, in, 4 * u, s.deltaAt, delta, m, paramsAt, shape.w(l, t), in, 0f, belowGrad,
                    x, m);
        } else {
            Blas.gemm(true, false, in, u, m, below, x, m, s.deltaAt, delta, m, 1f, gradientAt, shape.w(l, t), in);
            Blas.gemm(true, false, in, 2 * u, m, below, x, m, s.deltaAt, delta + 2L * u * m, m, 1f, gradientAt,
                    shape.w(l, t) + 2L * u * in, in);
            Blas.gemm(false, true, m, in, u, s.deltaAt, delta, m, paramsAt, shape.w(l, t), in, 0f, belowGrad, x, m);
            Blas.gemm(false, true, m, in, 2 * u, s.deltaAt, delta + 2L * u * m, m, paramsAt,
                    shape.w(l, t) + 2L * u * in, in, 1f, belowGrad, x, m);
        }
    }

    /** Input, outputs, gates, cell states, pre-activations and epsilons of every step, per example. */
    @Override
    public long evaluationFloatsPerRow() {
        long perRow = 2L * shape.features() * shape.steps();
        for (int l = 0; l < shape.layers(); l++) {
            perRow += 9L * shape.width(l) * shape.steps() + 28L * shape.width(l);
        }
        return perRow + 2;
    }
}
