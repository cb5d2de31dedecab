package io.gradsweep.vector;

import io.gradsweep.data.Split;
import io.gradsweep.spec.Grid;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.stats.ActivationRow;
import io.gradsweep.stats.EpochRow;
import io.gradsweep.stats.GradientRow;
import io.gradsweep.stats.HistogramRow;
import io.gradsweep.train.TrialSink;
import io.gradsweep.train.TrialTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Per-trial-iteration cost of the demo net (circles, 2-5-5-5-5-1, batch 32, rmsprop, statistics every iteration)
 * under DL4J and under the vector engine at several group sizes, measured side by side in one JVM so that the
 * ratios hold on a shared machine. Rows go to a sink that only counts them.
 *
 * <pre>
 * mvn -o test -Dtest=VectorBenchmark -Dgradsweep.bench=true [-Dgradsweep.bench.epochs=10]
 *     [-Dgradsweep.bench.activation=relu]
 * java -cp target/test-classes:target/classes:$(cat cp.txt) io.gradsweep.vector.VectorBenchmark [epochs [activation]]
 * </pre>
 */
public final class VectorBenchmark {
    static final int[] GROUP_SIZES = {1, 16, 64, 256};
    static final int DL4J_TRIALS = 4;

    @Test
    @EnabledIfSystemProperty(named = "gradsweep.bench", matches = "true")
    void benchmark() {
        main(new String[] {System.getProperty("gradsweep.bench.epochs", "10"),
                System.getProperty("gradsweep.bench.activation", "tanh")});
    }

    public static void main(String[] args) {
        Nd4j.getEnvironment().setMaxThreads(1);
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        String activation = args.length > 1 ? args[1] : "tanh";
        List<TrialConfig> trials = trials(epochs, 256, activation);
        Split data = Split.of(trials.get(0).dataset());
        long iterations = trials.get(0).totalIterations();
        dl4j(trials(1, 2, activation), data);
        vector(trials(1, 16, activation), data);
        double dl4j = Double.MAX_VALUE;
        double[] vector = new double[GROUP_SIZES.length];
        java.util.Arrays.fill(vector, Double.MAX_VALUE);
        for (int repeat = 0; repeat < 2; repeat++) {
            dl4j = Math.min(dl4j, dl4j(trials.subList(0, DL4J_TRIALS), data) / (DL4J_TRIALS * iterations));
            for (int i = 0; i < GROUP_SIZES.length; i++) {
                int k = GROUP_SIZES[i];
                vector[i] = Math.min(vector[i], vector(trials.subList(0, k), data) / (k * iterations));
            }
        }
        System.out.printf("circles 2-5-5-5-5-1 %s, batch 32, rmsprop, stats every iteration, %d iterations per"
                + " trial; load average %s%n", activation, iterations, load());
        System.out.printf("%-10s %12s %10s%n", "engine", "us/trial-it", "vs dl4j");
        System.out.printf("%-10s %12.1f %10s%n", "dl4j", dl4j, "1.0x");
        for (int i = 0; i < GROUP_SIZES.length; i++) {
            System.out.printf("%-10s %12.1f %9.1fx%n", "vector K=" + GROUP_SIZES[i], vector[i], dl4j / vector[i]);
        }
    }

    static List<TrialConfig> trials(int epochs, int count, String activation) {
        return Grid.expand(SpecParser.parse("""
                name: bench
                dataset: {name: circles, samples: 1000, noise: 0.1, factor: 0.5, seed: 1}
                train: {epochs: %d, batch_size: 32}
                grid: {activation: [%s], depth: [4], width: [5], initializer: ["normal(0,1)"],
                       optimizer: [rmsprop], learning_rate: [0.001], seed: {seeds}}
                """.formatted(epochs, activation).replace("{seeds}", java.util.stream.IntStream.rangeClosed(1, count)
                .mapToObj(String::valueOf).toList().toString())), 100_000);
    }

    /** Microseconds for training all of {@code trials} one by one. */
    static double dl4j(List<TrialConfig> trials, Split data) {
        long start = System.nanoTime();
        for (TrialConfig t : trials) {
            new TrialTrainer().train(t, data, new CountingSink());
        }
        return (System.nanoTime() - start) / 1e3;
    }

    /** Microseconds for training {@code trials} as one group. */
    static double vector(List<TrialConfig> trials, Split data) {
        long start = System.nanoTime();
        CountingSink sink = new CountingSink();
        new VectorTrainer().train(trials, data, t -> sink);
        return (System.nanoTime() - start) / 1e3;
    }

    static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /** Counts rows, so nothing is optimised away and nothing is kept. */
    static final class CountingSink implements TrialSink {
        long rows;

        @Override
        public void gradient(GradientRow row) {
            rows++;
        }

    @Override
    public void timestepGradient(io.gradsweep.stats.TimestepRow row) {
    }

        @Override
        public void epoch(EpochRow row) {
            rows++;
        }

        @Override
        public void activation(ActivationRow row) {
            rows++;
        }

        @Override
        public void histogram(HistogramRow row) {
            rows++;
        }
    }
}
