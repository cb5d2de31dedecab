package io.gradsweep.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.gradsweep.spec.Grid;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.spec.TrialConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchPlannerTest {
    private static List<TrialConfig> adding() {
        return Grid.expand(SpecParser.parse("""
                name: cost
                dataset: {name: adding, samples: 100, length: 10}
                train: {epochs: 1, batch_size: 10}
                grid: {model: [simple_rnn, lstm], sequence_length: [10, 100], activation: [tanh], depth: [1],
                       width: [8]}
                """), 10);
    }

    @Test
    void feedForwardCostIsIterationsTimesBatchTimesDenseMultiplyAddsAndActivationWork() {
        TrialConfig t = Grid.expand(SpecParser.parse("""
                name: cost
                dataset: {name: circles, samples: 100}
                train: {epochs: 2, batch_size: 32}
                grid: {activation: [tanh], depth: [3], width: [5]}
                """), 1).get(0);
        assertThat(BatchPlanner.cost(t)).isEqualTo(8 * 32 * (2 * 5 + 2 * 5 * 5 + 5.0 + 3 * 5 * 85));
    }

    @Test
    void recurrentCostGrowsWithTheSequenceLengthAndTheGates() {
        List<TrialConfig> trials = adding();
        TrialConfig rnn10 = trials.get(0);
        TrialConfig rnn100 = trials.get(1);
        TrialConfig lstm10 = trials.get(2);
        assertThat(rnn10.dataset().length()).isEqualTo(10);
        assertThat(BatchPlanner.perExample(rnn10)).isEqualTo(10 * (2 + 8) * 8 + 8.0);
        assertThat(BatchPlanner.cost(rnn100) / BatchPlanner.cost(rnn10)).isCloseTo(10, within(0.1));
        assertThat(BatchPlanner.cost(lstm10) / BatchPlanner.cost(rnn10)).isCloseTo(4, within(0.05));
        assertThat(BatchPlanner.hiddenUnits(rnn10)).isZero();
        // DL4J dispatches per step, so both T=100 trials outweigh both T=10 ones: one of each per batch.
        List<TrialBatch> batches = BatchPlanner.plan(trials, 2);
        assertThat(batches).allSatisfy(b -> assertThat(b.trials()).extracting(t -> t.dataset().length())
                .containsExactlyInAnyOrder(10, 100));
    }

    /**
     * Four 16-trial groups on two cores, as in the benchmark's grid: planned as equals, tanh's and elu's groups
     * (the two slowest) ran one after the other on one core. Spark starts a stage's tasks in partition order, so
     * the batches must come out slowest first and pair the slowest group with the fastest.
     */
    @Test
    void groupsOfCostlierActivationsComeFirstSoThatTwoCoresPairSlowWithFast() {
        List<TrialConfig> trials = Grid.expand(SpecParser.parse("""
                name: pairs
                dataset: {name: circles, samples: 1000}
                train: {epochs: 30, batch_size: 32}
                grid: {activation: [sigmoid, tanh, relu, elu], depth: [4], width: [5], optimizer: [rmsprop],
                       learning_rate: [0.001, 0.003, 0.01, 0.03], seed: [1, 2, 3, 4]}
                """), 1000);
        List<TrialBatch> batches = BatchPlanner.plan(trials, 8);
        assertThat(batches).extracting(b -> b.trials().get(0).activation().name())
                .containsExactly("tanh", "elu", "sigmoid", "relu");
        assertThat(batches).allSatisfy(b -> assertThat(b.trials()).hasSize(16));
    }
}
