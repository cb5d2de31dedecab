package io.gradsweep.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.gradsweep.data.Split;
import io.gradsweep.spec.Grid;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.stats.ActivationRow;
import io.gradsweep.stats.GradientRow;
import io.gradsweep.stats.Moments;
import io.gradsweep.testing.CollectingSink;
import io.gradsweep.testing.TestData;
import io.gradsweep.testing.Train;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArchitectureTrainingTest {
    static List<TrialConfig> trials(String dataset, int epochs, String grid) {
        return Grid.expand(SpecParser.parse("""
                name: arch
                dataset: %s
                train: {epochs: %d, batch_size: 16}
                grid: {%s}
                """.formatted(dataset, epochs, grid)), 10);
    }

    static CollectingSink run(TrialConfig t, TrialOutcome[] outcome) {
        CollectingSink sink = new CollectingSink();
        outcome[0] = Train.dl4j(t, Split.of(t.dataset()), sink);
        return sink;
    }

    /** The classic motivation for ResNets: the identity path carries the gradient to early layers undiminished. */
    @Test
    void skipConnectionsKeepTheFirstLayerGradientOfADeepSigmoidNet() {
        List<TrialConfig> pair = trials("{name: circles, samples: 160, noise: 0.1, factor: 0.5, seed: 2}", 2,
                "activation: [sigmoid], depth: [10], width: [8], residual: [false, true], seed: [5]");
        TrialOutcome[] plain = new TrialOutcome[1];
        TrialOutcome[] residual = new TrialOutcome[1];
        run(pair.get(0), plain);
        CollectingSink sink = run(pair.get(1), residual);
        assertThat(plain[0].status()).isEqualTo(TrialOutcome.OK);
        assertThat(residual[0].status()).isEqualTo(TrialOutcome.OK);
        assertThat(plain[0].gradRatio()).isLessThan(0.01);
        assertThat(residual[0].gradRatio()).isGreaterThan(100 * plain[0].gradRatio());
        assertThat(sink.gradients).filteredOn(r -> r.iteration() == 0)
                .extracting(r -> r.layer() + ":" + r.param()).hasSize(22).startsWith("0:W", "0:b", "1:W");
        sumOfPreactGradientIsTheShiftGradient(sink, "b");
    }

    /** sgd at lr 1: the applied step of every tensor, BN scale included, equals the recorded clipped gradient. */
    @ParameterizedTest
    @ValueSource(strings = {"none", "norm(0.05)", "value(0.001)", "global_norm(0.05)"})
    void batchNormParametersGetExactClippedStatistics(String clipping) {
        TrialConfig t = trials("{name: circles, samples: 64, noise: 0.1, factor: 0.5, seed: 2}", 1,
                "activation: [tanh], depth: [2], width: [4], batch_norm: [true], optimizer: [sgd],"
                        + " learning_rate: [1.0], clipping: [\"" + clipping + "\"]").get(0);
        TrialOutcome[] outcome = new TrialOutcome[1];
        CollectingSink sink = run(t, outcome);
        assertThat(sink.gradients).filteredOn(r -> r.iteration() == 0).extracting(r -> r.layer() + ":" + r.param())
                .containsExactly("0:W", "0:b", "0:gamma", "0:beta", "1:W", "1:b", "1:gamma", "1:beta", "2:W", "2:b");
        for (GradientRow r : sink.gradients) {
            if (r.updateRatio() != null) {
                assertThat(r.updateRatio() * r.weight().l2()).as(r.toString()).isCloseTo(r.clippedL2(), within(2e-6));
            }
        }
        if (clipping.startsWith("global_norm")) {
            for (long it = 0; it < 4; it++) {
                long i = it;
                double global = Math.sqrt(sink.gradients.stream().filter(r -> r.iteration() == i)
                        .mapToDouble(r -> r.clippedL2() * r.clippedL2()).sum());
                assertThat(global).as("iteration %d", i).isCloseTo(0.05, within(1e-6));
            }
        }
        // Activations are taken after the nonlinearity, one row per logical layer.
        assertThat(sink.activations).filteredOn(a -> a.iteration() == 0).extracting(ActivationRow::layer)
                .containsExactly(0, 1);
        assertThat(sink.activations.get(0).saturatedFraction()).isNotNull(); // tanh: saturation, not death
        assertThat(sink.activations.get(0).deadFraction()).isNull();
        sumOfPreactGradientIsTheShiftGradient(sink, "beta");
    }

    /**
     * The pre-activations of a batch-normalized layer are the batch norm's outputs y = gamma * x^ + beta, so each
     * unit's beta gradient is the sum of dL/dy over the minibatch (and positions): the mean of the recorded dL/ds
     * is the shift gradient's sum over units divided by n. {@code shift} is beta, or b where s = xW + b.
     */
    static void sumOfPreactGradientIsTheShiftGradient(CollectingSink sink, String shift) {
        assertThat(sink.activations).isNotEmpty();
        for (ActivationRow a : sink.activations) {
            GradientRow g = sink.gradients.stream().filter(r -> r.iteration() == a.iteration()
                    && r.layer() == a.layer() && r.param().equals(shift)).findFirst().orElseThrow();
            Moments m = a.preactGradient();
            assertThat(m).as("dL/ds at %d/%d", a.iteration(), a.layer()).isNotNull();
            double sum = g.gradient().mean() * g.gradient().n();
            assertThat(m.mean() * m.n()).as("sum of dL/ds at %d/%d", a.iteration(), a.layer())
                    .isCloseTo(sum, within(1e-4 * g.gradient().l2() + 1e-9));
        }
    }

    @Test
    void residualCnnTrainsOnMnistWithPerBlockStatistics() {
        TrialConfig t = trials("{name: mnist, path: " + TestData.MNIST + ", limit: 64}", 2,
                "model: [cnn], activation: [relu], depth: [2], width: [4], batch_norm: [true], residual: [true],"
                        + " optimizer: [adam], learning_rate: [0.01]").get(0);
        TrialOutcome[] outcome = new TrialOutcome[1];
        CollectingSink sink = run(t, outcome);
        assertThat(outcome[0].status()).isEqualTo(TrialOutcome.OK);
        assertThat(outcome[0].iterations()).isEqualTo(8);
        // DL4J orders a conv layer's bias before its kernel.
        assertThat(sink.gradients).filteredOn(r -> r.iteration() == 7).extracting(r -> r.layer() + ":" + r.param())
                .containsExactly("0:b", "0:W", "0:gamma", "0:beta", "1:b", "1:W", "1:gamma", "1:beta", "2:W", "2:b");
        assertThat(sink.gradients).filteredOn(r -> r.param().equals("W"))
                .allSatisfy(r -> assertThat(r.gradient().l2()).isPositive().isFinite());
        List<ActivationRow> first = sink.activations.stream().filter(a -> a.iteration() == 0).toList();
        assertThat(first).extracting(ActivationRow::layer).containsExactly(0, 1);
        assertThat(first.get(0).n()).isEqualTo(16 * 4 * 14 * 14); // stride-2 stem: 4 channels of 14x14
        assertThat(first.get(1).deadFraction()).isBetween(0.0, 1.0);
        assertThat(sink.epochs).hasSize(2);
        sumOfPreactGradientIsTheShiftGradient(sink, "beta");
    }

    @ParameterizedTest
    @ValueSource(strings = {"batch_norm: [true]", "residual: [true]", "batch_norm: [true], residual: [true]"})
    void sameConfigGivesIdenticalStatistics(String axes) {
        TrialConfig t = trials("{name: circles, samples: 64, noise: 0.1, factor: 0.5, seed: 2}", 2,
                "activation: [tanh], depth: [3], width: [4], optimizer: [sgd], learning_rate: [0.5], " + axes).get(0);
        TrialOutcome[] outcome = new TrialOutcome[1];
        List<GradientRow> first = run(t, outcome).gradients;
        List<GradientRow> second = run(t, outcome).gradients;
        // 64 examples in batches of 16 for 2 epochs: rows from the first and the last of 8 iterations to compare.
        assertThat(first).extracting(GradientRow::iteration).isNotEmpty().contains(0L, 7L);
        assertThat(second).containsExactlyElementsOf(first);
    }
}
