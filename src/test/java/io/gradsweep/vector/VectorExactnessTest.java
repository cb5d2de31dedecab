package io.gradsweep.vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.gradsweep.data.Dataset;
import io.gradsweep.data.Split;
import io.gradsweep.data.Synthetic;
import io.gradsweep.model.NetworkFactory;
import io.gradsweep.spec.Grid;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.stats.ParamLayout;
import io.gradsweep.testing.CollectingSink;
import io.gradsweep.testing.Train;
import io.gradsweep.train.Dl4jTrainer;
import io.gradsweep.train.TrialOutcome;
import io.gradsweep.train.TrialRecorder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The vector engine against DL4J, trial by trial: a group of trials that differ in seed (0 included), initializer,
 * learning rate and clipping threshold is trained together, each trial is trained again alone by Dl4jTrainer,
 * and every row and outcome must agree.
 */
class VectorExactnessTest {
    static final double TOLERANCE = 1e-5;
    static final Agreement AGREEMENT = new Agreement(TOLERANCE);

    static List<TrialConfig> group(String dataset, String activation, String optimizer, String clipping,
                                   int every) {
        return Grid.expand(SpecParser.parse("""
                name: exact
                dataset: {name: %s, samples: 44, noise: 0.1, factor: 0.5, seed: 3, classes: 3}
                train: {epochs: 2, batch_size: 8}
                grid: {activation: [%s], depth: [2], width: [3], initializer: ["normal(0,1)", glorot_uniform],
                       optimizer: ["%s"], learning_rate: [0.05, 0.01], clipping: [%s], seed: [0, 7]}
                stats: {every: %d}
                """.formatted(dataset, activation, optimizer, clipping, every)), 100);
    }

    static void agree(List<TrialConfig> trials) {
        agree(trials, AGREEMENT);
    }

    /** Every trial of {@code trials}, trained as one group, against a DL4J run of it alone. */
    static void agree(List<TrialConfig> trials, Agreement agreement) {
        Split data = Split.of(trials.get(0).dataset());
        Map<TrialConfig, CollectingSink> sinks = new HashMap<>();
        List<TrialOutcome> vector = Train.vector(trials, data,
                t -> sinks.computeIfAbsent(t, x -> new CollectingSink()));
        for (int i = 0; i < trials.size(); i++) {
            CollectingSink alone = new CollectingSink();
            TrialOutcome dl4j = Train.dl4j(trials.get(i), data, alone);
            agreement.compare(trials.get(i).canonical(), alone, dl4j, sinks.get(trials.get(i)), vector.get(i));
        }
    }

    static List<TrialConfig> spec(String yaml) {
        return Grid.expand(SpecParser.parse(yaml), 100);
    }

    @AfterAll
    static void report() {
        System.out.println("vector vs dl4j, largest relative difference per quantity: " + AGREEMENT.worst);
    }

