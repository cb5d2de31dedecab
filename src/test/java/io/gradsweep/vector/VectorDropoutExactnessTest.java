package io.gradsweep.vector;

import static io.gradsweep.vector.VectorExactnessTest.agree;
import static io.gradsweep.vector.VectorExactnessTest.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.gradsweep.data.Split;
import io.gradsweep.spec.Engine;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.stats.ActivationRow;
import io.gradsweep.testing.CollectingSink;
import io.gradsweep.testing.Train;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Dropout on the vector engine against DL4J: each trial's masks must be the ones its DL4J network draws, so every
 * recorded row (gradients, updates, activations, losses) agrees, in groups mixing rates, seeds (0 included) and
 * trials without dropout, through plain and batch-normalized MLPs and a short last minibatch.
 */
class VectorDropoutExactnessTest {

    @AfterAll
    static void report() {
        System.out.println("vector vs dl4j with dropout, largest relative difference per quantity: "
                + VectorExactnessTest.AGREEMENT.worst);
    }

    static List<TrialConfig> trials(String activation, String batchNorm, String optimizer) {
        return spec("""
                name: drop
                dataset: {name: spirals, samples: 44, noise: 0.1, classes: 3, seed: 3}
                train: {epochs: 2, batch_size: 8}
                grid: {activation: [%s], depth: [3], width: [5], batch_norm: [%s], initializer: [glorot_uniform],
                       optimizer: ["%s"], learning_rate: [0.05], dropout: [0, 0.2, 0.5], seed: [0, 7]}
                """.formatted(activation, batchNorm, optimizer));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"tanh; false; adam", "relu; false; sgd", "sigmoid; false; rmsprop",
            "relu; true; adam", "tanh; true; momentum(0.9)"})
    void masksAreDl4jsInPlainAndBatchNormalizedNets(String activation, String batchNorm, String optimizer) {
        List<TrialConfig> trials = trials(activation, batchNorm, optimizer);
        assertThat(trials).hasSize(6).extracting(Engine::of).containsOnly(Engine.VECTOR);
        agree(trials);
    }

    /** 784 inputs into two hidden layers, one sigmoid-free softmax output: DL4J drops the output layer's input too. */
    @Test
    void mnistDigitsWithDropoutOnEveryLayerAfterTheFirst() {
        agree(spec("""
                name: digits
                dataset: {name: mnist, path: '%s', limit: 120}
                train: {epochs: 1, batch_size: 32}
                grid: {activation: [relu], widths: [[40, 16]], initializer: [he_normal], optimizer: [adam],
                       learning_rate: [0.003], dropout: [0.1, 0.5], seed: [1, 2]}
                """.formatted(io.gradsweep.testing.TestData.MNIST)));
    }

    /**
     * The masks take effect: at the first update a dropping trial starts from the same parameters and minibatch as
     * its twin without dropout, so its first hidden layer's outputs (recorded after the next layer drops them, as
     * DL4J records them) and its gradients differ only through the masks; about a rate's share of the outputs is
     * zeroed, and the survivors are scaled by 1 / (1 - rate), which lifts the mean of their squares.
     */
    @Test
    void droppingChangesTheFirstUpdateAndKeepsTheSecondMomentUnbiased() {
        List<TrialConfig> trials = trials("tanh", "false", "sgd");
        Split data = Split.of(trials.get(0).dataset());
        Map<TrialConfig, CollectingSink> sinks = new HashMap<>();
        Train.vector(trials, data, t -> sinks.computeIfAbsent(t, x -> new CollectingSink()));
        TrialConfig plain = trials.stream().filter(t -> t.dropout() == 0 && t.seed() == 7).findFirst().orElseThrow();
        TrialConfig dropped = trials.stream().filter(t -> t.dropout() == 0.5 && t.seed() == 7).findFirst()
                .orElseThrow();
        ActivationRow a = first(sinks.get(plain));
        ActivationRow b = first(sinks.get(dropped));
        assertThat(b.n()).isEqualTo(a.n()).isEqualTo(8 * 5);
        assertThat(b.mean()).isNotEqualTo(a.mean());
        assertThat(sinks.get(dropped).gradients.get(0)).isNotEqualTo(sinks.get(plain).gradients.get(0));
        // Inverted dropout at 0.5 doubles the survivors: E[(m a)^2] = 2 E[a^2] over the masks.
        double plainSquare = a.std() * a.std() + a.mean() * a.mean();
        double droppedSquare = b.std() * b.std() + b.mean() * b.mean();
        assertThat(droppedSquare / plainSquare).isBetween(1.2, 3.0);
    }

    private static ActivationRow first(CollectingSink sink) {
        return sink.activations.stream().filter(r -> r.iteration() == 0 && r.layer() == 0).findFirst()
                .orElseThrow();
    }
}
