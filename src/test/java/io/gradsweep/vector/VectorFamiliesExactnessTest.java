package io.gradsweep.vector;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradsweep.data.Dataset;
import io.gradsweep.data.Split;
import io.gradsweep.data.Synthetic;
import io.gradsweep.model.Network;
import io.gradsweep.model.NetworkFactory;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.testing.CollectingSink;
import io.gradsweep.testing.Train;
import io.gradsweep.train.Dl4jTrainer;
import io.gradsweep.train.TrialOutcome;
import io.gradsweep.train.TrialRecorder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link VectorExactnessTest}'s method for the MLP families beyond the plain one: batch-normalized, residual and
 * both. Groups of trials that differ in seed, initializer, learning rate and clipping threshold train together and
 * every row and outcome must match each trial's DL4J run; the parameters themselves, batch norm's running
 * statistics included, must equal those of DL4J networks fitted on the same minibatches.
 */
class VectorFamiliesExactnessTest {
    static final Agreement AGREEMENT = new Agreement(VectorExactnessTest.TOLERANCE);
    /** The largest relative difference seen between a group's parameters and DL4J's. */
    private static double worstParameter;

    /** 44 examples in minibatches of 8: every epoch ends with a short minibatch of 4. */
    static List<TrialConfig> group(String family, String dataset, String activation, String optimizer,
                                   String clipping) {
        return group(family, dataset, activation, optimizer, clipping, "0, 7");
    }

    static List<TrialConfig> group(String family, String dataset, String activation, String optimizer,
                                   String clipping, String seeds) {
        return VectorExactnessTest.spec("""
                name: family
                dataset: {name: %s, samples: 44, noise: 0.1, factor: 0.5, seed: 3, classes: 3}
                train: {epochs: 2, batch_size: 8}
                grid: {activation: [%s], depth: [3], width: [4], %s,
                       initializer: ["normal(0,1)", glorot_uniform], optimizer: ["%s"], learning_rate: [0.05, 0.01],
                       clipping: [%s], seed: [%s]}
                """.formatted(dataset, activation, family, optimizer, clipping, seeds));
    }

    static final String BN = "batch_norm: [true]";
    static final String SKIP = "residual: [true]";
    static final String BOTH = "batch_norm: [true], residual: [true]";

    @AfterAll
    static void report() {
        System.out.println("vector vs dl4j (bn, residual), largest relative difference per quantity: "
                + AGREEMENT.worst + "; parameters: " + worstParameter);
    }

    @ParameterizedTest
    @CsvSource({"sigmoid", "tanh", "relu", "leakyrelu(0.1)", "elu", "selu", "softsign", "softplus", "linear",
            "swish", "gelu"})
    void everyActivationWithBothOutputs(String activation) {
        VectorExactnessTest.agree(group(BN, "circles", activation, "adam", "none"), AGREEMENT);
        VectorExactnessTest.agree(group(SKIP, "spirals", activation, "rmsprop", "none"), AGREEMENT);
    }