    @ParameterizedTest
    @CsvSource({"sigmoid", "tanh", "relu", "leakyrelu(0.1)", "elu", "selu", "softsign", "softplus", "linear",
            "swish", "gelu"})
    void everyActivationWithBothOutputs(String activation) {
        agree(group("circles", activation, "adam", "none", 1));
        agree(group("spirals", activation, "rmsprop", "none", 1));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "sgd; none", "sgd; 'norm(0.05)', 'norm(0.5)'", "momentum(0.9); 'layer_norm(0.05)', 'layer_norm(0.5)'",
            "nesterov(0.9); 'value(0.01)', 'value(0.1)'", "rmsprop; 'global_norm(0.05)', 'global_norm(0.5)'",
            "adam; 'norm(0.05)', 'norm(0.5)'", "adamw(0.05); 'global_norm(0.05)', 'global_norm(0.5)'",
            "adamw; 'layer_norm(0.1)', 'layer_norm(1)'", "rmsprop(0.5); 'value(0.02)', 'value(1)'"})
    void everyOptimizerAndClippingMode(String optimizer, String clipping) {
        agree(group("circles", "tanh", optimizer, clipping.equals("none") ? "none" : clipping, 1));
    }

    @Test
    void singleTrialAndWideLayersWithATestSplitAndSparseRecording() {
        String yaml = """
                name: wide
                dataset: {name: blobs, samples: 90, noise: 1.0, seed: 2, classes: 4, test_fraction: 0.25}
                train: {epochs: 3, batch_size: 16}
                grid: {activation: [relu], widths: [[40, 24]],
                       initializer: [he_uniform, orthogonal, glorot_bengio_standard], optimizer: [adam],
                       learning_rate: [0.01], seed: [1, 2]}
                stats: {every: 3}
                """;
        List<TrialConfig> trials = spec(yaml);
        agree(trials.subList(0, 1));
        agree(trials);
    }

    /** 784 inputs: OpenBLAS blocks the inner dimension of the first layer's products. */
    @Test
    void mnistDigitsThroughAWideInputLayer() {
        agree(spec("""
                name: digits
                dataset: {name: mnist, path: '%s', limit: 200}
                train: {epochs: 1, batch_size: 32}
                grid: {activation: [relu], widths: [[48, 16]], initializer: [he_normal], optimizer: [adam],
                       learning_rate: [0.003, 0.01], clipping: ["global_norm(1)", "global_norm(5)"], seed: [1]}
                """.formatted(io.gradsweep.testing.TestData.MNIST)));
    }

    /** The benchmark's net: full 32-row minibatches into one sigmoid unit, and a last minibatch of one row. */
    @Test
    void theDemoNetAtBatch32AndAMinibatchOfOne() {
        agree(spec("""
                name: demo
                dataset: {name: circles, samples: 65, noise: 0.1, factor: 0.5, seed: 1}
                train: {epochs: 2, batch_size: 32}
                grid: {activation: [sigmoid, relu], depth: [4], width: [5], initializer: ["normal(0,1)"],
                       optimizer: [rmsprop], learning_rate: [0.001, 0.01], seed: [1, 2]}
                """).subList(0, 4));
    }

    @Test
    void aDivergingTrialStopsWhileTheRestOfItsGroupGoesOn() {
        List<TrialConfig> trials = spec("""
                name: diverge
                dataset: {name: spirals, samples: 60, classes: 3, noise: 0.1}
                train: {epochs: 20, batch_size: 16}
                grid: {activation: [linear], depth: [2], width: [3], initializer: ["normal(0,10)"],
                       optimizer: [sgd], learning_rate: [1000, 0.01], seed: [1]}
                """);
        agree(trials);
    }

    @Test
    void aTrialsNumbersDoNotDependOnItsGroup() {
        List<TrialConfig> trials = group("spirals", "tanh", "adam", "'norm(0.05)', 'norm(0.5)'", 1);
        Split data = Split.of(trials.get(0).dataset());
        TrialConfig one = trials.get(5);
        CollectingSink alone = new CollectingSink();
        Train.vector(List.of(one), data, t -> alone);
        Map<TrialConfig, CollectingSink> sinks = new HashMap<>();
        Train.vector(trials, data, t -> sinks.computeIfAbsent(t, x -> new CollectingSink()));
        CollectingSink together = sinks.get(one);
        assertThat(together.gradients).isNotEmpty().isEqualTo(alone.gradients);
        assertThat(together.activations).isEqualTo(alone.activations);
        assertThat(together.epochs).isEqualTo(alone.epochs);
        assertThat(together.histograms).isEqualTo(alone.histograms);
    }

    /** The parameters themselves, against DL4J networks fitted on the same minibatches in Dl4jTrainer's order. */
    @Test
    void parametersAfterTrainingAreDl4jsParameters() {
        List<TrialConfig> trials = group("spirals", "elu", "nesterov(0.9)", "'value(0.01)', 'value(0.1)'", 2);
        Split data = Split.of(trials.get(0).dataset());
        GroupNet group = BatchedMlp.of(trials, data.train());
        List<TrialRecorder> recorders = new ArrayList<>();
        for (int k = 0; k < trials.size(); k++) {
            recorders.add(new TrialRecorder(trials.get(k), new CollectingSink()));
            recorders.get(k).begin(group.layout(k));
        }
        GroupRun run = new GroupRun(recorders, data, group, nanos -> { });
        run.execute();
        for (int k = 0; k < trials.size(); k++) {
            TrialConfig t = trials.get(k);
            MultiLayerNetwork net = NetworkFactory.multiLayer(t, 2, 3);
            Random shuffle = new Random(t.seed());
            for (int epoch = 0; epoch < t.train().epochs(); epoch++) {
                int[] order = Synthetic.permutation(data.train().size(), shuffle);
                for (int from = 0; from < order.length; from += 8) {
                    Dataset mb = data.train().select(Arrays.copyOfRange(order, from, Math.min(order.length, from + 8)));
                    float[] y = new float[mb.size() * 3];
                    for (int i = 0; i < mb.size(); i++) {
                        y[i * 3 + mb.labels()[i]] = 1;
                    }
                    net.fit(new DataSet(Nd4j.create(mb.features(), new long[] {mb.size(), 2}, DataType.FLOAT),
                            Nd4j.create(y, new long[] {mb.size(), 3}, DataType.FLOAT)));
                }
            }
            float[] mine = new float[(int) net.numParams()];
            int at = 0;
            for (ParamLayout.Segment s : group.layout(k).segments()) {
                System.arraycopy(run.params(), s.offset(), mine, at, s.length());
                at += s.length();
            }
            assertThat(mine).as(t.canonical()).containsExactly(net.params().toFloatVector(), offset(1e-5f));
        }
    }
}
