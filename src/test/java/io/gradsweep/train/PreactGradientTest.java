package io.gradsweep.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradsweep.data.Dataset;
import io.gradsweep.data.Split;
import io.gradsweep.data.Synthetic;
import io.gradsweep.model.NetworkFactory;
import io.gradsweep.spec.Grid;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.stats.ActivationRow;
import io.gradsweep.stats.Moments;
import io.gradsweep.testing.CollectingSink;
import io.gradsweep.testing.Train;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * dL/ds in the activations table against central finite differences of the mean minibatch loss, computed in double
 * precision by a forward pass written out here from the network's initial weights: none of DL4J's or the vector
 * engine's backward code is involved. Iteration 0 is recorded before the first update, at those weights, on the
 * first minibatch of the trainer's shuffle.
 */
class PreactGradientTest {
    private static final double H = 1e-5;

    static TrialConfig trial(String activation) {
        return Grid.expand(SpecParser.parse("""
                name: dlds
                dataset: {name: blobs, classes: 3, samples: 40, noise: 1.0, seed: 5}
                train: {epochs: 1, batch_size: 8}
                grid: {activation: [%s], widths: [[4, 3]], initializer: [glorot_bengio_standard],
                       optimizer: [sgd], learning_rate: [0.1], seed: [11]}
                """.formatted(activation)), 10).get(0);
    }

    @ParameterizedTest
    @CsvSource({"tanh", "sigmoid", "softsign"})
    void bothEnginesRecordTheFiniteDifferenceGradientOfTheMeanLoss(String activation) {
        TrialConfig t = trial(activation);
        Split data = Split.of(t.dataset());
        double[][] expected = finiteDifferences(t, data.train());
        CollectingSink dl4j = new CollectingSink();
        Train.dl4j(t, data, dl4j);
        CollectingSink vector = new CollectingSink();
        Train.vector(List.of(t), data, x -> vector);
        for (CollectingSink sink : List.of(dl4j, vector)) {
            List<ActivationRow> first = sink.activations.stream().filter(r -> r.iteration() == 0).toList();
            assertThat(first).extracting(ActivationRow::layer).containsExactly(0, 1);
            for (ActivationRow row : first) {
                double[] fd = expected[row.layer()];
                Moments m = row.preactGradient();
                String at = (sink == dl4j ? "dl4j" : "vector") + " layer " + row.layer();
                assertThat(m).as(at).isNotNull();
                assertThat(m.n()).as(at).isEqualTo(fd.length);
                double l2 = Math.sqrt(Arrays.stream(fd).map(v -> v * v).sum());
                double mean = Arrays.stream(fd).average().orElseThrow();
                double meanAbs = Arrays.stream(fd).map(Math::abs).average().orElseThrow();
                double std = Math.sqrt(Arrays.stream(fd).map(v -> (v - mean) * (v - mean)).sum() / fd.length);
                double maxAbs = Arrays.stream(fd).map(Math::abs).max().orElseThrow();
                assertThat(l2).as("the gradient is not trivially zero").isGreaterThan(1e-4);
                close(at + " l2", m.l2(), l2, l2);
                close(at + " mean", m.mean(), mean, meanAbs);
                close(at + " mean_abs", m.meanAbs(), meanAbs, meanAbs);
                close(at + " std", m.std(), std, std);
                close(at + " max_abs", m.maxAbs(), maxAbs, maxAbs);
            }
        }
    }

    private static void close(String what, double actual, double expected, double scale) {
        assertThat(Math.abs(actual - expected)).as(what + ": " + actual + " vs " + expected)
                .isLessThanOrEqualTo(1e-4 * scale);
    }

    /** d(mean loss)/ds for every example and unit of each hidden layer, row-major [examples, units]. */
    private static double[][] finiteDifferences(TrialConfig t, Dataset train) {
        int batch = t.train().batchSize();
        int[] order = Synthetic.permutation(train.size(), new Random(t.seed()));
        Dataset mb = train.select(Arrays.copyOfRange(order, 0, batch));
        MultiLayerNetwork net = NetworkFactory.multiLayer(t, train.numFeatures(), train.numClasses());
        Forward f = new Forward(net, t.activation().function().name(), mb);
        double[][] out = new double[2][];
        for (int layer = 0; layer < 2; layer++) {
            double[] s = f.pre(layer);
            out[layer] = new double[s.length];
            for (int i = 0; i < s.length; i++) {
                double keep = s[i];
                s[i] = keep + H;
                double up = f.lossFrom(layer, s);
                s[i] = keep - H;
                double down = f.lossFrom(layer, s);
                s[i] = keep;
                out[layer][i] = (up - down) / (2 * H);
            }
        }
        return out;
    }

    /** The 2-4-3-3 softmax net in double precision: s = a W + b per layer, mean cross-entropy at the end. */
    private static final class Forward {
        private final double[][][] w = new double[3][][];
        private final double[][] b = new double[3][];
        private final ToDoubleFunction<Double> f;
        private final Dataset mb;

        Forward(MultiLayerNetwork net, String activation, Dataset mb) {
            this.mb = mb;
            for (int l = 0; l < 3; l++) {
                w[l] = net.getParam(l + "_W").castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleMatrix();
                b[l] = net.getParam(l + "_b").castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleVector();
            }
            f = switch (activation) {
                case "TANH" -> Math::tanh;
                case "SIGMOID" -> x -> 1 / (1 + Math.exp(-x));
                case "SOFTSIGN" -> x -> x / (1 + Math.abs(x));
                default -> throw new IllegalArgumentException(activation);
            };
        }

        /** Layer {@code layer}'s pre-activations on the minibatch, [examples, units]. */
        double[] pre(int layer) {
            double[] a = new double[mb.size() * mb.numFeatures()];
            for (int i = 0; i < a.length; i++) {
                a[i] = mb.features()[i];
            }
            for (int l = 0; ; l++) {
                double[] s = affine(l, a);
                if (l == layer) {
                    return s;
                }
                a = apply(s);
            }
        }

        /** The mean loss with layer {@code layer}'s pre-activations set to {@code s}. */
        double lossFrom(int layer, double[] s) {
            double[] z = s;
            for (int l = layer + 1; l < 3; l++) {
                z = affine(l, apply(z));
            }
            int k = b[2].length;
            double loss = 0;
            for (int r = 0; r < mb.size(); r++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < k; j++) {
                    max = Math.max(max, z[r * k + j]);
                }
                double sum = 0;
                for (int j = 0; j < k; j++) {
                    sum += Math.exp(z[r * k + j] - max);
                }
                loss -= z[r * k + mb.labels()[r]] - max - Math.log(sum);
            }
            return loss / mb.size();
        }

        private double[] apply(double[] s) {
            double[] a = new double[s.length];
            for (int i = 0; i < s.length; i++) {
                a[i] = f.applyAsDouble(s[i]);
            }
            return a;
        }

        private double[] affine(int l, double[] a) {
            int in = w[l].length;
            int out = b[l].length;
            int rows = a.length / in;
            double[] s = new double[rows * out];
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < out; j++) {
                    double v = b[l][j];
                    for (int i = 0; i < in; i++) {
                        v += a[r * in + i] * w[l][i][j];
                    }
                    s[r * out + j] = v;
                }
            }
            return s;
        }
    }
}
