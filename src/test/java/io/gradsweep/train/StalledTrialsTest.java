package io.gradsweep.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradsweep.data.Split;
import io.gradsweep.spec.Grid;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.stats.Diagnosis;
import io.gradsweep.testing.CollectingSink;
import io.gradsweep.testing.Train;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Real tiny trials that do not learn, on circles with half held out: relu x 5 with uniform(0,1) weights (the shipped
 * tutorial's case) stays at chance with a first/last gradient ratio far above the vanishing threshold, and a
 * learning rate of 1e-9 never moves the weights. A trained net is the healthy control and a deep sigmoid net at
 * chance the vanishing one: vanishing names the cause, so it wins over stalled.
 */
class StalledTrialsTest {
    private static TrialConfig trial(String activation, int depth, String init, String optimizer, String lr) {
        return Grid.expand(SpecParser.parse("""
                name: stall
                dataset: {name: circles, samples: 400, noise: 0.1, factor: 0.5, seed: 1, test_fraction: 0.5,
                          scale: "minmax(-1,1)"}
                train: {epochs: 20, batch_size: 32}
                grid: {activation: [%s], depth: [%d], width: [5], initializer: ["%s"], optimizer: ["%s"],
                       learning_rate: [%s], seed: [1]}
                stats: {every: 5, vanishing_ratio: 0.1}
                """.formatted(activation, depth, init, optimizer, lr)), 10).get(0);
    }

    private static final TrialConfig RELU_UNIFORM = trial("relu", 5, "uniform(0,1)", "momentum(0.9)", "0.01");
    private static final TrialConfig FROZEN = trial("tanh", 2, "glorot_uniform", "sgd", "1e-9");
    private static final TrialConfig TRAINED = trial("tanh", 2, "glorot_uniform", "rmsprop", "0.01");
    private static final TrialConfig SIGMOID = trial("sigmoid", 8, "normal(0,1)", "rmsprop", "0.001");

    @Test
    void trialsStuckAtChanceAreStalledUnlessTheirGradientsVanished() {
        Split data = Split.of(RELU_UNIFORM.dataset());
        List<TrialConfig> trials = List.of(RELU_UNIFORM, FROZEN, TRAINED, SIGMOID);
        List<TrialOutcome> out = trials.stream() // one group per shape
                .map(t -> Train.vector(List.of(t), data, x -> new CollectingSink()).get(0)).toList();
        int[] counts = data.test().classCounts();
        double chance = (double) Arrays.stream(counts).max().getAsInt() / data.test().size();
        assertThat(out).extracting(TrialOutcome::chance).as("the test set's majority-class rate")
                .containsOnly(chance);
        assertThat(out).extracting(TrialOutcome::status).containsOnly(TrialOutcome.OK);

        TrialOutcome relu = out.get(0);
        assertThat(relu.testAccuracy()).isLessThan(chance + 0.05);
        assertThat(relu.gradRatio()).as("no vanishing gradient explains it").isGreaterThan(1.0);
        assertThat(relu.diagnosis()).isEqualTo(Diagnosis.STALLED);

        assertThat(out.get(1).testAccuracy()).isLessThan(chance + 0.05);
        assertThat(out.get(1).diagnosis()).isEqualTo(Diagnosis.STALLED);

        assertThat(out.get(2).testAccuracy()).isGreaterThan(chance + 0.1);
        assertThat(out.get(2).diagnosis()).isEqualTo(Diagnosis.HEALTHY);

        assertThat(out.get(3).testAccuracy()).isLessThan(chance + 0.05);
        assertThat(out.get(3).gradRatio()).isLessThan(0.1);
        assertThat(out.get(3).diagnosis()).isEqualTo(Diagnosis.VANISHING);
    }

    @Test
    void dl4jAgreesOnTheStalledRelu() {
        TrialOutcome o = Train.dl4j(RELU_UNIFORM, Split.of(RELU_UNIFORM.dataset()), new CollectingSink());
        assertThat(o.diagnosis()).isEqualTo(Diagnosis.STALLED);
    }

    @Test
    void regressionChanceIsTheMseOfPredictingTheMean() {
        io.gradsweep.data.Dataset d = io.gradsweep.data.Dataset.sequenceRegression(new float[4],
                new float[] {0, 1, 2, 5}, 1, 1);
        // mean 2; squared deviations 4, 1, 0, 9
        assertThat(Metrics.constantPredictorMse(d)).isEqualTo(3.5);
        assertThat(Evaluation.of(new float[] {2, 2, 2, 2}, d)).isEqualTo(new Evaluation(3.5, null, 3.5));
    }
}
