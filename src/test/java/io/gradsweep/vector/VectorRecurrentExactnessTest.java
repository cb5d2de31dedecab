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
    static final Agreement AGREEMENT = new Agreement(VectorExactnessTest.TOLERANCE, false);

    static List<TrialConfig> group(String activation, String optimizer, String clipping, int depth, String rates) {
        return Grid.expand(SpecParser.parse("""
                name: exact-rnn
                dataset: {name: adding, samples: 44, length: 7, seed: 3, test_fraction: 0.2}
                train: {epochs: 2, batch_size: 8}
                grid: {model: [simple_rnn], activation: [%s], depth: [%d], width: [4],
                       initializer: ["normal(0,0.5)", glorot_uniform], optimizer: ["%s"], learning_rate: [%s],
                       clipping: [%s], seed: [0, 7]}
                stats: {every: 1}
                """.formatted(activation, depth, optimizer, rates, clipping)), 100);
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

    @Test
    void oneTrialAlone() {
        agree(group("tanh", "adam", "none", 1, "0.01").subList(0, 1));
    }
}
