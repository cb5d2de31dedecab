package io.gradsweep.vector;

import io.gradsweep.data.Dataset;
import io.gradsweep.spec.TrialConfig;
import java.nio.FloatBuffer;
import java.util.List;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * K equally shaped stacks of DL4J SimpleRnn layers with a linear MSE unit on the last step (model {@code
 * simple_rnn}), replaying DL4J's {@code SimpleRnn} step by step: per step, the products per trial through
 * {@link Blas} with the operands, transposes and accumulation (beta) DL4J's gemm calls use, and each element-wise
 * op (the nonlinearity, its derivative) over the whole group: tanh and its derivative in Java (see {@link
 * FloatTanh} and {@link OutputDerivative}), other activations as one ND4J op with DL4J's own activation object. The
 * output layer and loss are DL4J's ops on per-trial views of the same layout ({@link SeqOutput}).
 *
 * <p>Each trial's parameters are its DL4J flat vector (W, RW, b per layer, then out_W, out_b), the K vectors one
 * after another. Bias gradients are summed in Java, over the minibatch and then step by step from the last step, as
 * DL4J's {@code bg.addi(dldz.sum(0))} sums them.
 */
final class BatchedRnn extends SeqNet {
    /** The group's net, started from each trial's own DL4J graph (see {@link SeqStart}). */
    static BatchedRnn of(List<TrialConfig> trials, Dataset train) {
        SeqStart start = SeqStart.of(trials, train);
        return new BatchedRnn(start.shape(), start.hidden(), start.output());
    }

    /** The hidden activation's derivative from its outputs, or null: then DL4J's backprop at the kept inputs. */
    private final OutputDerivative derivative;

    private BatchedRnn(SeqShape shape, IActivation hidden, SeqOutput output) {
        super(shape, hidden, output);
        derivative = OutputDerivative.of(hidden);
    }

    @Override
    SeqPasses allocate(int rows) {
        return new SeqPasses(shape.trials(), shape.features(), shape.widths(), shape.steps(), rows);
    }

    /** DL4J's SimpleRnn forward: out = bias, += x_t W, += out_{t-1} RW, then the nonlinearity in place. */
    @Override
    void forward(SeqPasses p, boolean training) {
        int k = shape.trials();
        int m = p.rows;
        for (int l = 0; l < shape.layers(); l++) {
            long block = (long) k * shape.width(l) * m;
            float[] bias = shape.biasPattern(host, l, m);
            FloatBuffer acts = p.acts[l].data().asNioFloat();
            for (int i = 0; i < p.steps; i++) {
                stepProducts(p, l, i, p.actsAt[l], acts, bias);
                if (derivative == OutputDerivative.TANH) {
                    // FloatTanh, not DL4J's op: a third of an update faster, within a few ulp (a tolerance family).
                    int at = (int) (i * block);
                    acts.get(at, p.stepActsHost, 0, (int) block);
                    FloatTanh.tanh(p.stepActsHost, 0, (int) block);
                    acts.put(at, p.stepActsHost, 0, (int) block);
                    continue;
                }
                INDArray now = SeqPasses.step(p.acts[l], i, block);
                if (training && derivative == null) {
                    SeqPasses.step(p.pre[l], i, block).assign(now);
                }
                INDArray a = hidden.getActivation(now, training);
                if (a != now) {
                    now.assign(a);
                }
            }
        }
    }

    /**
     * DL4J's backprop through time for layer l, last step first: dL/da_t += dL/dz_{t+1} RW^T and RW's gradient
     * from the later step, dL/dz_t = f'(z_t) dL/da_t, then the bias, W and input gradients. Returns the bias
     * gradient, [K][units].
     */
    @Override
    float[] backward(SeqPasses p, int l) {
        int k = shape.trials();
        int m = p.rows;
        int in = shape.in(l);
        int u = shape.width(l);
        FloatPointer below = l == 0 ? p.inputAt : p.actsAt[l - 1];
        FloatPointer belowGrad = l == 0 ? p.inputGradAt : p.epsAt[l - 1];
        float[] biases = new float[k * u];
        for (int i = p.steps - 1, cur = 0; i >= 0; i--, cur ^= 1) {
            FloatPointer now = p.deltaAt[l][cur];
            FloatPointer later = p.deltaAt[l][cur ^ 1];
            for (int t = 0; t < k && i < p.steps - 1; t++) {
                long at = (i * (long) k + t) * u * m;
                Blas.gemm(true, true, m, u, u, later, (long) t * m * u, u, paramsAt, shape.rw(l, t), u, 1f,
                        p.epsAt[l], at, m);
                Blas.gemm(true, true, u, u, m, p.actsAt[l], at, m, later, (long) t * m * u, u, 1f, gradientAt,
                        shape.rw(l, t), u);
            }
            stepDelta(p, l, i, p.delta[l][cur], biases);
            for (int t = 0; t < k; t++) {
                long from = (i * (long) k + t) * in * m;
                Blas.gemm(true, true, in, u, m, below, from, m, now, (long) t * m * u, u, 1f, gradientAt,
                        shape.w(l, t), in);
                Blas.gemm(true, true, m, in, u, now, (long) t * m * u, u, paramsAt, shape.w(l, t), in, 0f,
                        belowGrad, from, m);
            }
        }
        return biases;
    }

    /**
     * Step i's dL/dz of layer l, [K][m][units], into {@code delta} and {@code p.deltaHost}, and its sum over the
     * minibatch, from the first row on, added to {@code biases}.
     */
    private void stepDelta(SeqPasses p, int l, int i, INDArray delta, float[] biases) {
        int k = shape.trials();
        int m = p.rows;
        int u = shape.width(l);
        int block = k * u * m;
        float[] dz = p.deltaHost;
        if (derivative == null) {
            delta.assign(SeqPasses.stepAsRows(p.pre[l], i, k, u, m));
            INDArray d = hidden.backprop(delta, SeqPasses.stepAsRows(p.eps[l], i, k, u, m)).getFirst();
            if (d != delta) {
                delta.assign(d);
            }
            delta.data().asNioFloat().get(dz, 0, block);
            float[] sums = new float[u];
            for (int t = 0; t < k; t++) {
                Rows.sumRows(dz, t * m * u, m, u, sums, 0);
                for (int j = 0; j < u; j++) {
                    biases[t * u + j] += sums[j];
                }
            }
            return;
        }
        float[] acts = p.stepActsHost;
        float[] eps = p.stepEpsHost;
        p.acts[l].data().asNioFloat().get(i * block, acts, 0, block);
        p.eps[l].data().asNioFloat().get(i * block, eps, 0, block);
        derivative.times(acts, 0, eps, 0, eps, 0, block);
        for (int t = 0; t < k; t++) {
            for (int j = 0; j < u; j++) {
                int from = (t * u + j) * m;
                float sum = 0;
                for (int r = 0; r < m; r++) {
                    float v = eps[from + r];
                    sum += v;
                    dz[(t * m + r) * u + j] = v;
                }
                biases[t * u + j] += sum;
            }
        }
        delta.data().asNioFloat().put(0, dz, 0, block);
    }

    /** Input, outputs, pre-activations and epsilons of every step, per example. */
    @Override
    public long evaluationFloatsPerRow() {
        long perRow = 2L * shape.features() * shape.steps();
        for (int l = 0; l < shape.layers(); l++) {
            perRow += 3L * shape.width(l) * shape.steps() + 2L * shape.width(l);
        }
        return perRow + 2;
    }
}
