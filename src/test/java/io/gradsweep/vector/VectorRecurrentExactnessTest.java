package io.gradsweep.vector;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradsweep.data.Split;
import io.gradsweep.spec.Engine;
import io.gradsweep.spec.Grid;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.testing.CollectingSink;
import io.gradsweep.testing.Train;
import io.gradsweep.train.TrialOutcome;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The vector engine's SimpleRnn groups against DL4J, trial by trial, with VectorExactnessTest's method: trials
 * differing in seed, initializer and learning rate train as one group, each trains again alone on DL4J, and every
 * row (gradients, weights, updates, activations, timestep gradients, epochs) and outcome must agree. The adding
 * problem's 35 training sequences in batches of 8 end each epoch on a short minibatch of 3; 20% are a test split.
 */
class VectorRecurrentExactnessTest {
    /**
     * A tanh layer runs {@link FloatTanh}, a few ulp from libnd4j's tanh, so these families agree with DL4J to a
     * tolerance: parameters within 1e-5 relative; losses and the statistics of gradients, activations and updates
     * within 1e-3. In a trial that diverged, gradient statistics within 1e-6 absolute also pass: its saturated
     * units' float tanh rounds to ±1 and their derivatives to 0 in one engine but not the other. A difference of
     * 1e-7 in an activation reaches the loss through the output's error (prediction minus target) and a gradient
     * through every step of backprop; the observed worst cases are in the report printed after the class, and
     * {@code oneHundredUpdatesAtTheAddingProblemsShape} holds the parameters to 1e-5 after 100 updates at the
     * shipped config's shape.
     */
    static final Agreement AGREEMENT = new Agreement(VectorExactnessTest.TOLERANCE, 1e-3, 1e-6, false);

    static List<TrialConfig> group(String activation, String optimizer, String clipping, int depth, String rates) {
        return group("simple_rnn", activation, optimizer, clipping, depth, rates);
    }

    static List<TrialConfig> group(String model, String activation, String optimizer, String clipping, int depth,
                                   String rates) {
        return Grid.expand(SpecParser.parse("""
                name: exact-rnn
                dataset: {name: adding, samples: 44, length: 7, seed: 3, test_fraction: 0.2}
                train: {epochs: 2, batch_size: 8}
                grid: {model: [%s], activation: [%s], depth: [%d], width: [4],
                       initializer: ["normal(0,0.5)", glorot_uniform], optimizer: ["%s"], learning_rate: [%s],
                       clipping: [%s], seed: [0, 7]}
                stats: {every: 1}
                """.formatted(model, activation, depth, optimizer, rates, clipping)), 100);
    }

    static void agree(List<TrialConfig> trials) {
        assertThat(trials).extracting(Engine::of).containsOnly(Engine.VECTOR);
        Split data = Split.of(trials.get(0).dataset());
        Map<TrialConfig, CollectingSink> sinks = new HashMap<>();
        List<TrialOutcome> vector = Train.vector(trials, data,
                t -> sinks.computeIfAbsent(t, x -> new CollectingSink()));
        for (int i = 0; i < trials.size(); i++) {
            CollectingSink alone = new CollectingSink();
            TrialOutcome dl4j = Train.dl4j(trials.get(i), data, alone);
            assertThat(alone.timesteps).isNotEmpty();
            AGREEMENT.compare(trials.get(i).canonical(), alone, dl4j, sinks.get(trials.get(i)), vector.get(i));
        }
    }

    @AfterAll
    static void report() {
        System.out.println("simple_rnn vector vs dl4j, largest relative difference per quantity: " + AGREEMENT.worst);
    }

    @ParameterizedTest
    @CsvSource({"tanh", "relu", "sigmoid"})
    void everyActivationStackedTwoDeep(String activation) {
        agree(group(activation, "adam", "none", 2, "0.05, 0.01"));
    }

    /** Each optimizer class with each clipping mode once; the group's thresholds differ per trial. */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "sgd; 'norm(0.05)', 'norm(0.5)'", "momentum(0.9); 'layer_norm(0.05)', 'layer_norm(0.5)'",
            "nesterov(0.9); 'value(0.01)', 'value(0.1)'", "rmsprop; 'global_norm(0.05)', 'global_norm(0.5)'",
            "adamw(0.05); none"})
    void everyOptimizerAndClipping(String optimizer, String clipping) {
        agree(group("tanh", optimizer, clipping, 1, "0.05"));
    }

    @Test
    void aDivergingTrialStopsWhileTheRestOfItsGroupGoesOn() {
        List<TrialConfig> trials = Grid.expand(SpecParser.parse("""
                name: diverge-rnn
                dataset: {name: adding, samples: 40, length: 5, seed: 3}
                train: {epochs: 6, batch_size: 8}
                grid: {model: [simple_rnn], activation: [tanh], depth: [1], width: [3],
                       initializer: [glorot_uniform], optimizer: [sgd], learning_rate: [1000, 0.01], seed: [1]}
                stats: {every: 2}
                """), 100);
        Split data = Split.of(trials.get(0).dataset());
        List<TrialOutcome> vector = Train.vector(trials, data, t -> new CollectingSink());
        assertThat(vector).extracting(TrialOutcome::status).containsExactly("diverged", "ok");
        agree(trials);
    }

    /**
     * The shipped config's shape (32 units, 100 steps) for 100 updates (10 epochs of 10 minibatches of 16): the
     * parameters must stay within 1e-5 of DL4J's, as the issue bounds a tolerance family.
     */
    @Test
    void oneHundredUpdatesAtTheAddingProblemsShape() {
        agree(hundredUpdates("simple_rnn"));
    }

    static List<TrialConfig> hundredUpdates(String model) {
        return Grid.expand(SpecParser.parse("""
                name: exact-hundred-updates
                dataset: {name: adding, samples: 200, length: 100, seed: 3, test_fraction: 0.2}
                train: {epochs: 10, batch_size: 16}
                grid: {model: [%s], activation: [tanh], depth: [1], width: [32], initializer: [glorot_uniform],
                       optimizer: [adam], learning_rate: [0.01, 0.001], seed: [1]}
                stats: {every: 10}
                """.formatted(model)), 100);
    }

    @Test
    void oneTrialAlone() {
        agree(group("tanh", "adam", "none", 1, "0.01").subList(0, 1));
    }
}
