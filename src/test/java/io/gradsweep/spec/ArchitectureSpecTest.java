package io.gradsweep.spec;

import static io.gradsweep.spec.SpecParserTest.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ArchitectureSpecTest {
    private static final String SHAPE = "  depth: [4]\n  width: [5]\n";

    @Test
    void perLayerWidthsReplaceDepthAndWidth() {
        List<TrialConfig> trials = Grid.expand(SpecParser.parse(with(SHAPE, "  widths: [[8, 8, 4], [6]]\n")), 100);
        assertThat(trials).hasSize(2 * 2 * 2);
        TrialConfig first = trials.get(0);
        assertThat(first.architecture().widths()).containsExactly(8, 8, 4);
        assertThat(first.depth()).isEqualTo(3);
        assertThat(first.width()).isEqualTo(8);
        assertThat(first.architecture().widthsText()).isEqualTo("8,8,4");
        assertThat(first.canonical()).contains(";activation=sigmoid;widths=8,8,4;initializer=")
                .doesNotContain("depth=");
        assertThat(trials.get(2).architecture().widths()).containsExactly(6);
        assertThat(first.architecture().label()).isEqualTo("mlp[8,8,4]");
    }

    @Test
    void architectureAxesExpandInOrderAndEnterTheIdOnlyWhenUsed() {
        List<TrialConfig> trials = Grid.expand(SpecParser.parse(with("  clipping: [none]\n",
                "  clipping: [none]\n  batch_norm: [false, true]\n  residual: [false, true]\n")), 100);
        assertThat(trials).hasSize(2 * 4 * 2);
        assertThat(trials.subList(0, 8)).extracting(t -> t.activation() + "/" + t.architecture().batchNorm() + "/"
                + t.architecture().residual() + "/" + t.seed()).containsExactly(
                "sigmoid/false/false/1", "sigmoid/false/false/2", "sigmoid/false/true/1", "sigmoid/false/true/2",
                "sigmoid/true/false/1", "sigmoid/true/false/2", "sigmoid/true/true/1", "sigmoid/true/true/2");
        List<TrialConfig> plain = Grid.expand(SpecParser.parse(SpecParserTest.BASE), 100);
        assertThat(trials.get(0).trialId()).isEqualTo(plain.get(0).trialId());
        assertThat(trials.get(6).canonical()).contains(";depth=4;width=5;batch_norm=true;residual=true;");
        assertThat(trials.get(6).architecture().label()).isEqualTo("mlp+bn+skip");
    }

    @Test
    void cnnModelIsPartOfTheId() {
        String mnist = "dataset: {name: mnist, path: " + io.gradsweep.testing.TestData.MNIST + ", limit: 100}";
        String spec = with("dataset: {name: circles, samples: 100, noise: 0.1, factor: 0.5, seed: 1}", mnist)
                .replace("  clipping: [none]\n", "  clipping: [none]\n  model: [mlp, cnn]\n");
        List<TrialConfig> trials = Grid.expand(SpecParser.parse(spec), 100);
        assertThat(trials).extracting(t -> t.architecture().model()).containsExactly("mlp", "mlp", "mlp", "mlp",
                "cnn", "cnn", "cnn", "cnn");
        assertThat(trials.get(4).canonical()).contains(";activation=sigmoid;model=cnn;depth=4;width=5;");
        assertThat(trials.get(0).canonical()).doesNotContain("model=");
    }

    static Stream<Arguments> invalidArchitectures() {
        return Stream.of(
                Arguments.of(with(SHAPE, SHAPE + "  widths: [[4, 4]]\n"), "grid.depth",
                        "Cannot parse spec: 'grid.depth' is 'a list'; expected no 'depth' next to 'grid.widths';"
                                + " give either widths or depth and width"),
                Arguments.of(with(SHAPE, "  widths: [256, 128]\n"), "grid.widths[0]",
                        "Cannot parse spec: 'grid.widths[0]' is '256'; expected a list of per-layer widths such as"
                                + " [256, 256, 128] (write widths: [[256, 256, 128]])"),
                Arguments.of(with(SHAPE, "  widths: [[4, 0]]\n"), "grid.widths[0][1]",
                        "Cannot parse spec: 'grid.widths[0][1]' is 0; expected an integer in [1, 100000]"),
                Arguments.of(with(SHAPE, "  widths: [[8, 4]]\n  residual: [true]\n"), "grid.residual",
                        "Cannot parse spec: 'grid.residual' is true; expected false when 'grid.widths[0]' is [8, 4]"
                                + " (identity skip connections need equal widths)"),
                Arguments.of(with("clipping: [none]", "clipping: [none, \"layer_norm(1)\"]\n  batch_norm: [false, true]"),
                        "grid.clipping[1]", "Cannot parse spec: 'grid.clipping[1]' is 'layer_norm(1)'; expected none,"
                                + " norm(c), value(c) or global_norm(c) when batch_norm is true (DL4J's per-layer"
                                + " clipping would also rescale batch norm's running statistics)"),
                Arguments.of(with(SHAPE, SHAPE + "  batch_norm: [maybe]\n"), "grid.batch_norm[0]",
                        "Cannot parse spec: 'grid.batch_norm[0]' is 'maybe'; expected true or false"),
                Arguments.of(with(SHAPE, SHAPE + "  model: [transformer]\n"), "grid.model[0]",
                        "Cannot parse spec: 'grid.model[0]' is 'transformer'; expected one of mlp, cnn, simple_rnn,"
                                + " lstm"),
                Arguments.of(with(SHAPE, SHAPE + "  model: [cnn]\n"), "grid.model[0]",
                        "Cannot parse spec: 'grid.model[0]' is 'cnn'; expected mlp for dataset circles"
                                + " (cnn needs 28x28 images: dataset mnist)"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalidArchitectures")
    void rejectsInvalidArchitectures(String yaml, String keyPath, String message) {
        assertThatThrownBy(() -> SpecParser.parse(yaml)).isInstanceOf(SpecException.class).hasMessage(message)
                .extracting(e -> ((SpecException) e).keyPath()).isEqualTo(keyPath);
    }
}
