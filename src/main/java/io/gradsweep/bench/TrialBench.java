package io.gradsweep.bench;

import io.gradsweep.data.Split;
import io.gradsweep.spec.Grid;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.train.Dl4jTrainer;
import io.gradsweep.train.TrialRun;
import io.gradsweep.train.UpdateClock;
import io.gradsweep.vector.VectorTrainer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * Times trials in this JVM through the real trainers: the cost of one minibatch update (forward, backward, updater
 * and, when on, the per-iteration statistics) under DL4J or as a vector group, and the heap training retains as
 * epochs go by.
 */
public final class TrialBench {
    /** The smallest {@code stats.every} that still records: recording only at iteration 0 means "no stats". */
    public static final int NO_STATS = 1_000_000;

    /** The 2-5-5-5-5-1 demo trial (sigmoid, N(0,1), RMSprop) at batch 32. Formats: epochs, every, seeds, samples. */
    public static final String CIRCLES = """
            name: bench-circles
            dataset: {name: circles, samples: %4$d, noise: 0.1, factor: 0.5, seed: 1}
            train: {epochs: %1$d, batch_size: 32}
            grid: {activation: [sigmoid], depth: [4], width: [5], initializer: ["normal(0,1)"],
                   optimizer: [rmsprop], learning_rate: [0.001], seed: %3$s}
            stats: {every: %2$d}
            """;

    /** The drop probability of {@link #CIRCLES_DROPOUT}, which its batched PyTorch peer is given too. */
    public static final double CIRCLES_DROP = 0.2;

    /**
     * The circles trial with dropout on every layer's input but the first's (every hidden layer's output), as the
     * vector engine and DL4J both train it. Same formats.
     */
    public static final String CIRCLES_DROPOUT = CIRCLES.replace("name: bench-circles", "name: bench-circles-dropout")
            .replace("learning_rate: [0.001],", "learning_rate: [0.001], dropout: [" + CIRCLES_DROP + "],");

    /** The 784-256x11-10 MNIST MLP (relu, Glorot, Adam) at batch 32. Formats: epochs, every, seeds, MNIST dir. */
    public static final String MNIST = """
            name: bench-mnist
            dataset: {name: mnist, path: "%4$s", limit: 2000, seed: 1}
            train: {epochs: %1$d, batch_size: 32}
            grid: {activation: [relu], depth: [11], width: [256], initializer: [glorot_uniform],
                   optimizer: [adam], learning_rate: [0.001], seed: %3$s}
            stats: {every: %2$d}
            """;

    /** The shipped ResNet-style MNIST CNN (conf/mnist-cnn-residual.yaml, no batch norm): 10 blocks of 8 channels. */
    public static final String CNN = """
            name: bench-cnn
            dataset: {name: mnist, path: "%4$s", limit: 640, seed: 1}
            train: {epochs: %1$d, batch_size: 32}
            grid: {model: [cnn], activation: [relu], depth: [10], width: [8], initializer: [he_normal],
                   optimizer: [adam], learning_rate: [0.001], seed: %3$s}
            stats: {every: %2$d}
            """;

    /** The same CNN with batch normalization after every conv (conv, BN, activation). Same formats. */
    public static final String CNN_BN = CNN.replace("name: bench-cnn", "name: bench-cnn-bn")
            .replace("width: [8],", "width: [8], batch_norm: [true],");

    /**
     * The T = 100 tanh SimpleRnn of conf/rnn-adding.yaml (32 units, Glorot, Adam 0.01, batch 64), on 640 training
     * sequences: 10 updates per epoch. Formats: epochs, every, seeds.
     */
    public static final String RNN = """
            name: bench-rnn
            dataset: {name: adding, samples: 800, length: 100, seed: 1, test_fraction: 0.2}
            train: {epochs: %1$d, batch_size: 64}
            grid: {model: [simple_rnn], activation: [tanh], depth: [1], width: [32], initializer: [glorot_uniform],
                   optimizer: [adam], learning_rate: [0.01], clipping: [none], seed: %3$s}
            stats: {every: %2$d}
            """;

    /** The same with an LSTM (tanh cell and output, sigmoid gates, forget-gate bias 1). Same formats. */
    public static final String LSTM = RNN.replace("name: bench-rnn", "name: bench-lstm")
            .replace("model: [simple_rnn]", "model: [lstm]");

    /** The same MLP with batch normalization on every hidden layer. Same formats. */
    public static final String MNIST_BN = MNIST.replace("name: bench-mnist", "name: bench-mnist-bn")
            .replace("width: [256],", "width: [256], batch_norm: [true],");

    /** The two engines a per-update timing can go through. */
    public enum Engine {
        DL4J, VECTOR
    }

    private TrialBench() {
    }

    /** "[1, 2, ..., k]": k trials that differ by seed alone, so that they form one vector group. */
    public static String seeds(int k) {
        return LongStream.rangeClosed(1, k).mapToObj(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
    }

    public static List<TrialConfig> trials(String yaml) {
        return Grid.expand(SpecParser.parse(yaml), 1 << 20);
    }

    /**
     * Per-update µs per trial without and with statistics every iteration, taking turns, and the ratio of the two
     * runs of each round: adjacent in time, a pair sees the same machine, so the median ratio is steadier than
     * the ratio of the medians on a shared machine.
     */
    public static BenchResults.Overhead statsOverhead(String scenario, String label, Engine engine,
                                                      List<TrialConfig> without, List<TrialConfig> with, int repeats) {
        Split data = Split.of(with.get(0).dataset());
        Map<List<TrialConfig>, double[]> samples = Turns.measure(List.of(without, with), repeats,
                trials -> perUpdate(engine, trials, data));
        double[] off = samples.get(without);
        double[] on = samples.get(with);
        double[] ratios = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            ratios[r] = on[r] / off[r];
        }
        return new BenchResults.Overhead(scenario, label, engine == Engine.VECTOR ? with.size() : 1,
                Timing.of(label + ", no stats", off),
                Timing.of(label + ", stats", on), Timing.of(label + ", stats / no stats", ratios));
    }

    /**
     * CPU µs of this thread per trial and update of one run: each trial alone through DL4J, or all of them as one
     * vector group. Training runs on this one thread (ND4J on one OpenMP thread), so its CPU time is its cost;
     * unlike wall time it is not inflated by other work waiting for the same cores.
     */
    public static double perUpdate(Engine engine, List<TrialConfig> trials, Split data) {
        CpuClock clock = new CpuClock();
        if (engine == Engine.VECTOR) {
            TrialRun.run(new VectorTrainer(clock), trials, data, t -> new CountingSink());
            return clock.total / 1e3 / clock.updates / trials.size();
        }
        for (TrialConfig t : trials) {
            TrialRun.run(new Dl4jTrainer(clock), List.of(t), data, x -> new CountingSink());
        }
        return clock.total / 1e3 / clock.updates;
    }

    /** Sums the calling thread's CPU time over updates. */
    private static final class CpuClock implements UpdateClock {
        private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        private long total;
        private long updates;

        @Override
        public long now() {
            return threads.getCurrentThreadCpuTime();
        }

        @Override
        public void update(long nanos) {
            total += nanos;
            updates++;
        }
    }

    /** The heap after a full GC over one DL4J trial, read every {@code every} epochs. */
    public static CountingSink.HeapReading heap(TrialConfig t, int every) {
        CountingSink sink = new CountingSink(every);
        TrialRun.run(new Dl4jTrainer(), List.of(t), Split.of(t.dataset()), x -> sink);
        return sink.heap();
    }
}
