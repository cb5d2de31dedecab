package io.gradsweep.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.gradsweep.data.Dataset;
import io.gradsweep.data.Split;
import io.gradsweep.data.Synthetic;
import io.gradsweep.model.NetworkFactory;
import io.gradsweep.spec.Grid;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.stats.ActivationRow;
import io.gradsweep.stats.EpochRow;
import io.gradsweep.stats.GradientRow;
import io.gradsweep.stats.HistogramRow;
import io.gradsweep.testing.CollectingSink;
import io.gradsweep.testing.Train;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.ops.transforms.Transforms;

class Dl4jTrainerTest {
    static TrialConfig trial(String activation, String init, String optimizer, double lr, int epochs, int every) {
        return trial("circles", activation, init, optimizer, lr, epochs, every);
    }

    static TrialConfig trial(String dataset, String activation, String init, String optimizer, double lr, int epochs,
                             int every) {
        return trial(dataset, activation, init, optimizer, lr, epochs, every, "none");
    }

    static TrialConfig trial(String dataset, String activation, String init, String optimizer, double lr, int epochs,
                             int every, String clipping) {
        return Grid.expand(SpecParser.parse("""
                name: unit
                dataset: {name: %s, samples: 40, noise: 0.1, factor: 0.5, seed: 3, classes: 3}
                train: {epochs: %d, batch_size: 8}
                grid: {activation: [%s], depth: [2], width: [3], initializer: ["%s"], optimizer: ["%s"],
                       learning_rate: [%s], seed: [11], clipping: ["%s"]}
                stats: {every: %d}
                """.formatted(dataset, epochs, activation, init, optimizer, lr, clipping, every)), 10).get(0);
    }

    @Test
    void firstIterationStatisticsMatchAnIndependentComputation() {
        TrialConfig t = trial("tanh", "normal(0,1)", "sgd", 0.5, 1, 1);
        Split data = Split.of(t.dataset());
        CollectingSink sink = new CollectingSink();
        TrialOutcome outcome = Train.dl4j(t, data, sink);
        assertThat(outcome.status()).isEqualTo(TrialOutcome.OK);
        assertThat(sink.gradients).hasSize(5 * 6); // 40/8 iterations x (W,b) x 3 layers

        // Replay iteration 0 on a fresh network with the same seed and the same first minibatch.
        MultiLayerNetwork net = NetworkFactory.multiLayer(t, 2, 2);
        int[] order = Synthetic.permutation(40, new Random(t.seed()));
        Dataset mb = data.train().select(Arrays.copyOfRange(order, 0, 8));
        INDArray x = Dl4jTrainer.features(mb);
        INDArray y = Dl4jTrainer.labels(mb);
        INDArray p = net.output(x, false);
        INDArray hidden0 = net.feedForward(x, true).get(1);
        ActivationRow a0 = sink.activations.get(0);
        assertThat(a0.iteration()).isZero();
        assertThat(a0.layer()).isZero();
        assertThat(a0.n()).isEqualTo(8 * 3);
        assertThat(a0.mean()).isCloseTo(hidden0.meanNumber().doubleValue(), within(1e-6));
        assertThat(a0.saturatedFraction()).isCloseTo(
                Transforms.abs(hidden0).gt(0.99).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).meanNumber()
                        .doubleValue(), within(1e-9));
        assertThat(a0.deadFraction()).as("tanh has no dead units").isNull();
        INDArray hidden1 = net.feedForward(x, true).get(2);
        assertThat(sink.activations.get(1).layer()).isEqualTo(1);
        assertThat(sink.activations.get(1).std()).isCloseTo(hidden1.stdNumber().doubleValue()
                * Math.sqrt((hidden1.length() - 1.0) / hidden1.length()), within(1e-6));
        assertThat(sink.activations.get(2).iteration()).as("hidden layers only: DL4J's training forward pass "
                + "does not hand over the output layer").isEqualTo(1);
        INDArray before = net.params().dup();
        net.setInput(x);
        net.setLabels(y);
        net.computeGradientAndScore();
        for (GradientRow row : sink.gradients.subList(0, 6)) {
            String key = row.layer() + "_" + row.param();
            INDArray g = net.gradient().getGradientFor(key).div(8);
            INDArray w = net.getParam(key);
            double mean = g.meanNumber().doubleValue();
            assertThat(row.iteration()).isZero();
            assertThat(row.gradient().n()).isEqualTo((int) g.length());
            assertThat(row.gradient().mean()).isCloseTo(mean, within(1e-6));
            assertThat(row.gradient().std())
                    .isCloseTo(Math.sqrt(Math.pow(g.sub(mean).norm2Number().doubleValue(), 2) / g.length()), within(1e-6));
            assertThat(row.gradient().meanAbs()).isCloseTo(Transforms.abs(g).meanNumber().doubleValue(), within(1e-6));
            assertThat(row.gradient().l2()).isCloseTo(g.norm2Number().doubleValue(), within(1e-6));
            assertThat(row.gradient().maxAbs()).isCloseTo(g.amaxNumber().doubleValue(), within(1e-6));
            assertThat(row.weight().l2()).isCloseTo(w.norm2Number().doubleValue(), within(1e-5));
        }
        // Mean-loss convention, checked analytically: for sigmoid + binary cross-entropy dL/db_out = mean(p - y).
        GradientRow outBias = sink.gradients.get(5);
        assertThat(outBias.layer()).isEqualTo(2);
        assertThat(outBias.param()).isEqualTo("b");
        assertThat(outBias.gradient().mean()).isCloseTo(p.sub(y).meanNumber().doubleValue(), within(1e-6));

