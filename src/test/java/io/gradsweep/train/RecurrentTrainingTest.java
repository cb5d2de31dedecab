package io.gradsweep.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.gradsweep.data.Dataset;
import io.gradsweep.data.Split;
import io.gradsweep.data.Synthetic;
import io.gradsweep.model.Network;
import io.gradsweep.model.NetworkFactory;
import io.gradsweep.spec.Grid;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.stats.ActivationRow;
import io.gradsweep.stats.EpochRow;
import io.gradsweep.stats.GradientRow;
import io.gradsweep.stats.TimestepRow;
import io.gradsweep.testing.CollectingSink;
import io.gradsweep.testing.Train;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

class RecurrentTrainingTest {
    static TrialConfig trial(String model, int samples, int length, int epochs, String grid) {
        return trial(model, samples, length, epochs, grid, 1);
    }

    static TrialConfig trial(String model, int samples, int length, int epochs, String grid, int every) {
        return Grid.expand(SpecParser.parse("""
                name: rnn-unit
                dataset: {name: adding, samples: %d, length: %d, seed: 5}
                train: {epochs: %d, batch_size: 16}
                grid: {model: [%s], %s}
                stats: {every: %d}
                """.formatted(samples, length, epochs, model, grid, every)), 10).get(0);
    }

    static CollectingSink train(TrialConfig t, TrialOutcome[] outcome) {
        CollectingSink sink = new CollectingSink();
        outcome[0] = Train.dl4j(t, Split.of(t.dataset()), sink);
        return sink;
    }

