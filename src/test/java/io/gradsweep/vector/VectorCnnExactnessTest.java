package io.gradsweep.vector;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradsweep.data.Dataset;
import io.gradsweep.data.Split;
import io.gradsweep.data.Synthetic;
import io.gradsweep.model.Network;
import io.gradsweep.model.NetworkFactory;
import io.gradsweep.spec.Engine;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.testing.CollectingSink;
import io.gradsweep.testing.TestData;
import io.gradsweep.train.TrialRecorder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * VectorExactnessTest's method for the ResNet-style CNN ({@code model: cnn}): a group of trials differing in seed,
 * initializer, learning rate and clipping threshold trains together, each trial trains again alone on DL4J, and
 * every row and outcome must agree; and the parameters after training must be DL4J's. Tiny nets (3 blocks of 3-4
 * channels) over a few dozen real MNIST digits, with a last short minibatch, keep it to seconds.
 */
class VectorCnnExactnessTest {
    /**
     * Training is bit-identical: every gradient, weight, update and activation statistic must match exactly (checked
     * in {@link #agree}). End-of-epoch losses may differ in the last bits (1.4e-9 relative seen): the group
     * evaluates a set in chunks sized to its memory budget, DL4J in one pass, and OpenBLAS rounds a product's edge
     * tiles differently for another row count.
     */
    static final double EVALUATION_TOLERANCE = 1e-8;
    static final Agreement AGREEMENT = new Agreement(EVALUATION_TOLERANCE);

    static List<TrialConfig> cnn(String residual, String activation, String optimizer, String clipping, int limit) {
        return VectorExactnessTest.spec("""
                name: cnn
                dataset: {name: mnist, path: '%s', limit: %d, test_fraction: 0.25, seed: 1}
                train: {epochs: 2, batch_size: 8}
                grid: {model: [cnn], activation: [%s], depth: [3], width: [4], residual: [%s],
                       initializer: [he_normal, "normal(0,0.5)"], optimizer: ["%s"], learning_rate: [0.01, 0.002],
                       clipping: [%s], seed: [0, 7]}
                stats: {every: 2}
                """.formatted(TestData.MNIST, limit, activation, residual, optimizer, clipping));
    }

    @AfterAll
    static void report() {
        System.out.println("vector cnn vs dl4j, largest relative difference per quantity: " + AGREEMENT.worst);
    }

    static void agree(List<TrialConfig> trials) {
        assertThat(trials).allSatisfy(t -> assertThat(Engine.of(t)).isEqualTo(Engine.VECTOR));
        Split data = Split.of(trials.get(0).dataset());
        java.util.Map<TrialConfig, CollectingSink> sinks = new java.util.HashMap<>();
        var vector = io.gradsweep.testing.Train.vector(trials, data,
                t -> sinks.computeIfAbsent(t, x -> new CollectingSink()));
        for (int i = 0; i < trials.size(); i++) {
            CollectingSink alone = new CollectingSink();
            var dl4j = io.gradsweep.testing.Train.dl4j(trials.get(i), data, alone);
            assertThat(alone.activations).as("DL4J records every block").isNotEmpty();
            AGREEMENT.compare(trials.get(i).canonical(), alone, dl4j, sinks.get(trials.get(i)), vector.get(i));
        }
        AGREEMENT.worst.forEach((quantity, worst) -> {
            if (!quantity.endsWith("_loss") && !quantity.endsWith("_accuracy")) {
                assertThat(worst).as(quantity + ": training must be bit-identical").isZero();
            }
        });
    }

