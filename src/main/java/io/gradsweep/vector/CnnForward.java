package io.gradsweep.vector;

import static io.gradsweep.vector.CnnPasses.view;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The CNN group's forward pass, op for op DL4J's: per block im2col, z = im2col2d * W (f-order [rows * positions,
 * out]) plus the bias row, batch norm where the net has it ({@link CnnNorm}), f into the c-order map, the skip sum;
 * then the mean over each map (GlobalPoolingLayer) and the dense output layer.
 */
final class CnnForward {
    private CnnForward() {
    }

    /** {@code norm} is null without batch norm. */
    static void run(CnnShape s, CnnPasses p, CnnNorm norm, INDArray params, FloatPointer paramsAt,
                    boolean training) {
        int k = s.trials;
        INDArray in = p.input.reshape('c', (long) k * p.rows, 1, CnnShape.SIDE, CnnShape.SIDE);
        for (int l = 0; l < s.blocks; l++) {
            p.im2col(s, l, in);
            int m = p.rows * s.positions(l);
            for (int t = 0; t < k; t++) {
                long w = (long) t * s.perTrial;
                Blas.convForward(p.colAt, (long) t * m * s.patch(l), paramsAt, w + s.weight[l], p.preAt[l],
                        (long) t * m * s.out[l], m, s.patch(l), s.out[l]);
                view(p.pre[l], (long) t * m * s.out[l], 'f', m, s.out[l])
                        .addiRowVector(view(params, w + s.bias[l], 'c', 1, s.out[l]));
            }
            // The activation is element-wise, so it runs once over the group's maps, in the recorder's layout.
            INDArray a = p.act[l];
            if (norm != null) {
                a.assign(norm.forward(p, l, training));
            } else {
                a.reshape(k, p.rows, s.out[l], s.positions(l))
                        .assign(p.pre[l].reshape(k, s.out[l], p.rows, s.positions(l)).permute(0, 2, 1, 3));
            }
            INDArray activated = s.hidden.getActivation(a, training);
            if (activated != a) {
                a.assign(activated);
            }
            if (p.block[l] != a) {
                p.block[l].assign(a).addi(in);
            }
            in = p.block[l];
        }
        INDArray pooled = in.mean(2, 3);
        int c = s.out[s.blocks - 1];
        for (int t = 0; t < k; t++) {
            long w = (long) t * s.perTrial;
            INDArray z = view(p.preOut, (long) t * p.rows * s.classes, 'c', p.rows, s.classes);
            view(pooled, (long) t * p.rows * c, 'c', p.rows, c).mmuli(view(params, w + s.outWeight, 'f', c,
                    s.classes), z);
            z.addiRowVector(view(params, w + s.outBias, 'c', 1, s.classes));
        }
        p.pooled = pooled;
    }
}
