package io.gradsweep.vector;

import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Batch normalization after each conv block of a CNN group (conv, BN, activation), as DL4J 1.0.0-M2's
 * BatchNormalization layer computes it on a CNN's [N, C, H, W] maps on the CPU (no helper without oneDNN): per
 * trial and channel, statistics over the N x H x W values. Its rank-4 path is its rank-2 path op for op with the
 * reduction taken over examples and positions (effective batch N * H * W), and libnd4j folds each channel's values
 * in (example, row, column) order, so the math is {@link BatchNormPass}'s: this class moves each block's maps into
 * the [K, rows * positions, channels] layout that pass reduces over, in that order, and back, and gathers each
 * trial's gamma, beta and running statistics into the [K, channels] blocks it reads.
 */
final class CnnNorm {
    private final CnnShape s;
    /** Per block: gamma, beta, running mean and log10 std of all trials, each a [K, out] block, and gradients. */
    private final float[][] tensors;
    private final float[][] grads;
    private final int[][] blocks;
    private final Map<Integer, BatchNormPass[]> passes = new HashMap<>();
    private final Map<Integer, INDArray[]> normed = new HashMap<>();
    private float[] maps = new float[0];
    private float[] channelsLast = new float[0];
    private float[] back = new float[0];

    CnnNorm(CnnShape s) {
        this.s = s;
        tensors = new float[s.blocks][];
        grads = new float[s.blocks][];
        blocks = new int[s.blocks][];
        for (int l = 0; l < s.blocks; l++) {
            int size = s.trials * s.out[l];
            tensors[l] = new float[4 * size];
            grads[l] = new float[4 * size];
            blocks[l] = new int[] {0, size, 2 * size, 3 * size};
        }
    }

    /** Gathers each trial's batch-norm tensors from the group's vector, before a pass. */
    void load(float[] values) {
        for (int l = 0; l < s.blocks; l++) {
            for (int t = 0; t < s.trials; t++) {
                for (int p = 0; p < 4; p++) {
                    System.arraycopy(values, t * s.perTrial + s.norm[l][p], tensors[l], blocks[l][p] + t * s.out[l],
                            s.out[l]);
                }
            }
        }
    }

    /** Writes each trial's gradients of gamma and beta and its running statistics' updates to the group's. */
    void gradients(float[] grad) {
        for (int l = 0; l < s.blocks; l++) {
            for (int t = 0; t < s.trials; t++) {
                for (int p = 0; p < 4; p++) {
                    System.arraycopy(grads[l], blocks[l][p] + t * s.out[l], grad, t * s.perTrial + s.norm[l][p],
                            s.out[l]);
                }
            }
        }
    }

    /**
     * Block l's batch norm over {@link CnnPasses#pre} ([K][out][rows * positions]): the batch's statistics when
     * training, else the running ones; returns the output in the activation's layout ([K * rows, out, side,
     * side]), which the backward pass then overwrites with the gradient at it (see {@link #backward}).
     */
    INDArray forward(CnnPasses p, int l, boolean training) {
        int m = p.rows * s.positions(l);
        float[] z = host(p.pre[l], m * s.out[l] * s.trials);
        float[] cl = channelsLast(m * s.out[l] * s.trials);
        for (int t = 0; t < s.trials; t++) {
            for (int c = 0; c < s.out[l]; c++) {
                for (int i = 0, from = (t * s.out[l] + c) * m, to = t * m * s.out[l] + c; i < m; i++) {
                    cl[to + i * s.out[l]] = z[from + i];
                }
            }
        }
        BatchNormPass bn = passes(p.rows)[l];
        if (training) {
            bn.train(cl, tensors[l], blocks[l]);
        } else {
            bn.infer(cl, tensors[l], blocks[l], running(l)[1]);
        }
        float[] y = bn.output();
        int positions = s.positions(l);
        for (int e = 0; e < s.trials * p.rows; e++) {
            for (int q = 0; q < positions; q++) {
                for (int c = 0, from = (e * positions + q) * s.out[l], to = e * s.out[l] * positions + q;
                        c < s.out[l]; c++) {
                    z[to + c * positions] = y[from + c];
                }
            }
        }
        INDArray out = normed(p.rows)[l];
        out.data().asNioFloat().put(z, 0, (int) out.length());
        return out;
    }