    /** 39 digits: 29 train (minibatches of 8, 8, 8 and 5), 10 test. */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "false; relu; adam; none", "true; relu; adam; none", "false; sigmoid; sgd; 'norm(0.05)', 'norm(0.5)'",
            "true; tanh; rmsprop; 'global_norm(0.05)', 'global_norm(0.5)'",
            "true; elu; nesterov(0.9); 'layer_norm(0.05)', 'layer_norm(1)'"})
    void groupsOfEveryTrialAgreeWithDl4j(String residual, String activation, String optimizer, String clipping) {
        agree(cnn(residual, activation, optimizer, clipping, 39));
    }

    @Test
    void aSingleTrialAgreesWithDl4j() {
        agree(cnn("true", "relu", "adamw", "'value(0.1)'", 39).subList(0, 1));
    }

    @Test
    void aDivergingTrialStopsWhileTheRestOfItsGroupGoesOn() {
        List<TrialConfig> trials = VectorExactnessTest.spec("""
                name: cnn-diverge
                dataset: {name: mnist, path: '%s', limit: 24}
                train: {epochs: 6, batch_size: 8}
                grid: {model: [cnn], activation: [linear], depth: [2], width: [3], residual: [true],
                       initializer: ["normal(0,3)"], optimizer: [sgd], learning_rate: [1000, 0.01], seed: [1]}
                """.formatted(TestData.MNIST));
        agree(trials);
    }

    /**
     * 102 updates, a last short minibatch in each epoch: the parameters themselves, bit for bit, against DL4J graphs
     * fitted on the same minibatches.
     */
    @Test
    void parametersAfter102UpdatesAreDl4jsBitForBit() {
        assertParametersAreDl4jsAfter(cnn("true", "relu", "adam", "none", 540), 102);
    }

    /**
     * Trains {@code trials} (MNIST, minibatches of 8) as one group and each alone as a DL4J graph on the same
     * minibatches; every trial's whole flat vector (batch norm's running statistics included) must be DL4J's.
     */
    static void assertParametersAreDl4jsAfter(List<TrialConfig> trials, int expectedUpdates) {
        Split data = Split.of(trials.get(0).dataset());
        GroupNet group = BatchedCnn.of(trials, data.train());
        List<TrialRecorder> recorders = new ArrayList<>();
        for (int k = 0; k < trials.size(); k++) {
            recorders.add(new TrialRecorder(trials.get(k), new CollectingSink()));
            recorders.get(k).begin(group.layout(k));
        }
        GroupRun run = new GroupRun(recorders, data, group, nanos -> { });
        run.execute();
        double worst = 0;
        for (int k = 0; k < trials.size(); k++) {
            TrialConfig t = trials.get(k);
            Network net = NetworkFactory.build(t, 784, 10);
            Random shuffle = new Random(t.seed());
            int updates = 0;
            for (int epoch = 0; epoch < t.train().epochs(); epoch++) {
                int[] order = Synthetic.permutation(data.train().size(), shuffle);
                for (int from = 0; from < order.length; from += 8, updates++) {
                    Dataset mb = data.train().select(Arrays.copyOfRange(order, from, Math.min(order.length, from + 8)));
                    float[] y = new float[mb.size() * 10];
                    for (int i = 0; i < mb.size(); i++) {
                        y[i * 10 + mb.labels()[i]] = 1;
                    }
                    net.fit(new DataSet(Nd4j.create(mb.features(), new long[] {mb.size(), 784}, DataType.FLOAT),
                            Nd4j.create(y, new long[] {mb.size(), 10}, DataType.FLOAT)));
                }
            }
            assertThat(updates).isEqualTo(expectedUpdates);
            float[] dl4j = net.model().params().toFloatVector();
            float[] mine = Arrays.copyOfRange(run.params(), k * dl4j.length, (k + 1) * dl4j.length);
            for (int i = 0; i < mine.length; i++) {
                worst = Math.max(worst, Math.abs(mine[i] - dl4j[i]) / Math.max(1e-30, Math.abs(dl4j[i])));
            }
            assertThat(mine).as(t.canonical()).containsExactly(dl4j);
        }
        System.out.println("vector cnn parameters after " + expectedUpdates + " updates, largest relative "
                + "difference: " + worst);
    }
}
