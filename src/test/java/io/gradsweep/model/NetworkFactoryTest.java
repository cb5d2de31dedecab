package io.gradsweep.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.gradsweep.spec.Grid;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.spec.TrialConfig;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.conf.weightnoise.WeightNoise;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.regularization.WeightDecay;

class NetworkFactoryTest {
    static TrialConfig trial(String grid) {
        return Grid.expand(SpecParser.parse("""
                name: nf
                dataset: {name: blobs, classes: 3, samples: 30, noise: 1.0}
                train: {epochs: 1, batch_size: 8}
                grid: {%s}
                """.formatted(grid)), 10).get(0);
    }

    static void assertIdentity(INDArray m) {
        INDArray eye = Nd4j.eye(m.rows()).castTo(m.dataType());
        assertThat(m.sub(eye).norm2Number().doubleValue()).isLessThan(1e-5);
    }

    @Test
    void orthogonalInitGivesOrthonormalRowsOrColumns() {
        MultiLayerNetwork net = NetworkFactory.multiLayer(trial("activation: [tanh], depth: [2], width: [6], "
                + "initializer: [orthogonal], seed: [4]"), 2, 3);
        INDArray wide = net.getParam("0_W");   // 2 x 6: orthonormal rows
        INDArray square = net.getParam("1_W"); // 6 x 6: orthogonal
        INDArray tall = net.getParam("2_W");   // 6 x 3: orthonormal columns
        assertIdentity(wide.mmul(wide.transpose()));
        assertIdentity(square.transpose().mmul(square));
        assertIdentity(tall.transpose().mmul(tall));
        MultiLayerNetwork again = NetworkFactory.multiLayer(trial("activation: [tanh], depth: [2], width: [6], "
                + "initializer: [orthogonal], seed: [4]"), 2, 3);
        assertThat(again.params()).isEqualTo(net.params());
    }

    @Test
    void normalInitHasTheRequestedMoments() {
        MultiLayerNetwork net = NetworkFactory.multiLayer(trial("activation: [relu], depth: [1], width: [400], "
                + "initializer: [\"normal(0.5,2)\"]"), 2, 3);
        INDArray w = net.getParam("0_W");
        assertThat(w.meanNumber().doubleValue()).isCloseTo(0.5, within(0.2));
        assertThat(w.stdNumber().doubleValue()).isCloseTo(2.0, within(0.15));
        assertThat(net.getParam("0_b").sumNumber().doubleValue()).isZero();
    }

    /** Glorot and Bengio's standard init: U[-1/sqrt(n_in), 1/sqrt(n_in)] per layer, its own fan-in each. */
    @Test
    void glorotBengioStandardInitIsUniformOverOneOverRootFanIn() {
        MultiLayerNetwork net = NetworkFactory.multiLayer(trial("activation: [tanh], depth: [2], width: [400], "
                + "initializer: [glorot_bengio_standard], seed: [3]"), 100, 3);
        for (String param : List.of("0_W", "1_W", "2_W")) {
            INDArray w = net.getParam(param);
            double a = 1 / Math.sqrt(w.rows());
            double max = w.amaxNumber().doubleValue();
            assertThat(max).as(param).isLessThanOrEqualTo(a).isGreaterThan(0.99 * a);
            assertThat(w.meanNumber().doubleValue()).as(param).isCloseTo(0, within(0.1 * a));
            // A uniform on [-a, a] has std a / sqrt(3); glorot_uniform's would be sqrt(2 / (n_in + n_out)).
            assertThat(w.stdNumber().doubleValue()).as(param).isCloseTo(a / Math.sqrt(3), within(0.03 * a));
        }
        assertThat(net.getParam("1_b").sumNumber().doubleValue()).isZero();
    }

    /** Spark's data-parallel workers rebuild the net from its JSON: the probes must survive it, unarmed. */
    @Test
    void deltaProbesSurviveTheJsonRoundTripAroundTheSameFunction() {
        MultiLayerNetwork net = NetworkFactory.multiLayer(trial("activation: [softsign], depth: [2], width: [3]"),
                2, 3);
        var conf = net.getLayerWiseConfigurations();
        var again = org.deeplearning4j.nn.conf.MultiLayerConfiguration.fromJson(conf.toJson());
        assertThat(again).isEqualTo(conf);
        for (int l = 0; l < 2; l++) {
            var fn = ((BaseLayer) again.getConf(l).getLayer()).getActivationFn();
            assertThat(fn).isInstanceOf(DeltaProbe.class);
            assertThat(DeltaProbe.unwrap(fn)).isInstanceOf(org.nd4j.linalg.activations.impl.ActivationSoftSign.class);
            assertThat(((DeltaProbe) fn).take()).isNull();
        }
        // The output layer keeps its own function: its delta is the loss's, not a hidden layer's.
        assertThat(((BaseLayer) again.getConf(2).getLayer()).getActivationFn()).isNotInstanceOf(DeltaProbe.class);
    }

    @Test
    void dropoutFollowsEveryHiddenLayerAsInKeras() {
        MultiLayerNetwork net = NetworkFactory.multiLayer(trial("activation: [relu], depth: [2], width: [4], "
                + "dropout: [0.25]"), 2, 3);
        assertThat(net.getLayer(0).conf().getLayer().getIDropout()).as("no dropout on the input").isNull();
        for (int i = 1; i <= 2; i++) {
            Dropout d = (Dropout) net.getLayer(i).conf().getLayer().getIDropout();
            assertThat(d.getP()).as("DL4J takes the retain probability").isEqualTo(0.75);
        }
        INDArray x = Nd4j.rand(5, 2);
        assertThat(net.output(x, false)).as("inference is deterministic").isEqualTo(net.output(x, false));
    }

    @Test
    void adamwAddsDecoupledWeightDecay() {
        MultiLayerNetwork net = NetworkFactory.multiLayer(trial("activation: [relu], depth: [1], width: [4], "
                + "optimizer: [\"adamw(0.01)\"]"), 2, 3);
        for (int i = 0; i < 2; i++) {
            BaseLayer layer = (BaseLayer) net.getLayer(i).conf().getLayer();
            for (var regs : List.of(layer.getRegularization(), layer.getRegularizationBias())) {
                assertThat(regs).as("exactly once, weights and biases").singleElement()
                        .isInstanceOfSatisfying(WeightDecay.class, wd -> {
                            assertThat(wd.getCoeff().valueAt(0, 0)).isEqualTo(0.01);
                            assertThat(wd.isApplyLR()).isTrue();
                        });
            }
        }
        BaseLayer plain = (BaseLayer) NetworkFactory.multiLayer(trial("activation: [relu], depth: [1], width: [4], "
                + "optimizer: [adam]"), 2, 3).getLayer(0).conf().getLayer();
        assertThat(plain.getRegularization()).isEmpty();
    }
}