    /** The first minibatch the trainer draws: the trial seed's first permutation. */
    static Dataset firstMinibatch(TrialConfig t) {
        Dataset all = Split.of(t.dataset()).train();
        int[] order = Synthetic.permutation(all.size(), new Random(t.seed()));
        return all.select(Arrays.copyOfRange(order, 0, t.train().batchSize()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"simple_rnn", "lstm"})
    void tinyRecurrentTrialsRecordEveryParameterLayerAndStep(String model) {
        TrialConfig t = trial(model, 48, 6, 1, "activation: [tanh], depth: [2], width: [3], seed: [2]");
        TrialOutcome[] outcome = new TrialOutcome[1];
        CollectingSink sink = train(t, outcome);
        assertThat(outcome[0].status()).isEqualTo(TrialOutcome.OK);
        assertThat(outcome[0].iterations()).isEqualTo(3);
        assertThat(outcome[0].trainLoss()).isPositive().isFinite();
        assertThat(outcome[0].trainAccuracy()).as("regression has no accuracy").isNull();
        assertThat(sink.epochs).singleElement().extracting(EpochRow::trainAccuracy).isNull();

        int gates = model.equals("lstm") ? 4 : 1;
        List<GradientRow> first = sink.gradients.stream().filter(r -> r.iteration() == 0).toList();
        assertThat(first).extracting(r -> r.layer() + ":" + r.param() + ":" + r.gradient().n()).containsExactly(
                "0:W:" + 2 * 3 * gates, "0:RW:" + 3 * 3 * gates, "0:b:" + 3 * gates,
                "1:W:" + 3 * 3 * gates, "1:RW:" + 3 * 3 * gates, "1:b:" + 3 * gates, "2:W:3", "2:b:1");
        assertThat(sink.gradients).allSatisfy(r -> assertThat(r.gradient().l2()).isFinite());

        // Every unit at every step is an output; rows of a unit's outputs span all steps of all examples.
        assertThat(sink.activations).filteredOn(a -> a.iteration() == 0).extracting(ActivationRow::layer,
                ActivationRow::n).containsExactly(org.assertj.core.groups.Tuple.tuple(0, 16 * 3 * 6),
                org.assertj.core.groups.Tuple.tuple(1, 16 * 3 * 6));
        // DL4J applies a recurrent layer's activation once per step and gate: no one dL/ds tensor to record.
        assertThat(sink.activations).allSatisfy(a -> assertThat(a.preactGradient()).isNull());

        assertThat(sink.timesteps).hasSize(3 * 2 * 6);
        assertThat(sink.timesteps).filteredOn(r -> r.iteration() == 2).extracting(r -> r.layer() + "@" + r.t()
                + ":" + r.n()).containsExactly("0@0:32", "0@1:32", "0@2:32", "0@3:32", "0@4:32", "0@5:32",
                "1@0:48", "1@1:48", "1@2:48", "1@3:48", "1@4:48", "1@5:48");
        assertThat(sink.timesteps).allSatisfy(r -> assertThat(r.l2()).isPositive().isFinite()
                .isGreaterThanOrEqualTo(r.maxAbs()));
    }

    @Test
    void sequencesAreEvaluatedInChunksWithTheSameOutputs() {
        TrialConfig t = trial("simple_rnn", 23, 4, 1, "activation: [tanh], depth: [1], width: [2]");
        Network net = NetworkFactory.build(t, 2, 0);
        Dataset d = Split.of(t.dataset()).train();
        float[] whole = Dl4jTrainer.outputs(net, d, d.size());
        assertThat(whole).hasSize(23);
        assertThat(Dl4jTrainer.outputs(net, d, 5)).containsExactly(whole, within(1e-6f));
    }

    @Test
    void timestepGradientsAreRecordedOnlyOnRecordedIterations() {
        TrialConfig t = trial("lstm", 64, 4, 2, "activation: [tanh], depth: [1], width: [2]", 3);
        CollectingSink sink = train(t, new TrialOutcome[1]);
        assertThat(sink.timesteps).extracting(TimestepRow::iteration).containsOnly(0L, 3L, 6L);
        assertThat(sink.timesteps).filteredOn(r -> r.iteration() == 6).extracting(TimestepRow::epoch).containsOnly(1);
    }

    /** A small LSTM finds the two marked values: its MSE falls to half the 1/6 of predicting the mean, and lower. */
    @Test
    void anLstmLearnsTheAddingProblemOnShortSequences() {
        TrialConfig t = Grid.expand(SpecParser.parse("""
                name: rnn-learns
                dataset: {name: adding, samples: 800, length: 5, seed: 1, test_fraction: 0.25}
                train: {epochs: 8, batch_size: 32}
                grid: {model: [lstm], activation: [tanh], depth: [1], width: [16], learning_rate: [0.01], seed: [1]}
                stats: {every: 50}
                """), 1).get(0);
        TrialOutcome[] outcome = new TrialOutcome[1];
        CollectingSink sink = train(t, outcome);
        assertThat(outcome[0].status()).isEqualTo(TrialOutcome.OK);
        assertThat(outcome[0].testLoss()).as("test MSE; the constant predictor scores 1/6").isLessThan(1.0 / 12)
                .isLessThan(sink.epochs.get(0).testLoss() / 2);
        assertThat(outcome[0].testAccuracy()).isNull();
    }

    /** Units of a recurrent layer are dead only if they output zero at every step of every example. */
    @Test
    void aRecurrentUnitIsDeadOnlyWhenZeroAtEveryStep() {
        float[] values = new float[2 * 3 * 4]; // [example][unit][step]
        for (int s = 0; s < 4; s++) {
            values[s] = 0.5f; // example 0, unit 0: always on
        }
        values[(3 + 2) * 4 + 3] = 0.25f; // example 1, unit 2: on at the last step only; unit 1 never
        INDArray a = org.nd4j.linalg.factory.Nd4j.create(values, new long[] {2, 3, 4}, 'c').dup('f');
        CollectingSink sink = new CollectingSink();
        TrialConfig relu = Grid.expand(SpecParser.parse("""
                name: dead
                dataset: {name: adding, samples: 20, length: 4, seed: 1}
                train: {epochs: 1, batch_size: 4}
                grid: {model: [simple_rnn], activation: [relu], depth: [1], width: [3]}
                """), 10).get(0);
        StatsListener listener = new StatsListener(new TrialRecorder(relu, sink), java.util.Map.of("layer0", 0),
                java.util.Map.of());
        listener.beginIteration(0, 0, 2, -1);
        listener.onForwardPass(null, java.util.Map.of("layer0", a));
        assertThat(sink.activations).singleElement().satisfies(r -> {
            assertThat(r.n()).isEqualTo(24);
            assertThat(r.deadFraction()).isEqualTo(1.0 / 3);
            assertThat(r.mean()).isCloseTo((4 * 0.5 + 0.25) / 24, within(1e-9));
        });
    }

    /**
     * Replays iteration 0 of a SimpleRnn by hand: backprop through time in double precision from the fresh net's
     * parameters, h_t = tanh(u_t W + h_{t-1} RW + b), y = h_T W_out + b_out, L = mean (y - target)^2.
     */
    @Test
    void simpleRnnTimestepGradientsMatchBackpropThroughTimeByHand() {
        TrialConfig t = trial("simple_rnn", 48, 6, 1, "activation: [tanh], depth: [2], width: [3], seed: [2]");
        CollectingSink sink = train(t, new TrialOutcome[1]);
        Network fresh = NetworkFactory.build(t, 2, 0);
        Dataset mb = firstMinibatch(t);
        int n = mb.size();
        int steps = 6;
        double[][][] in = new double[n][steps][2];
        for (int e = 0; e < n; e++) {
            for (int s = 0; s < steps; s++) {
                for (int f = 0; f < 2; f++) {
                    in[e][s][f] = mb.feature(e, f * steps + s);
                }
            }
        }
        double[][][][] h = new double[2][][][];
        for (int l = 0; l < 2; l++) {
            h[l] = forward(l == 0 ? in : h[l - 1], param(fresh, "layer" + l + "_W"), param(fresh, "layer" + l + "_RW"),
                    param(fresh, "layer" + l + "_b")[0]);
        }
        double[][] wOut = param(fresh, "out_W");
        double bOut = param(fresh, "out_b")[0][0];
        double[][][] eps = new double[n][steps][3];
        float[] outputs = fresh.output(Dl4jTrainer.features(mb)).toFloatVector();
        for (int e = 0; e < n; e++) {
            double y = bOut;
            for (int j = 0; j < 3; j++) {
                y += h[1][e][steps - 1][j] * wOut[j][0];
            }
            assertThat(outputs[e]).as("the hand forward pass is DL4J's").isCloseTo((float) y, within(1e-5f));
            double dy = 2 * (y - mb.targets()[e]) / n;
            for (int j = 0; j < 3; j++) {
                eps[e][steps - 1][j] = dy * wOut[j][0];
            }
        }
        for (int l = 1; l >= 0; l--) {
            eps = backward(eps, h[l], param(fresh, "layer" + l + "_W"), param(fresh, "layer" + l + "_RW"));
            for (int s = 0; s < steps; s++) {
                double sumSq = 0;
                for (double[][] example : eps) {
                    for (double g : example[s]) {
                        sumSq += g * g;
                    }
                }
                int layer = l;
                int step = s;
                TimestepRow row = sink.timesteps.stream().filter(r -> r.iteration() == 0 && r.layer() == layer
                        && r.t() == step).findFirst().orElseThrow();
                assertThat(row.l2()).as("layer %d step %d", l, s).isCloseTo(Math.sqrt(sumSq),
                        within(1e-4 * Math.sqrt(sumSq) + 1e-9));
            }
        }
    }

    /**
     * Replays iteration 0 of an LSTM through DL4J's public API on another net: a fresh MultiLayerNetwork with the
     * fresh graph's parameters, whose calculateGradients returns dL/dx of the summed loss (layer 0); the same for
     * the top layer alone, fed layer 0's output sequence, gives layer 1's input gradient.
     */
    @Test
    void lstmTimestepGradientsMatchCalculateGradientsOnAnEquivalentNet() {
        TrialConfig t = trial("lstm", 48, 6, 1, "activation: [tanh], depth: [2], width: [3], seed: [2]");
        CollectingSink sink = train(t, new TrialOutcome[1]);
        Network fresh = NetworkFactory.build(t, 2, 0);
        Dataset mb = firstMinibatch(t);
        INDArray x = Dl4jTrainer.features(mb);
        INDArray y = Dl4jTrainer.labels(mb);
        MultiLayerNetwork whole = twin(fresh, 2, 0);
        assertThat(whole.output(x).toFloatVector()).containsExactly(fresh.output(x).toFloatVector(), within(1e-6f));
        INDArray h0 = ((org.deeplearning4j.nn.graph.ComputationGraph) fresh.model()).feedForward(x, true).get("layer0");
        INDArray[] inputGradients = {whole.calculateGradients(x, y, null, null).getSecond(),
                twin(fresh, 3, 1).calculateGradients(h0, y, null, null).getSecond()};
        for (int layer = 0; layer < 2; layer++) {
            for (int s = 0; s < 6; s++) {
                double expected = inputGradients[layer].get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(s))
                        .norm2Number().doubleValue() / mb.size();
                int l = layer;
                int step = s;
                assertThat(sink.timesteps.stream().filter(r -> r.iteration() == 0 && r.layer() == l && r.t() == step)
                        .findFirst().orElseThrow().l2()).as("layer %d step %d", layer, s)
                        .isCloseTo(expected, within(1e-5 * expected));
            }
        }
    }

