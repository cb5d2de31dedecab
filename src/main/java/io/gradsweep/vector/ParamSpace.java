package io.gradsweep.vector;

import io.gradsweep.stats.ParamLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a group's parameters sit in one flat vector (gradients and optimizer state use the same layout): layer by
 * layer, the weights of all K trials as one [K, out, in] block, then their biases as one [K, out] block.
 *
 * <p>Every (trial, tensor) pair is contiguous, so a per-trial {@link ParamLayout} points the existing statistics
 * code straight into the group's arrays, and every block is a contiguous view for the batched matrix products.
 * Each trial's weights are stored as DL4J stores them, column-major [in, out] (which is row-major [out, in]): with
 * that layout the batched products come out bit for bit equal to DL4J's, and norms sum in DL4J's order.
 */
final class ParamSpace {
    private final int trials;
    private final int[] sizes;
    private final int[] weightStart;
    private final int[] biasStart;
    private final int length;

    /** {@code sizes}: inputs, then each hidden width, then outputs. */
    ParamSpace(int trials, int[] sizes) {
        this.trials = trials;
        this.sizes = sizes.clone();
        int layers = sizes.length - 1;
        weightStart = new int[layers];
        biasStart = new int[layers];
        long offset = 0;
        for (int l = 0; l < layers; l++) {
            weightStart[l] = (int) offset;
            offset += (long) trials * sizes[l] * sizes[l + 1];
            biasStart[l] = (int) offset;
            offset += (long) trials * sizes[l + 1];
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

    /** One trial's tensors in DL4J's order (W then b, layer by layer), each owned by its own layer. */
    ParamLayout layout(int trial) {
        List<ParamLayout.Segment> segments = new ArrayList<>();
        for (int l = 0; l < layers(); l++) {
            String owner = String.valueOf(l);
            segments.add(new ParamLayout.Segment(l, "W", weight(l, trial), in(l) * out(l), owner));
            segments.add(new ParamLayout.Segment(l, "b", bias(l, trial), out(l), owner));
        }
        return new ParamLayout(segments);
    }
}
