package io.gradsweep.bench;

import io.gradsweep.data.Split;
import io.gradsweep.spec.Grid;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.train.TrialTrainer;

/**
 * Times single trials in this JVM through the real trainer: the cost of one minibatch update (forward, backward,
 * updater and, when on, the per-iteration statistics), and the heap training retains as epochs go by.
 */
public final class TrialBench {
    /** The smallest {@code stats.every} that still records: recording only at iteration 0 means "no stats". */
    public static final int NO_STATS = 1_000_000;

    /** The 2-5-5-5-5-1 demo trial (sigmoid, N(0,1), RMSprop) at batch 32. Formats: epochs, stats every. */
    public static final String CIRCLES = """
            name: bench-circles
            dataset: {name: circles, samples: 1000, noise: 0.1, factor: 0.5, seed: 1}
            train: {epochs: %d, batch_size: 32}
            grid: {activation: [sigmoid], depth: [4], width: [5], initializer: ["normal(0,1)"],
                   optimizer: [rmsprop], learning_rate: [0.001], seed: [1]}
            stats: {every: %d}
            """;

    /** The 784-256x11-10 MNIST MLP (relu, Glorot, Adam) at batch 32. Formats: MNIST dir, epochs, stats every. */
    public static final String MNIST = """
            name: bench-mnist
            dataset: {name: mnist, path: "%s", limit: 2000, seed: 1}
            train: {epochs: %d, batch_size: 32}
            grid: {activation: [relu], depth: [11], width: [256], initializer: [glorot_uniform],
                   optimizer: [adam], learning_rate: [0.001], seed: [1]}
            stats: {every: %d}
            """;

    private TrialBench() {
    }

    public static TrialConfig trial(String yaml) {
        return Grid.expand(SpecParser.parse(yaml), 1).get(0);
    }

    /** Microseconds per minibatch update: one discarded warm-up trial, then one sample per repeat. */
    public static Timing perUpdate(String name, TrialConfig t, int repeats) {
        Split data = Split.of(t.dataset());
        double[] samples = new double[repeats];
        for (int r = -1; r < repeats; r++) {
            long[] total = new long[2];
            new TrialTrainer(nanos -> {
                total[0] += nanos;
                total[1]++;
            }).train(t, data, new CountingSink(false));
            if (r >= 0) {
                samples[r] = total[0] / 1e3 / total[1];
            }
        }
        return Timing.of(name, samples);
    }

    /** Heap used after a full GC, at the end of the first epoch and at its largest over the trial, in bytes. */
    public static long[] heapAfterGc(TrialConfig t) {
        CountingSink sink = new CountingSink(true);
        new TrialTrainer().train(t, Split.of(t.dataset()), sink);
        return new long[] {sink.firstHeapAfterGc, sink.maxHeapAfterGc};
    }
}
