package io.gradsweep.vector;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The last-step vertex and the linear MSE output unit of a recurrent group, as DL4J's ops on per-trial arrays laid
 * out as DL4J's: the top layer's last step (an f-order [m, units] view), {@code x.mmuli(W)} then
 * {@code addiRowVector(b)}, the loss gradient over the whole group, then per trial W's gradient by gemm, b's by
 * {@code sum(0)} and the epsilon {@code (W delta^T)^T} into the last step of the top layer's epsilon. These are a
 * handful of small ops per trial and update, so exactness by construction costs little.
 */
final class SeqOutput {
    private final SeqShape shape;
    private final IActivation activation;
    private final ILossFunction loss;
    private final float[] grads;

    SeqOutput(SeqShape shape, IActivation activation, ILossFunction loss) {
        this.shape = shape;
        this.activation = activation;
        this.loss = loss;
        this.grads = new float[shape.trials() * (shape.width(shape.layers() - 1) + 1)];
    }

    private INDArray last(SeqPasses p, int t) {
        int top = shape.layers() - 1;
        int u = shape.width(top);
        long at = ((p.steps - 1L) * shape.trials() + t) * u * p.rows;
        return p.acts[top].get(NDArrayIndex.interval(at, at + (long) u * p.rows)).reshape('f', p.rows, u);
    }

    private INDArray weights(INDArray params, int t) {
        int u = shape.width(shape.layers() - 1);
        return params.get(NDArrayIndex.interval(shape.outW(t), shape.outW(t) + u)).reshape('f', u, 1);
    }

    private INDArray bias(INDArray params, int t) {
        return params.get(NDArrayIndex.interval(shape.outB(t), shape.outB(t) + 1)).reshape(1, 1);
    }

    /** Pre-outputs [K * m, 1]. */
    private INDArray forward(SeqPasses p, INDArray params) {
        int m = p.rows;
        for (int t = 0; t < shape.trials(); t++) {
            INDArray z = Nd4j.createUninitialized(DataType.FLOAT, m, 1);
            last(p, t).mmuli(weights(params, t), z);
            z.addiRowVector(bias(params, t));
            p.outPre.get(NDArrayIndex.interval((long) t * m, (long) (t + 1) * m), NDArrayIndex.all()).assign(z);
        }
        return p.outPre;
    }

    float[] predict(SeqPasses p, INDArray params) {
        return activation.getActivation(forward(p, params).dup(), false).toFloatVector();
    }

    /**
     * The training pass's output layer: per-example squared errors into {@code scores} (only their finiteness is
     * used, see {@link GroupNet#train}), the output layer's gradients kept for {@link #copyGradients}, and dL/da
     * of the top layer's last step, the only non-zero step of its epsilon.
     */
    void train(SeqPasses p, INDArray params, float[] y, float[] scores, float[] grad) {
        int m = p.rows;
        int k = shape.trials();
        int top = shape.layers() - 1;
        int u = shape.width(top);
        INDArray z = forward(p, params);
        float[] zs = z.toFloatVector();
        for (int t = 0; t < k; t++) {
            // DL4J sums the squared errors in float: a sum past Float.MAX_VALUE is an infinite score there.
            float sum = 0;
            for (int i = t * m; i < (t + 1) * m; i++) {
                float d = zs[i] - y[i];
                scores[i] = d * d;
                sum += scores[i];
            }
            if (!Float.isFinite(sum)) {
                scores[t * m] = sum;
            }
        }
        p.labels.data().asNioFloat().put(y, 0, k * m);
        INDArray delta = loss.computeGradient(p.labels, z, activation, null);
        p.eps[top].assign(0);
        float[] last = new float[u * m];
        for (int t = 0; t < k; t++) {
            INDArray d = delta.get(NDArrayIndex.interval((long) t * m, (long) (t + 1) * m), NDArrayIndex.all());
            INDArray x = last(p, t);
            INDArray wg = Nd4j.create(DataType.FLOAT, new long[] {u, 1}, 'f');
            Nd4j.gemm(x, d, wg, true, false, 1.0, 0.0);
            INDArray bg = Nd4j.create(DataType.FLOAT, 1, 1);
            d.sum(bg, 0);
            float[] w = wg.toFloatVector();
            System.arraycopy(w, 0, grads, t * (u + 1), u);
            grads[t * (u + 1) + u] = bg.getFloat(0);
            INDArray e = Nd4j.createUninitialized(DataType.FLOAT, new long[] {u, m}, 'f');
            weights(params, t).mmuli(d.transpose(), e);
            // e is f-order [u, m], so its memory is [m][u]; the step block wants column-major [m, u].
            float[] raw = new float[u * m];
            e.data().asNioFloat().get(raw);
            for (int r = 0; r < m; r++) {
                for (int j = 0; j < u; j++) {
                    last[j * m + r] = raw[r * u + j];
                }
            }
            p.eps[top].data().asNioFloat().position((int) (((p.steps - 1L) * k + t) * u * m)).put(last, 0, u * m);
        }
    }

    void copyGradients(float[] grad) {
        int u = shape.width(shape.layers() - 1);
        for (int t = 0; t < shape.trials(); t++) {
            System.arraycopy(grads, t * (u + 1), grad, shape.outW(t), u);
            grad[shape.outB(t)] = grads[t * (u + 1) + u];
        }
    }
}