    /**
     * {@link #backward} for ReLU, with the activation's backprop fused into the layout move: DL4J's (libnd4j's
     * LeakyReLUBp at slope 0) passes eps where the BN output y > 0, else 0 * eps, read here from eps[l] and the
     * pass's host copy of y; dL/ds is also written to {@link #delta} for the recorder. It replaces two ND4J ops.
     */
    void reluBackward(CnnPasses p, int l) {
        int positions = s.positions(l);
        int length = s.trials * p.rows * positions * s.out[l];
        float[] e = host(p.eps[l], length);
        float[] y = passes(p.rows)[l].output();
        float[] cl = channelsLast(length);
        for (int n = 0; n < s.trials * p.rows; n++) {
            for (int c = 0; c < s.out[l]; c++) {
                for (int q = 0, from = (n * s.out[l] + c) * positions, to = n * positions * s.out[l] + c;
                        q < positions; q++) {
                    int at = to + q * s.out[l];
                    float g = e[from + q];
                    float d = Relu.backprop(y[at], g);
                    e[from + q] = d;
                    cl[at] = d;
                }
            }
        }
        normed(p.rows)[l].data().asNioFloat().put(e, 0, length);
        normBackward(p, l, cl, e);
    }

    /**
     * From the gradient at block l's batch-norm output (the activation's backprop, in {@link #forward}'s returned
     * array) to dL/dz in {@link CnnPasses#epsPre}'s layout, with gamma's and beta's gradients and the running
     * statistics' updates kept for {@link #gradients}.
     */
    void backward(CnnPasses p, int l) {
        int positions = s.positions(l);
        int length = s.trials * p.rows * positions * s.out[l];
        float[] g = host(normed(p.rows)[l], length);
        float[] cl = channelsLast(length);
        for (int e = 0; e < s.trials * p.rows; e++) {
            for (int c = 0; c < s.out[l]; c++) {
                for (int q = 0, from = (e * s.out[l] + c) * positions, to = e * positions * s.out[l] + c;
                        q < positions; q++) {
                    cl[to + q * s.out[l]] = g[from + q];
                }
            }
        }
        normBackward(p, l, cl, g);
    }

    /** BN's backward from {@code cl} (channels last) to epsPre[l], with {@code g} as scratch. */
    private void normBackward(CnnPasses p, int l, float[] cl, float[] g) {
        int m = p.rows * s.positions(l);
        int length = s.trials * m * s.out[l];
        if (back.length < length) {
            back = new float[length];
        }
        passes(p.rows)[l].backward(cl, tensors[l], blocks[l], running(l), grads[l], back);
        for (int t = 0; t < s.trials; t++) {
            for (int c = 0; c < s.out[l]; c++) {
                for (int i = 0, to = (t * s.out[l] + c) * m, from = t * m * s.out[l] + c; i < m; i++) {
                    g[to + i] = back[from + i * s.out[l]];
                }
            }
        }
        p.epsPre[l].data().asNioFloat().put(g, 0, length);
    }

    /** The gradient at block l's batch-norm output from the last recording pass, in the recorder's layout. */
    INDArray delta(int rows, int l) {
        return normed(rows)[l];
    }

    /** Block l's running mean and log10 std as [K, out] arrays, as BatchNormPass reads them. */
    private INDArray[] running(int l) {
        int size = blocks[l][1];
        INDArray[] r = new INDArray[2];
        for (int i = 0; i < 2; i++) {
            float[] v = new float[size];
            System.arraycopy(tensors[l], blocks[l][2 + i], v, 0, size);
            r[i] = Nd4j.create(v, new long[] {s.trials, s.out[l]}, DataType.FLOAT);
        }
        return r;
    }

    private float[] host(INDArray a, int length) {
        if (maps.length < length) {
            maps = new float[length];
        }
        a.data().asNioFloat().get(maps, 0, length);
        return maps;
    }

    private float[] channelsLast(int length) {
        if (channelsLast.length < length) {
            channelsLast = new float[length];
        }
        return channelsLast;
    }

    private BatchNormPass[] passes(int rows) {
        return passes.computeIfAbsent(rows, r -> {
            BatchNormPass[] bn = new BatchNormPass[s.blocks];
            for (int l = 0; l < s.blocks; l++) {
                bn[l] = new BatchNormPass(new long[] {s.trials, (long) r * s.positions(l), s.out[l]});
            }
            return bn;
        });
    }

    private INDArray[] normed(int rows) {
        return normed.computeIfAbsent(rows, r -> {
            INDArray[] n = new INDArray[s.blocks];
            for (int l = 0; l < s.blocks; l++) {
                n[l] = Nd4j.create(DataType.FLOAT, (long) s.trials * r, s.out[l], s.outSide[l], s.outSide[l]);
            }
            return n;
        });
    }
}
