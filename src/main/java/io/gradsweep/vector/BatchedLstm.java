package io.gradsweep.vector;

import io.gradsweep.data.Dataset;
import io.gradsweep.spec.TrialConfig;
import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.same.TimesOneMinus;
import org.nd4j.linalg.factory.Nd4j;

/**
 * K equally shaped stacks of DL4J LSTM layers with a linear MSE unit on the last step (model {@code lstm}),
 * replaying M2's {@code LSTMHelpers} (no peepholes, sigmoid gates) step by step. Per step, each product is one
 * gemm per trial through {@link Blas} with DL4J's operands ({@code x_t W} into a fresh f-order [m, 4u] IFOG
 * block, then {@code += h_{t-1} RW}, then the bias row), and each element-wise op is one ND4J op over the whole
 * group with DL4J's own activation objects, in DL4J's order and with its operand order, so every float rounds as
 * it does there. DL4J's gates sit side by side in W, RW and b as input (the cell activation), forget, output and
 * input-modulation (sigmoid) blocks; the cell is c = c_{t-1} f + g i and the output h = act(c) o.
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

    private static void apply(IActivation f, INDArray x, boolean training) {
        INDArray a = f.getActivation(x, training);
        if (a != x) {
            x.assign(a);
        }
    }

    @Override
    void forward(SeqPasses p, boolean training) {
        int k = shape.trials();
        int m = p.rows;
        for (int l = 0; l < shape.layers(); l++) {
            int in = shape.in(l);
            int u = shape.width(l);
            SeqPasses.Lstm s = p.lstm[l];
            FloatPointer below = l == 0 ? p.inputAt : p.actsAt[l - 1];
            s.bias().data().asNioFloat().put(shape.biasPattern(host, l, m));
            for (int i = 0; i < p.steps; i++) {
                for (int t = 0; t < k; t++) {
                    long at = (i * (long) k + t) * 4 * u * m;
                    Blas.gemm(false, false, m, 4 * u, in, below, (i * (long) k + t) * in * m, m, paramsAt,
                            shape.w(l, t), in, 0f, s.ifogAt(), at, m);
                    if (i > 0) {
                        Blas.gemm(false, false, m, 4 * u, u, p.previousAt[l], ((i - 1L) * k + t) * u * m, m,
                                paramsAt, shape.rw(l, t), u, 1f, s.ifogAt(), at, m);
                    }
                }
                SeqPasses.rows(s.ifog(), i, k, 4 * u, m).addi(s.bias());
                INDArray ia = SeqPasses.gate(s.ifog(), i, 0, k, u, m);
                INDArray fa = SeqPasses.gate(s.ifog(), i, 1, k, u, m);
                INDArray oa = SeqPasses.gate(s.ifog(), i, 2, k, u, m);
                INDArray ga = SeqPasses.gate(s.ifog(), i, 3, k, u, m);
                if (training) {
                    SeqPasses.rows(p.pre[l], i, k, u, m).assign(ia);
                }
                apply(hidden, ia, training);
                apply(gate, fa, training);
                apply(gate, ga, training);
                INDArray c = SeqPasses.rows(s.cell(), i, k, u, m);
                if (i == 0) {
                    c.assign(0).muli(fa);
                } else {
                    SeqPasses.rows(s.cell(), i - 1, k, u, m).mul(fa, c);
                }
                c.addi(ga.mul(ia));
                apply(gate, oa, training);
                INDArray act = SeqPasses.rows(s.cellAct(), i, k, u, m);
                act.assign(c);
                apply(hidden, act, training);
                act.mul(oa, SeqPasses.rows(p.acts[l], i, k, u, m));
            }
        }
    }

    @Override
    float[] backward(SeqPasses p, int l) {
        int k = shape.trials();
        int m = p.rows;
        int in = shape.in(l);
        int u = shape.width(l);
        long gates = 4L * u * m;
        SeqPasses.Lstm s = p.lstm[l];
        FloatPointer below = l == 0 ? p.inputAt : p.actsAt[l - 1];
        FloatPointer belowGrad = l == 0 ? p.inputGradAt : p.epsAt[l - 1];
        float[] biases = new float[k * 4 * u];
        float[] dz = p.deltaHost;
        s.delta().assign(0);
        INDArray[] d = new INDArray[4];
        for (int g = 0; g < 4; g++) {
            d[g] = SeqPasses.gate(s.delta(), 0, g, k, u, m);
        }
        for (int i = p.steps - 1, cur = 0; i >= 0; i--, cur ^= 1) {
            INDArray nablaOut = s.nablaOut();
            nablaOut.assign(SeqPasses.rows(p.eps[l], i, k, u, m));
            for (int t = 0; t < k && i < p.steps - 1; t++) {
                Blas.gemm(false, true, m, u, 4 * u, s.deltaAt(), t * gates, m, paramsAt, shape.rw(l, t), u, 1f,
                        s.nablaOutAt(), (long) t * u * m, m);
            }
            INDArray ia = SeqPasses.gate(s.ifog(), i, 0, k, u, m);
            INDArray oa = SeqPasses.gate(s.ifog(), i, 2, k, u, m);
            INDArray ga = SeqPasses.gate(s.ifog(), i, 3, k, u, m);
            nablaOut.mul(SeqPasses.rows(s.cellAct(), i, k, u, m), d[2]);
            INDArray prime = oa.dup();
            Nd4j.getExecutioner().exec(new TimesOneMinus(prime));
            d[2].muli(prime);
            INDArray cellGrad = hidden.backprop(SeqPasses.rows(s.cell(), i, k, u, m).dup(), oa.muli(nablaOut))
                    .getFirst();
            INDArray nabla = s.nabla()[cur];
            nabla.assign(0).addi(cellGrad);
            if (i < p.steps - 1) {
                nabla.addi(SeqPasses.gate(s.ifog(), i + 1, 1, k, u, m).muli(s.nabla()[cur ^ 1]));
            }
            if (i > 0) {
                Nd4j.getExecutioner().exec(new TimesOneMinus(SeqPasses.gate(s.ifog(), i, 1, k, u, m), d[1]));
                d[1].muli(nabla).muli(SeqPasses.rows(s.cell(), i - 1, k, u, m));
            }
            Nd4j.getExecutioner().exec(new TimesOneMinus(ga, d[3]));
            d[3].muli(ia).muli(nabla);
            d[0].assign(hidden.backprop(SeqPasses.rows(p.pre[l], i, k, u, m), ga.mul(nabla)).getFirst());
            s.delta().data().asNioFloat().get(dz, 0, (int) (k * gates));
            for (int t = 0; t < k; t++) {
                products(p, l, i, t, below, belowGrad);
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
    private void products(SeqPasses p, int l, int i, int t, FloatPointer below, FloatPointer belowGrad) {
        int k = shape.trials();
        int m = p.rows;
        int in = shape.in(l);
        int u = shape.width(l);
        SeqPasses.Lstm s = p.lstm[l];
        long delta = (long) t * 4 * u * m;
        long x = (i * (long) k + t) * in * m;
        if (i > 0) {
            Blas.gemm(true, false, in, 4 * u, m, below, x, m, s.deltaAt(), delta, m, 1f, gradientAt, shape.w(l, t),
                    in);
            Blas.gemm(true, false, u, 4 * u, m, p.actsAt[l], ((i - 1L) * k + t) * u * m, m, s.deltaAt(), delta, m,
                    1f, gradientAt, shape.rw(l, t), u);
            Blas.gemm(false, true, m, in, 4 * u, s.deltaAt(), delta, m, paramsAt, shape.w(l, t), in, 0f, belowGrad,
                    x, m);
        } else {
            Blas.gemm(true, false, in, u, m, below, x, m, s.deltaAt(), delta, m, 1f, gradientAt, shape.w(l, t), in);
            Blas.gemm(true, false, in, 2 * u, m, below, x, m, s.deltaAt(), delta + 2L * u * m, m, 1f, gradientAt,
                    shape.w(l, t) + 2L * u * in, in);
            Blas.gemm(false, true, m, in, u, s.deltaAt(), delta, m, paramsAt, shape.w(l, t), in, 0f, belowGrad, x, m);
            Blas.gemm(false, true, m, in, 2 * u, s.deltaAt(), delta + 2L * u * m, m, paramsAt,
                    shape.w(l, t) + 2L * u * in, in, 1f, belowGrad, x, m);
        }
    }

    /** Input, outputs, gates, cell states, pre-activations and epsilons of every step, per example. */
    @Override
    public long evaluationFloatsPerRow() {
        long perRow = 2L * shape.features() * shape.steps();
        for (int l = 0; l < shape.layers(); l++) {
            perRow += 9L * shape.width(l) * shape.steps() + 12L * shape.width(l);
        }
        return perRow + 2;
    }
}
