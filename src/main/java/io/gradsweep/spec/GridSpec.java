package io.gradsweep.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * The axes of a sweep; the trials are their Cartesian product, in this field order with seed varying fastest.
 * The layer shapes come either from {@code depth} x {@code width} or from {@code widths} (one list per shape);
 * the unused form is empty. {@code sequenceLength} is empty unless the sweep varies the length of its sequences.
 */
public record GridSpec(List<String> model, List<Integer> sequenceLength, List<Activation> activation,
                       List<Integer> depth, List<Integer> width, List<List<Integer>> widths, List<Boolean> batchNorm,
                       List<Boolean> residual, List<Initializer> initializer, List<Optimizer> optimizer,
                       List<Double> learningRate, List<Clipping> clipping, List<Double> dropout, List<Long> seed) {
    public GridSpec {
        model = List.copyOf(model);
        sequenceLength = List.copyOf(sequenceLength);
        activation = List.copyOf(activation);
        depth = List.copyOf(depth);
        width = List.copyOf(width);
        widths = widths.stream().map(List::copyOf).toList();
        batchNorm = List.copyOf(batchNorm);
        residual = List.copyOf(residual);
        initializer = List.copyOf(initializer);
        optimizer = List.copyOf(optimizer);
        learningRate = List.copyOf(learningRate);
        clipping = List.copyOf(clipping);
        dropout = List.copyOf(dropout);
        seed = List.copyOf(seed);
        if (widths.isEmpty() == (depth.isEmpty() || width.isEmpty())) {
            throw new IllegalArgumentException("exactly one of widths or depth x width");
        }
    }

    /** Per-layer widths of every shape on the grid, in axis order (depth outer, width inner). */
    public List<List<Integer>> shapes() {
        if (!widths.isEmpty()) {
            return widths;
        }
        List<List<Integer>> shapes = new ArrayList<>();
        for (int d : depth) {
            for (int w : width) {
                shapes.add(java.util.Collections.nCopies(d, w));
            }
        }
        return shapes;
    }

    /** This grid with {@code axis} holding {@code value} alone: a sampled point's values replace their axes. */
    @SuppressWarnings("unchecked")
    public GridSpec with(GridAxis axis, Object value) {
        List<?> one = List.of(value);
        return new GridSpec(model, sequenceLength,
                axis == GridAxis.ACTIVATION ? (List<Activation>) one : activation,
                axis == GridAxis.DEPTH ? (List<Integer>) one : depth,
                axis == GridAxis.WIDTH ? (List<Integer>) one : width, widths, batchNorm, residual,
                axis == GridAxis.INITIALIZER ? (List<Initializer>) one : initializer,
                axis == GridAxis.OPTIMIZER ? (List<Optimizer>) one : optimizer,
                axis == GridAxis.LEARNING_RATE ? (List<Double>) one : learningRate,
                axis == GridAxis.CLIPPING ? (List<Clipping>) one : clipping,
                axis == GridAxis.DROPOUT ? (List<Double>) one : dropout, seed);
    }

    /** Product of the axis sizes, as a long so that absurd grids are reported rather than overflowing. */
    public long size() {
        long n = widths.isEmpty() ? (long) depth.size() * width.size() : widths.size();
        n = Math.multiplyExact(n, (long) Math.max(1, sequenceLength.size()));
        for (List<?> axis : List.of(model, activation, batchNorm, residual, initializer, optimizer,
                learningRate, clipping, dropout, seed)) {
            n = Math.multiplyExact(n, (long) axis.size());
        }
        return n;
    }
}