    /** LSTM layers {@code from}..1 of the trial's 3-unit net, then last step and the linear unit, as a plain list. */
    private static MultiLayerNetwork twin(Network fresh, int nIn, int from) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).list();
        int index = 0;
        for (int l = from; l < 2; l++) {
            LSTM lstm = new LSTM.Builder().nIn(l == 0 ? nIn : 3).nOut(3).activation(new ActivationTanH()).build();
            list.layer(index++, l == 1 ? new LastTimeStep(lstm) : lstm);
        }
        list.layer(index, new OutputLayer.Builder(LossFunction.MSE).nIn(3).nOut(1)
                .activation(new ActivationIdentity()).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        fresh.paramTable().forEach((key, value) -> {
            String owner = key.substring(0, key.indexOf('_'));
            int layer = owner.equals("out") ? 2 : Integer.parseInt(owner.substring(5));
            if (layer >= from) {
                net.setParam((layer - from) + key.substring(key.indexOf('_')), value);
            }
        });
        return net;
    }

    private static double[][] param(Network net, String key) {
        return net.paramTable().get(key).castTo(DataType.DOUBLE).toDoubleMatrix();
    }

    /** Outputs [example][step][unit] of a tanh SimpleRnn over inputs [example][step][feature]. */
    private static double[][][] forward(double[][][] in, double[][] w, double[][] rw, double[] b) {
        int units = b.length;
        double[][][] h = new double[in.length][in[0].length][units];
        for (int e = 0; e < in.length; e++) {
            for (int s = 0; s < in[e].length; s++) {
                for (int j = 0; j < units; j++) {
                    double z = b[j];
                    for (int k = 0; k < w.length; k++) {
                        z += in[e][s][k] * w[k][j];
                    }
                    for (int i = 0; s > 0 && i < units; i++) {
                        z += h[e][s - 1][i] * rw[i][j];
                    }
                    h[e][s][j] = Math.tanh(z);
                }
            }
        }
        return h;
    }

    /** Gradient w.r.t. the layer's inputs, given the gradient w.r.t. its outputs from above: BPTT, last step first. */
    private static double[][][] backward(double[][][] fromAbove, double[][][] h, double[][] w, double[][] rw) {
        int units = rw.length;
        double[][][] grad = new double[h.length][h[0].length][w.length];
        for (int e = 0; e < h.length; e++) {
            double[] next = new double[units];
            for (int s = h[e].length - 1; s >= 0; s--) {
                double[] delta = new double[units];
                for (int j = 0; j < units; j++) {
                    double dh = fromAbove[e][s][j];
                    for (int m = 0; m < units; m++) {
                        dh += next[m] * rw[j][m];
                    }
                    delta[j] = dh * (1 - h[e][s][j] * h[e][s][j]);
                }
                for (int k = 0; k < w.length; k++) {
                    for (int j = 0; j < units; j++) {
                        grad[e][s][k] += delta[j] * w[k][j];
                    }
                }
                next = delta;
            }
        }
        return grad;
    }
}
