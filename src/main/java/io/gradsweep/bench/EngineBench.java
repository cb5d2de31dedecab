package io.gradsweep.bench;

import io.gradsweep.data.Split;
import io.gradsweep.spec.Grid;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.train.Dl4jTrainer;
import io.gradsweep.train.TrialRun;
import io.gradsweep.vector.VectorTrainer;
import java.util.List;

/**
 * Whole trials through either engine, amortized per trial and update: evaluation and histograms included, so the
 * two engines are compared on the same footing (the per-update table of {@link TrialBench} excludes evaluation).
 */
public final class EngineBench {
    /** The demo trial with K seeds. Formats: engine, group size, epochs, seeds. */
    private static final String GROUP = """
            name: bench-engines
            dataset: {name: circles, samples: 1000, noise: 0.1, factor: 0.5, seed: 1}
            train: {epochs: %3$d, batch_size: 32, engine: %1$s, group_size: %2$d}
            grid: {activation: [sigmoid], depth: [4], width: [5], initializer: ["normal(0,1)"],
                   optimizer: [rmsprop], learning_rate: [0.001], seed: %4$s}
            """;

    private EngineBench() {
    }

    static List<TrialConfig> group(String engine, int k, int epochs) {
        return Grid.expand(SpecParser.parse(GROUP.formatted(engine, k, epochs, TrialBench.seeds(k))), k);
    }

    /** One DL4J trial after another, as a task runs them: µs per trial and update. */
    public static Timing dl4j(int epochs, int repeats) {
        TrialConfig t = group("dl4j", 1, epochs).get(0);
        Split data = Split.of(t.dataset());
        double[] samples = new double[repeats];
        for (int r = -1; r < repeats; r++) {
            long start = System.nanoTime();
            TrialRun.run(new Dl4jTrainer(), List.of(t), data, x -> new CountingSink());
            if (r >= 0) {
                samples[r] = (System.nanoTime() - start) / 1e3 / t.totalIterations();
            }
        }
        return Timing.of("dl4j", samples);
    }

    /** K trials as one vector group: µs per trial and update, amortized over the group. */
    public static Timing vector(int k, int epochs, int repeats) {
        List<TrialConfig> trials = group("vector", k, epochs);
        Split data = Split.of(trials.get(0).dataset());
        double[] samples = new double[repeats];
        for (int r = -1; r < repeats; r++) {
            long start = System.nanoTime();
            TrialRun.run(new VectorTrainer(), trials, data, t -> new CountingSink());
            if (r >= 0) {
                samples[r] = (System.nanoTime() - start) / 1e3 / (k * trials.get(0).totalIterations());
            }
        }
        return Timing.of("vector K=" + k, samples);
    }
}
