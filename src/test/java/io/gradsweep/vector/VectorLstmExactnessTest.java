package io.gradsweep.vector;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradsweep.data.Split;
import io.gradsweep.spec.Grid;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.testing.CollectingSink;
import io.gradsweep.testing.Train;
import io.gradsweep.train.TrialOutcome;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The vector engine's LSTM groups against DL4J, trial by trial, with {@link VectorRecurrentExactnessTest}'s
 * method and data: every row and outcome of each trial of a group must agree with the trial trained alone.
 */
class VectorLstmExactnessTest {
    @org.junit.jupiter.api.AfterAll
    static void report() {
        System.out.println("lstm vector vs dl4j, largest relative difference per quantity: "
                + VectorRecurrentExactnessTest.AGREEMENT.worst);
    }


    static List<TrialConfig> group(String activation, String optimizer, String clipping, int depth, String rates) {
        return VectorRecurrentExactnessTest.group("lstm", activation, optimizer, clipping, depth, rates);
    }

    @ParameterizedTest
    @CsvSource({"tanh", "relu"})
    void twoActivationsStackedTwoDeep(String activation) {
        VectorRecurrentExactnessTest.agree(group(activation, "adam", "none", 2, "0.05, 0.01"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"rmsprop; 'global_norm(0.05)', 'global_norm(0.5)'",
            "nesterov(0.9); 'value(0.01)', 'value(0.1)'"})
    void optimizersAndClipping(String optimizer, String clipping) {
        VectorRecurrentExactnessTest.agree(group("tanh", optimizer, clipping, 1, "0.05"));
    }

    /**
     * The shipped config's shape (32 units, 100 steps, 64 rows and a short last minibatch of 16), where libnd4j's
     * vectorized loops and OpenBLAS's full kernels run, unlike the tiny shapes above.
     */
    @Test
    void theAddingProblemsShapeAtOneHundredSteps() {
        VectorRecurrentExactnessTest.agree(Grid.expand(SpecParser.parse("""
                name: exact-lstm-t100
                dataset: {name: adding, samples: 100, length: 100, seed: 3, test_fraction: 0.2}
                train: {epochs: 1, batch_size: 64}
                grid: {model: [lstm], activation: [tanh], depth: [1], width: [32], initializer: [glorot_uniform],
                       optimizer: [adam], learning_rate: [0.01, 0.001], seed: [1]}
                stats: {every: 1}
                """), 100));
    }

    @Test
    void oneHundredUpdatesAtTheAddingProblemsShape() {
        VectorRecurrentExactnessTest.agree(VectorRecurrentExactnessTest.hundredUpdates("lstm"));
    }

    @Test
    void oneTrialAlone() {
        VectorRecurrentExactnessTest.agree(group("tanh", "adam", "none", 1, "0.01").subList(0, 1));
    }

    @Test
    void aDivergingTrialStopsWhileTheRestOfItsGroupGoesOn() {
        List<TrialConfig> trials = Grid.expand(SpecParser.parse("""
                name: diverge-lstm
                dataset: {name: adding, samples: 40, length: 5, seed: 3}
                train: {epochs: 6, batch_size: 8}
                grid: {model: [lstm], activation: [tanh], depth: [1], width: [3],
                       initializer: [glorot_uniform], optimizer: [sgd], learning_rate: [1000, 0.01], seed: [1]}
                stats: {every: 2}
                """), 100);
        Split data = Split.of(trials.get(0).dataset());
        List<TrialOutcome> vector = Train.vector(trials, data, t -> new CollectingSink());
        assertThat(vector).extracting(TrialOutcome::status).containsExactly("diverged", "ok");
        VectorRecurrentExactnessTest.agree(trials);
    }
}