        // Update ratio = ||w_after - w_before|| / ||w_before|| for the step actually applied (sgd: 0.5 * g).
        net.fit(new DataSet(x, y));
        INDArray delta = net.params().sub(before);
        GradientRow firstW = sink.gradients.get(0);
        double deltaL2 = io.gradsweep.stats.Moments.of(delta.toFloatVector(), 0, firstW.gradient().n(), 1).l2();
        assertThat(firstW.updateRatio()).isCloseTo(deltaL2 / firstW.weight().l2(), within(1e-5));
        assertThat(deltaL2).isCloseTo(0.5 * firstW.gradient().l2(), within(1e-5));
        assertThat(sink.gradients.get(1).updateRatio()).as("zero-initialised bias").isNull();
    }

    @Test
    void recordsEveryNthIterationAndOneRowPerEpoch() {
        TrialConfig t = trial("relu", "he_normal", "adam", 0.01, 3, 4);
        CollectingSink sink = new CollectingSink();
        TrialOutcome o = Train.dl4j(t, Split.of(t.dataset()), sink);
        assertThat(o.iterations()).isEqualTo(15);
        assertThat(sink.gradients).extracting(GradientRow::iteration).containsOnly(0L, 4L, 8L, 12L);
        assertThat(sink.gradients).filteredOn(r -> r.iteration() == 8).extracting(GradientRow::epoch).containsOnly(1);
        assertThat(sink.epochs).extracting(EpochRow::epoch).containsExactly(0, 1, 2);
        assertThat(sink.activations).hasSize(4 * 2).extracting(ActivationRow::iteration)
                .containsOnly(0L, 4L, 8L, 12L);
        assertThat(sink.activations).filteredOn(r -> r.layer() < 2)
                .allSatisfy(r -> assertThat(r.deadFraction()).isBetween(0.0, 1.0));
        assertThat(sink.epochs.get(2).trainLoss()).isEqualTo(o.trainLoss());
        assertThat(sink.epochs.get(2).testLoss()).isNull();
    }

    @Test
    void histogramsCoverEveryParameterAtInitAndAfterEachEpoch() {
        TrialConfig t = trial("tanh", "normal(0,1)", "sgd", 0.1, 2, 100);
        CollectingSink sink = new CollectingSink();
        Train.dl4j(t, Split.of(t.dataset()), sink);
        MultiLayerNetwork init = NetworkFactory.multiLayer(t, 2, 2);
        for (String kind : List.of("weight", "gradient")) {
            for (int after = 0; after <= 2; after++) {
                int a = after;
                List<HistogramRow> rows = sink.histograms.stream()
                        .filter(r -> r.kind().equals(kind) && r.afterEpochs() == a && r.layer() == 1
                                && r.param().equals("W")).toList();
                assertThat(rows.stream().mapToLong(HistogramRow::count).sum()).as(kind + " " + after).isEqualTo(9);
            }
        }
        // Independently: initial weights of layer 1 with 0.1 <= |w| < 1 (bin 10) and sign +1.
        long expected = java.util.Arrays.stream(init.getParam("1_W").dup().reshape(9).toDoubleVector())
                .filter(w -> w >= 0.1 && w < 1).count();
        long recorded = sink.histograms.stream().filter(r -> r.kind().equals("weight") && r.afterEpochs() == 0
                && r.layer() == 1 && r.param().equals("W") && r.sign() == 1 && r.bin() == 10)
                .mapToLong(HistogramRow::count).sum();
        assertThat(recorded).isEqualTo(expected);
        assertThat(sink.histograms).filteredOn(r -> r.kind().equals("weight") && r.afterEpochs() == 0
                && r.layer() == 0 && r.param().equals("b")).singleElement().satisfies(r -> {
                    assertThat(r.sign()).as("biases start at zero").isZero();
                    assertThat(r.count()).isEqualTo(3);
                });
    }

    @Test
    void multiClassTrialsUseASoftmaxOutput() {
        TrialConfig t = trial("spirals", "tanh", "glorot_uniform", "adam", 0.05, 5, 5);
        CollectingSink sink = new CollectingSink();
        TrialOutcome o = Train.dl4j(t, Split.of(t.dataset()), sink);
        assertThat(o.status()).isEqualTo(TrialOutcome.OK);
        assertThat(sink.gradients).filteredOn(r -> r.layer() == 2 && r.param().equals("W"))
                .extracting(r -> r.gradient().n()).containsOnly(3 * 3);
        assertThat(o.trainAccuracy()).isBetween(1.0 / 3, 1.0);
    }

    @Test
    void learnsRealMnistDigitsWithATenWaySoftmax() {
        TrialConfig t = Grid.expand(SpecParser.parse("""
                name: mnist-unit
                dataset: {name: mnist, path: '%s', limit: 512}
                train: {epochs: 3, batch_size: 32}
                grid: {activation: [relu], depth: [2], width: [32], initializer: [he_normal], optimizer: [adam],
                       learning_rate: [0.003], seed: [1]}
                stats: {every: 16}
                """.formatted(io.gradsweep.testing.TestData.MNIST)), 1).get(0);
        CollectingSink sink = new CollectingSink();
        TrialOutcome o = Train.dl4j(t, Split.of(t.dataset()), sink);
        assertThat(o.status()).isEqualTo(TrialOutcome.OK);
        assertThat(o.iterations()).isEqualTo(3 * 16);
        assertThat(sink.gradients).filteredOn(r -> r.layer() == 0 && r.param().equals("W"))
                .extracting(r -> r.gradient().n()).containsOnly(784 * 32);
        assertThat(o.trainAccuracy()).as("chance is 0.1").isGreaterThan(0.6);
    }

    /** With sgd at lr 1 the applied step is exactly the clipped gradient, so DL4J's update checks our clip stats. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"none", "norm(0.02)", "layer_norm(0.02)", "value(0.002)",
            "global_norm(0.02)"})
    void clippedNormMatchesTheStepDl4jApplied(String clipping) {
        TrialConfig t = trial("circles", "tanh", "normal(0,1)", "sgd", 1.0, 1, 1, clipping);
        CollectingSink sink = new CollectingSink();
        Train.dl4j(t, Split.of(t.dataset()), sink);
        List<GradientRow> weights = sink.gradients.stream().filter(r -> r.param().equals("W")).toList();
        for (GradientRow r : weights) {
            assertThat(r.updateRatio() * r.weight().l2()).as(r.toString()).isCloseTo(r.clippedL2(), within(2e-6));
        }
        double engaged = sink.gradients.stream().mapToDouble(GradientRow::clipFraction).max().orElseThrow();
        if (clipping.equals("none")) {
            assertThat(weights).allSatisfy(r -> assertThat(r.clippedL2()).isEqualTo(r.gradient().l2()));
            assertThat(engaged).isZero();
        } else {
            assertThat(engaged).as("clipping engaged at least once").isPositive();
        }
        if (clipping.startsWith("global_norm")) {
            for (long it = 0; it < 5; it++) {
                long i = it;
                double global = Math.sqrt(sink.gradients.stream().filter(r -> r.iteration() == i)
                        .mapToDouble(r -> r.clippedL2() * r.clippedL2()).sum());
                assertThat(global).isLessThanOrEqualTo(0.02 + 1e-9);
            }
        }
    }

    @Test
    void metricsFollowKerasConventions() {
        Dataset binary = new Dataset(new float[] {0, 0, 0, 0}, new int[] {1, 0}, 2, 2);
        double[] b = Metrics.evaluate(new float[] {0.8f, 0.6f}, binary);
        assertThat(b[0]).isCloseTo(-(Math.log(0.8f) + Math.log(1 - 0.6f)) / 2, within(1e-7));
        assertThat(b[1]).isEqualTo(0.5);
        Dataset multi = new Dataset(new float[] {0, 0, 0, 0}, new int[] {2, 0}, 2, 3);
        double[] m = Metrics.evaluate(new float[] {0.1f, 0.2f, 0.7f, 0f, 0.5f, 0.5f}, multi);
        assertThat(m[0]).isCloseTo(-(Math.log(0.7f) + Math.log(1e-7)) / 2, within(1e-6));
        assertThat(m[1]).isEqualTo(0.5);
    }

    @Test
    void sameConfigGivesBitIdenticalStatistics() {
        TrialConfig t = trial("sigmoid", "glorot_uniform", "rmsprop", 0.01, 2, 1);
        CollectingSink a = new CollectingSink();
        CollectingSink b = new CollectingSink();
        Train.dl4j(t, Split.of(t.dataset()), a);
        Train.dl4j(t, Split.of(t.dataset()), b);
        assertThat(a.gradients).isNotEmpty().isEqualTo(b.gradients);
        assertThat(a.epochs).isEqualTo(b.epochs);
    }

    @Test
    void divergingTrialStopsEarlyKeepingItsStats() {
        // Softmax + cross-entropy keeps gradients alive when outputs saturate, so a deep linear net blows up.
        TrialConfig t = trial("spirals", "linear", "normal(0,10)", "sgd", 1000, 50, 1);
        CollectingSink sink = new CollectingSink();
        TrialOutcome o = Train.dl4j(t, Split.of(t.dataset()), sink);
        assertThat(o.status()).isEqualTo(TrialOutcome.DIVERGED);
        assertThat(o.iterations()).isLessThan(t.totalIterations());
        assertThat(o.diagnosis()).isEqualTo("exploding");
        assertThat(sink.gradients).isNotEmpty();
        assertThat(sink.gradients.get(sink.gradients.size() - 1).iteration()).isEqualTo(o.iterations() - 1);
    }

    @Test
    void throwingTrialIsReportedAsFailed() {
        TrialConfig t = trial("relu", "he_uniform", "sgd", 0.1, 1, 1);
        System.setProperty(Faults.FAIL_TRIALS, "nope," + t.trialId());
        try {
            TrialOutcome o = Train.dl4j(t, Split.of(t.dataset()), new CollectingSink());
            assertThat(o.status()).isEqualTo(TrialOutcome.FAILED);
            assertThat(o.error()).isEqualTo("java.lang.IllegalStateException: injected failure for trial "
                    + t.trialId() + " (gradsweep.fault.fail-trials)");
            assertThat(o.trainAccuracy()).isNull();
        } finally {
            System.clearProperty(Faults.FAIL_TRIALS);
        }
    }

    @Test
    void aTrialThatFailsWhileTrainingKeepsWhatItRecordedAndTheFullStackTrace() {
        TrialConfig t = trial("relu", "he_uniform", "sgd", 0.1, 3, 1);
        int perEpoch = (int) (t.totalIterations() / 3);
        System.setProperty(Faults.FAIL_DURING, t.trialId() + ":" + (perEpoch + 1));
        try {
            CollectingSink sink = new CollectingSink();
            TrialOutcome o = Train.dl4j(t, Split.of(t.dataset()), sink);
            assertThat(o.status()).isEqualTo(TrialOutcome.FAILED);
            assertThat(o.iterations()).isEqualTo(perEpoch + 1);
            assertThat(o.error()).isEqualTo("java.lang.IllegalStateException: injected failure of trial "
                    + t.trialId() + " after " + (perEpoch + 1) + " updates (gradsweep.fault.fail-during)");
            assertThat(o.errorTrace()).startsWith(o.error() + "\n\tat io.gradsweep.train.Faults.duringTraining(")
                    .contains("\tat io.gradsweep.train.Dl4jTrainer.train(", "\tat io.gradsweep.train.TrialRun.");
            assertThat(sink.epochs).hasSize(1);
            assertThat(o.trainLoss()).isEqualTo(sink.epochs.get(0).trainLoss());
            assertThat(sink.gradients).extracting(GradientRow::iteration).contains((long) perEpoch)
                    .allMatch(i -> i <= perEpoch);
        } finally {
            System.clearProperty(Faults.FAIL_DURING);
        }
    }
}