    /** Batch norm refuses layer_norm clipping (DL4J's would rescale the running statistics), so it is left out. */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "sgd; none", "sgd; 'norm(0.05)', 'norm(0.5)'", "momentum(0.9); 'value(0.01)', 'value(0.1)'",
            "nesterov(0.9); 'value(0.01)', 'value(0.1)'", "rmsprop; 'global_norm(0.05)', 'global_norm(0.5)'",
            "adam; 'norm(0.05)', 'norm(0.5)'", "adamw(0.05); 'global_norm(0.05)', 'global_norm(0.5)'",
            "rmsprop(0.5); 'value(0.02)', 'value(1)'"})
    void everyOptimizerAndClippingMode(String optimizer, String clipping) {
        VectorExactnessTest.agree(group(BN, "spirals", "tanh", optimizer, clipping, "0"), AGREEMENT);
        VectorExactnessTest.agree(group(BOTH, "circles", "relu", optimizer, clipping, "3"), AGREEMENT);
    }

    @Test
    void residualNetsUnderPerLayerClipping() {
        VectorExactnessTest.agree(group(SKIP, "spirals", "elu", "adamw", "'layer_norm(0.1)', 'layer_norm(1)'"),
                AGREEMENT);
    }

    @Test
    void singleTrialsAndMnistWithATestSplitAndSparseRecording() {
        for (String family : List.of(BN, SKIP)) {
            List<TrialConfig> trials = VectorExactnessTest.spec("""
                    name: digits
                    dataset: {name: mnist, path: '%s', limit: 150, test_fraction: 0.2}
                    train: {epochs: 2, batch_size: 32}
                    grid: {activation: [relu], depth: [3], width: [24], %s, initializer: [he_normal],
                           optimizer: [adam], learning_rate: [0.003, 0.01], seed: [1, 2]}
                    stats: {every: 3}
                    """.formatted(io.gradsweep.testing.TestData.MNIST, family));
            VectorExactnessTest.agree(trials.subList(0, 1), AGREEMENT);
            VectorExactnessTest.agree(trials, AGREEMENT);
        }
    }

    @Test
    void aDivergingTrialStopsWhileTheRestOfItsGroupGoesOn() {
        for (String family : List.of(BN, SKIP)) {
            List<TrialConfig> trials = VectorExactnessTest.spec("""
                    name: diverge
                    dataset: {name: spirals, samples: 60, classes: 3, noise: 0.1}
                    train: {epochs: 20, batch_size: 16}
                    grid: {activation: [linear], depth: [2], width: [3], %s, initializer: ["normal(0,10)"],
                           optimizer: [sgd], learning_rate: [1000000, 0.01], seed: [1]}
                    """.formatted(family));
            VectorExactnessTest.agree(trials, AGREEMENT);
            Split data = Split.of(trials.get(0).dataset());
            assertThat(Train.dl4j(trials.get(0), data, new CollectingSink()).status()).as(family)
                    .isEqualTo(TrialOutcome.DIVERGED);
            assertThat(Train.dl4j(trials.get(1), data, new CollectingSink()).status()).as(family)
                    .isEqualTo(TrialOutcome.OK);
        }
    }

    @Test
    void parametersAndRunningStatisticsAfterTrainingAreDl4jsParameters() {
        parametersMatch(group(BN, "spirals", "elu", "nesterov(0.9)", "'value(0.01)', 'value(0.1)'"));
        parametersMatch(group(BOTH, "spirals", "tanh", "adam", "'norm(0.05)', 'norm(0.5)'"));
        parametersMatch(group(SKIP, "spirals", "sigmoid", "rmsprop", "none"));
    }

    /** DL4J networks fitted on the same minibatches in Dl4jTrainer's order; every tensor in DL4J's flat order. */
    private static void parametersMatch(List<TrialConfig> trials) {
        Split data = Split.of(trials.get(0).dataset());
        ParamSpace space = Groups.space(trials, data.train());
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
            Network net = NetworkFactory.build(t, 2, 3);
            Random shuffle = new Random(t.seed());
            int batch = t.train().batchSize();
            for (int epoch = 0; epoch < t.train().epochs(); epoch++) {
                int[] order = Synthetic.permutation(data.train().size(), shuffle);
                for (int from = 0; from < order.length; from += batch) {
                    Dataset mb = data.train().select(Arrays.copyOfRange(order, from,
                            Math.min(order.length, from + batch)));
                    net.fit(Dl4jTrainer.minibatch(mb));
                }
            }
            float[] expected = net.model().params().toFloatVector();
            float[] mine = flat(run.params(), space, k, net.paramTable());
            assertThat(mine).hasSameSizeAs(expected);
            for (int i = 0; i < expected.length; i++) {
                double scale = Math.max(Math.abs(expected[i]), Math.abs(mine[i]));
                worstParameter = Math.max(worstParameter, scale == 0 ? 0 : Math.abs(expected[i] - mine[i]) / scale);
            }
            assertThat(mine).as(t.canonical()).containsExactly(expected);
        }
    }

    /** Trial k's tensors in DL4J's flat order, found by their DL4J names. */
    private static float[] flat(float[] params, ParamSpace space, int k, Map<String, INDArray> table) {
        float[] out = new float[table.values().stream().mapToInt(a -> (int) a.length()).sum()];
        int at = 0;
        for (String key : table.keySet()) {
            int offset = -1;
            for (int l = 0; l < space.layers() && offset < 0; l++) {
                if (key.equals(space.denseOwner(l) + "_W")) {
                    offset = space.weight(l, k);
                } else if (key.equals(space.denseOwner(l) + "_b")) {
                    offset = space.bias(l, k);
                }
                for (int p = 0; space.hasBatchNorm(l) && p < ParamSpace.BN_PARAMS.size(); p++) {
                    if (key.equals(space.bnOwner(l) + "_" + ParamSpace.BN_PARAMS.get(p))) {
                        offset = space.bn(l, p, k);
                    }
                }
            }
            assertThat(offset).as(key).isNotNegative();
            int n = (int) table.get(key).length();
            System.arraycopy(params, offset, out, at, n);
            at += n;
        }
        return out;
    }
}
