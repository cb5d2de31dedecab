package io.gradsweep.spec;

import java.util.List;

/** The axes of a sweep; the trials are their Cartesian product, in this field order with seed varying fastest. */
public record GridSpec(List<Activation> activation, List<Integer> depth, List<Integer> width,
                       List<Initializer> initializer, List<Optimizer> optimizer, List<Double> learningRate,
                       List<Clipping> clipping, List<Double> dropout, List<Long> seed) {
    public GridSpec {
        activation = List.copyOf(activation);
        depth = List.copyOf(depth);
        width = List.copyOf(width);
        initializer = List.copyOf(initializer);
        optimizer = List.copyOf(optimizer);
        learningRate = List.copyOf(learningRate);
        clipping = List.copyOf(clipping);
        dropout = List.copyOf(dropout);
        seed = List.copyOf(seed);
    }

    /** Product of the axis sizes, as a long so that absurd grids are reported rather than overflowing. */
    public long size() {
        long n = 1;
        for (List<?> axis : axes()) {
            n = Math.multiplyExact(n, (long) axis.size());
        }
        return n;
    }

    List<List<?>> axes() {
        return List.of(activation, depth, width, initializer, optimizer, learningRate, clipping, dropout, seed);
    }
}
