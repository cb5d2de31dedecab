package io.gradsweep.vector;

import io.gradsweep.stats.ParamLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a group's parameters sit in one flat vector (gradients and optimizer state use the same layout): layer by
 * layer, the weights of all K trials as one [K, out, in] block, then their biases as one [K, out] block, and with
 * batch normalization each hidden layer's gamma, beta, running mean and running log10 std as [K, out] blocks.
 *
 * <p>Every (trial, tensor) pair is contiguous, so a per-trial {@link ParamLayout} points the existing statistics
 * code straight into the group's arrays, and every block is a contiguous view for the batched matrix products.
 * Each trial's weights are stored as DL4J stores them, column-major [in, out] (which is row-major [out, in]): with
 * that layout the batched products come out bit for bit equal to DL4J's, and norms sum in DL4J's order.
 *
 * <p>The layout names each tensor's owner as DL4J names it (layer index in a MultiLayerNetwork, vertex in the
 * residual ComputationGraph; see {@code model.Mlp} and {@code model.Graphs}), so {@link Initial} reads a trial's
 * tensors from its DL4J network by those names and the statistics group tensors by DL4J layer as DL4J clips them.
 */
final class ParamSpace {
    /** Batch norm's tensors, in DL4J's order; the last two are running statistics, not trained. */
    static final List<String> BN_PARAMS = List.of("gamma", "beta", "mean", "log10stdev");
    private final int trials;
    private final int[] sizes;
    private final boolean batchNorm;
    private final boolean residual;
    private final int[] weightStart;
    private final int[] biasStart;
    /** [layer][BN_PARAMS index]: start of the block, hidden layers only. */
    private final int[][] bnStart;
    private final int length;

    /** {@code sizes}: inputs, then each hidden width, then outputs; a plain MLP. */
    ParamSpace(int trials, int[] sizes) {
        this(trials, sizes, false, false);
    }

    ParamSpace(int trials, int[] sizes, boolean batchNorm, boolean residual) {
        this.trials = trials;
        this.sizes = sizes.clone();
        this.batchNorm = batchNorm;
        this.residual = residual;
        int layers = sizes.length - 1;
        weightStart = new int[layers];
        biasStart = new int[layers];
        bnStart = new int[layers][BN_PARAMS.size()];
        long offset = 0;
        for (int l = 0; l < layers; l++) {
            weightStart[l] = (int) offset;
            offset += (long) trials * sizes[l] * sizes[l + 1];
            biasStart[l] = (int) offset;
            offset += (long) trials * sizes[l + 1];
            for (int p = 0; batchNorm && l < layers - 1 && p < BN_PARAMS.size(); p++) {
                bnStart[l][p] = (int) offset;
                offset += (long) trials * sizes[l + 1];
            }
        }
        if (offset > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("group too large for one array: " + offset + " parameters");
        }
        length = (int) offset;
    }

    int trials() {
        return trials;
    }

    /** Dense layers, the output layer included. */
    int layers() {
        return sizes.length - 1;
    }

    int in(int layer) {
        return sizes[layer];
    }

    int out(int layer) {
        return sizes[layer + 1];
    }

    int length() {
        return length;
    }

    /** Whether every hidden layer is dense, batch norm, activation (else dense with its activation). */
    boolean batchNorm() {
        return batchNorm;
    }

    /** Whether hidden layer l >= 1 adds its input to its activation's output (an identity skip). */
    boolean residual() {
        return residual;
    }

    /**
     * Whether hidden layer {@code layer}'s output is its activation plus its input (Graphs: every hidden layer but
     * the first, whose input has another width).
     */
    boolean skips(int layer) {
        return residual && layer >= 1 && layer < layers() - 1;
    }

    /** Start of layer {@code l}'s weight block (all trials). */
    int weightStart(int layer) {
        return weightStart[layer];
    }

    int biasStart(int layer) {
        return biasStart[layer];
    }

    /** Start of one trial's weights of {@code layer}, stored column-major [in, out]. */
    int weight(int layer, int trial) {
        return weightStart[layer] + trial * in(layer) * out(layer);
    }

    int bias(int layer, int trial) {
        return biasStart[layer] + trial * out(layer);
    }

    /** Start of hidden layer {@code layer}'s [K, out] block of batch-norm tensor {@code param} (BN_PARAMS index). */
    int bnStart(int layer, int param) {
        return bnStart[layer][param];
    }

    int bn(int layer, int param, int trial) {
        return bnStart[layer][param] + trial * out(layer);
    }

    /** DL4J's name of the layer that owns layer {@code l}'s weights and bias. */
    String denseOwner(int l) {
        boolean output = l == layers() - 1;
        if (residual) {
            return output ? "out" : "layer" + l;
        }
        return String.valueOf(batchNorm ? 3 * l : l);
    }

    /** DL4J's name of hidden layer {@code l}'s batch-norm layer. */
    String bnOwner(int l) {
        return residual ? "bn" + l : String.valueOf(3 * l + 1);
    }

    /** One trial's trained tensors in DL4J's order (W, b, then gamma, beta, layer by layer). */
    ParamLayout layout(int trial) {
        List<ParamLayout.Segment> segments = new ArrayList<>();
        for (int l = 0; l < layers(); l++) {
            segments.add(new ParamLayout.Segment(l, "W", weight(l, trial), in(l) * out(l), denseOwner(l)));
            segments.add(new ParamLayout.Segment(l, "b", bias(l, trial), out(l), denseOwner(l)));
            for (int p = 0; hasBatchNorm(l) && p < 2; p++) {
                segments.add(new ParamLayout.Segment(l, BN_PARAMS.get(p), bn(l, p, trial), out(l), bnOwner(l)));
            }
        }
        return new ParamLayout(segments);
    }

    /**
     * One trial's batch-norm running statistics (mean, log10 std) as {from, to} ranges. DL4J updates them through
     * the gradient view, with no division by the minibatch and a no-op updater; see {@link Step}.
     */
    int[][] runningStats(int trial) {
        List<int[]> ranges = new ArrayList<>();
        for (int l = 0; l < layers(); l++) {
            for (int p = 2; hasBatchNorm(l) && p < BN_PARAMS.size(); p++) {
                ranges.add(new int[] {bn(l, p, trial), bn(l, p, trial) + out(l)});
            }
        }
        return ranges.toArray(int[][]::new);
    }

    boolean hasBatchNorm(int layer) {
        return batchNorm && layer < layers() - 1;
    }
}
