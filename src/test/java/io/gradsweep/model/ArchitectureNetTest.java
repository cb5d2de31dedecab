package io.gradsweep.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.gradsweep.spec.Grid;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.stats.ParamLayout;
import io.gradsweep.stats.ParamLayout.Segment;
import io.gradsweep.testing.TestData;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

class ArchitectureNetTest {
    static TrialConfig trial(String dataset, String grid) {
        return Grid.expand(SpecParser.parse("""
                name: arch
                dataset: %s
                train: {epochs: 1, batch_size: 8}
                grid: {%s}
                """.formatted(dataset, grid)), 10).get(0);
    }

    static TrialConfig blobs(String grid) {
        return trial("{name: blobs, classes: 3, samples: 30, noise: 1.0}", grid);
    }

    /** Each segment must be exactly its parameter's values: compare sums and sums of squares. */
    static void assertLayoutMatchesParamTable(Network net, ParamLayout layout) {
        float[] flat = net.model().params().toFloatVector();
        Map<String, INDArray> table = net.paramTable();
        for (Segment s : layout.segments()) {
            INDArray p = table.entrySet().stream()
                    .filter(e -> e.getKey().endsWith("_" + s.param())
                            && net.paramOwners().get(e.getKey().substring(0, e.getKey().indexOf('_'))) == s.layer())
                    .findFirst().orElseThrow().getValue();
            double sum = 0;
            double sumSq = 0;
            for (int i = s.offset(); i < s.offset() + s.length(); i++) {
                sum += flat[i];
                sumSq += (double) flat[i] * flat[i];
            }
            assertThat(s.length()).isEqualTo(p.length());
            assertThat(sum).as("%s", s).isCloseTo(p.sumNumber().doubleValue(), within(1e-4));
            assertThat(sumSq).as("%s", s).isCloseTo(p.mul(p).sumNumber().doubleValue(), within(1e-4));
        }
    }

    @Test
    void batchNormLayersReportUnderTheirHiddenLayerWithoutRunningStatistics() {
        Network net = NetworkFactory.build(blobs("activation: [relu], widths: [[6, 4]], batch_norm: [true]"), 2, 3);
        assertThat(net.model()).isInstanceOf(MultiLayerNetwork.class);
        ParamLayout layout = ParamLayout.of(net.paramTable(), net.paramOwners());
        assertThat(layout.segments()).extracting(s -> s.layer() + ":" + s.param()).containsExactly(
                "0:W", "0:b", "0:gamma", "0:beta", "1:W", "1:b", "1:gamma", "1:beta", "2:W", "2:b");
        assertThat(layout.covers(net.model().params().length())).isFalse(); // mean and var are skipped
        assertThat(net.activationOutputs()).isEqualTo(Map.of("2", 0, "5", 1));
        assertLayoutMatchesParamTable(net, layout);
    }

    @Test
    void residualMlpAddsTheIdentityAfterEveryHiddenLayerButTheFirst() {
        Network net = NetworkFactory.build(blobs("activation: [tanh], depth: [3], width: [5], residual: [true],"
                + " initializer: [\"normal(0,0.5)\"], seed: [3]"), 2, 3);
        assertThat(net.model()).isInstanceOf(ComputationGraph.class);
        ParamLayout layout = ParamLayout.of(net.paramTable(), net.paramOwners());
        assertThat(layout.segments()).extracting(s -> s.layer() + ":" + s.param()).containsExactly(
                "0:W", "0:b", "1:W", "1:b", "2:W", "2:b", "3:W", "3:b");
        assertThat(layout.covers(net.model().params().length())).isTrue();
        assertLayoutMatchesParamTable(net, layout);

        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 2);
        Map<String, INDArray> p = net.paramTable();
        INDArray h = Transforms.tanh(x.mmul(p.get("layer0_W")).addRowVector(p.get("layer0_b")));
        for (int i = 1; i < 3; i++) {
            h = Transforms.tanh(h.mmul(p.get("layer" + i + "_W")).addRowVector(p.get("layer" + i + "_b"))).add(h);
        }
        INDArray expected = Transforms.softmax(h.mmul(p.get("out_W")).addRowVector(p.get("out_b")));
        assertThat(net.output(x).sub(expected).amaxNumber().doubleValue()).isLessThan(1e-5);
    }

    @Test
    void cnnTakesFlatMnistRowsAndReportsConvKernelsPerBlock() {
        TrialConfig t = trial("{name: mnist, path: " + TestData.MNIST + ", limit: 20}",
                "model: [cnn], activation: [relu], depth: [3], width: [4], batch_norm: [true], residual: [true]");
        Network net = NetworkFactory.build(t, 784, 10);
        ParamLayout layout = ParamLayout.of(net.paramTable(), net.paramOwners());
        assertThat(layout.segments()).filteredOn(s -> s.param().equals("W"))
                .extracting(s -> s.layer() + ":" + s.length())
                .containsExactly("0:" + 3 * 3 * 1 * 4, "1:" + 3 * 3 * 4 * 4, "2:" + 3 * 3 * 4 * 4, "3:" + 4 * 10);
        assertThat(layout.segments()).filteredOn(s -> s.param().equals("gamma")).hasSize(3);
        assertLayoutMatchesParamTable(net, layout);
        assertThat(net.activationOutputs()).isEqualTo(Map.of("act0", 0, "act1", 1, "act2", 2));
        INDArray out = net.output(Nd4j.rand(DataType.FLOAT, 5, 784));
        assertThat(out.shape()).containsExactly(5, 10);
        assertThat(out.sum(1).toDoubleVector()).containsOnly(new double[] {1.0}, within(1e-5));
    }

    /** ND4J's native generator treats seed 0 as "random"; the default seed must still be repeatable. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"seed: [0]", "seed: [0], batch_norm: [true]",
            "seed: [0], residual: [true]", "seed: [12]"})
    void everySeedIncludingZeroGivesTheSameInitialWeights(String axes) {
        TrialConfig t = blobs("activation: [tanh], depth: [3], width: [4], " + axes);
        INDArray first = NetworkFactory.build(t, 2, 3).model().params();
        Nd4j.rand(DataType.FLOAT, 100); // whatever ran in between must not matter
        assertThat(NetworkFactory.build(t, 2, 3).model().params()).isEqualTo(first);
    }
}
