package io.gradsweep.vector;

import static io.gradsweep.vector.CnnPasses.view;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastCopyOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The CNN group's backward pass, op for op DL4J's: the output layer's products (BaseOutputLayer), global average
 * pooling's broadcast and division (GlobalPoolingLayer), then per block the activation's backprop as one op over
 * the group (element-wise, so each value is DL4J's), the weight gradient as {@code gemm(im2col2d, delta2d, dW^T,
 * true, true)}, the bias as a sum over the minibatch and positions, the patch gradient {@code W2d * delta2d} and one
 * col2im over all K * rows images (in Java, in libnd4j's summation order, see {@link CnnPasses#col2im}), plus the
 * skip's identity gradient (a sum of two terms, so its order cannot differ from the graph's).
 */
final class CnnBackward {
    private static final IActivation RELU = new ActivationReLU();

    private CnnBackward() {
    }

    /** The group's parameter and gradient vectors, with their pointers. */
    record Arrays(INDArray params, FloatPointer paramsAt, INDArray gradient, FloatPointer gradientAt) {
    }

    /** {@code norm} is null without batch norm. */
    static void run(CnnShape s, CnnPasses p, CnnNorm norm, Arrays a, INDArray lossGradient) {
        INDArray params = a.params();
        INDArray gradient = a.gradient();
        INDArray delta = lossGradient.ordering() == 'c' && !lossGradient.isView() ? lossGradient
                : lossGradient.dup('c');
        int k = s.trials;
        int rows = p.rows;
        int last = s.blocks - 1;
        int c = s.out[last];
        for (int t = 0; t < k; t++) {
            long w = (long) t * s.perTrial;
            INDArray d = view(delta, (long) t * rows * s.classes, 'c', rows, s.classes);
            INDArray x = view(p.pooled, (long) t * rows * c, 'c', rows, c);
            Nd4j.gemm(x, d, view(gradient, w + s.outWeight, 'f', c, s.classes), true, false, 1.0, 0.0);
            d.sum(view(gradient, w + s.outBias, 'c', 1, s.classes), 0);
            view(params, w + s.outWeight, 'f', c, s.classes).mmuli(d.transpose(),
                    view(p.poolEps, (long) t * rows * c, 'f', c, rows));
        }
        INDArray e = p.eps[last];
        Nd4j.getExecutioner().exec(new BroadcastCopyOp(e, view(p.poolEps, 0, 'f', c, (long) k * rows).transpose(),
                e, 0, 1));
        e.divi(s.positions(last));
        for (int l = last; l >= 0; l--) {
            block(s, p, norm, a, l);
        }
    }

    private static void block(CnnShape s, CnnPasses p, CnnNorm norm, Arrays a, int l) {
        int k = s.trials;
        int rows = p.rows;
        int out = s.out[l];
        int patch = s.patch(l);
        long m = (long) rows * s.positions(l);
        INDArray epsPre = p.epsPre[l];
        if (norm != null && RELU.equals(s.hidden)) {
            norm.reluBackward(p, l);
        } else if (norm != null) {
            // The activation's backprop over its input, batch norm's output, in place; then batch norm's own.
            INDArray z = norm.delta(rows, l);
            INDArray d = s.hidden.backprop(z, p.eps[l]).getFirst();
            if (d != z) {
                z.assign(d);
            }
            norm.backward(p, l);
        } else if (RELU.equals(s.hidden)) {
            p.reluBackprop(s, l);
        } else if (s.derivative != null) {
            p.outputBackprop(s, l, s.derivative);
        } else {
            epsPre.reshape(k, out, rows, s.positions(l)).permute(0, 2, 1, 3)
                    .assign(p.eps[l].reshape(k, rows, out, s.positions(l)));
            INDArray d = s.hidden.backprop(p.pre[l], epsPre).getFirst();
            if (d != epsPre) {
                epsPre.assign(d);
            }
        }
        INDArray in = l == 0 ? p.input.reshape('c', (long) k * rows, 1, CnnShape.SIDE, CnnShape.SIDE)
                : p.block[l - 1];
        p.im2col(s, l, in);
        for (int t = 0; t < k; t++) {
            long w = (long) t * s.perTrial;
            Blas.convWeightGradient(p.colAt, t * m * patch, p.epsPreAt[l], t * m * out, a.gradientAt(),
                    w + s.weight[l], (int) m, patch, out);
            view(epsPre, t * m * out, 'c', out, m).sum(view(a.gradient(), w + s.bias[l], 'c', 1, out), 1);
            if (l > 0) {
                Blas.convInputGradient(a.paramsAt(), w + s.weight[l], p.epsPreAt[l], t * m * out, p.patchAt,
                        t * m * patch, (int) m, patch, out);
            }
        }
        if (l > 0) {
            p.col2im(s, l, p.eps[l - 1]);
            if (s.residual) {
                p.eps[l - 1].addi(p.eps[l]);
            }
        }
    }
}
