package io.gradsweep.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SpecParserTest {
    static final String BASE = """
            name: t
            dataset: {name: circles, samples: 100, noise: 0.1, factor: 0.5, seed: 1}
            train: {epochs: 2, batch_size: 32}
            grid:
              activation: [sigmoid, tanh]
              depth: [4]
              width: [5]
              initializer: ["normal(0,1)"]
              optimizer: [rmsprop]
              learning_rate: [0.001]
              clipping: [none]
              seed: [1, 2]
            """;

    static String with(String find, String replace) {
        assertThat(BASE).contains(find);
        return BASE.replace(find, replace);
    }

    @Test
    void parsesTheShippedDemoSpec() {
        SweepSpec s = SpecParser.parse(Path.of("conf/circles-vanishing.yaml"));
        assertThat(s.name()).isEqualTo("circles-vanishing");
        assertThat(s.dataset()).isEqualTo(new DatasetSpec("circles", 1000, 0.1, 0.5, 2, 1, 0.0, Scaling.NONE));
        assertThat(s.train()).isEqualTo(new TrainSpec(100, 32));
        assertThat(s.grid().activation()).map(Activation::toString).containsExactly("sigmoid", "tanh", "relu");
        assertThat(s.grid().initializer()).map(Initializer::toString).containsExactly("normal(0,1)");
        assertThat(s.grid().optimizer().get(0).rho()).isEqualTo(0.9);
        assertThat(s.grid().size()).isEqualTo(15);
        assertThat(s.stats().every()).isEqualTo(1);
    }

    @Test
    void fillsDocumentedDefaults() {
        SweepSpec s = SpecParser.parse("""
                name: d
                dataset: {name: moons}
                train: {epochs: 1, batch_size: 8}
                grid: {activation: relu, depth: [1], width: [3]}
                """);
        assertThat(s.dataset()).isEqualTo(new DatasetSpec("moons", 1000, 0.0, 0.8, 2, 0, 0.0, Scaling.NONE));
        assertThat(s.grid().initializer()).map(Initializer::toString).containsExactly("glorot_uniform");
        assertThat(s.grid().optimizer()).map(Optimizer::toString).containsExactly("adam");
        assertThat(s.grid().learningRate()).containsExactly(0.001);
        assertThat(s.grid().clipping()).containsExactly(Clipping.NONE);
        assertThat(s.grid().seed()).containsExactly(0L);
        assertThat(s.stats()).isEqualTo(new StatsSpec(1, 0.1, 1e3));
        assertThat(s.stats().stalledMargin()).isEqualTo(0.05);
    }

    @Test
    void acceptsExponentNumbersThatYamlLeavesAsText() {
        SweepSpec s = SpecParser.parse(with("learning_rate: [0.001]", "learning_rate: [1e-3, 3E-2]"));
        assertThat(s.grid().learningRate()).containsExactly(0.001, 0.03);
    }

    static Stream<Arguments> invalidSpecs() {
        String inits = "normal(mean,std), uniform(lo,hi), glorot_uniform, glorot_normal, he_normal, he_uniform, "
                + "lecun_normal, lecun_uniform, orthogonal, glorot_bengio_standard";
        return Stream.of(
                Arguments.of(with("name: t", "name: t\nnmae: x"), "nmae",
                        "Cannot parse spec: 'nmae' is an unknown key; expected one of name, dataset, train, grid, sample, stats"),
                Arguments.of(with("seed: [1, 2]", "seed: [1, 2]\n  dropout: [1.0]"), "grid.dropout[0]",
                        "Cannot parse spec: 'grid.dropout[0]' is 1.0; expected a dropout rate in [0, 0.95]"),
                Arguments.of(with("noise: 0.1", "nosie: 0.1"), "dataset.nosie",
                        "Cannot parse spec: 'dataset.nosie' is an unknown key; expected one of name, samples, noise, "
                                + "factor, classes, seed, test_fraction, scale, path, split, limit, format, label, features, length"),
                Arguments.of(with("initializer: [\"normal(0,1)\"]", "initializer: [\"normal(0,1)\", \"normal(0,)\"]"),
                        "grid.initializer[1]", "Cannot parse spec: 'grid.initializer[1]' is 'normal(0,)'; expected one of " + inits),
                Arguments.of(with("initializer: [\"normal(0,1)\"]", "initializer: [xavier]"), "grid.initializer[0]",
                        "Cannot parse spec: 'grid.initializer[0]' is 'xavier'; expected one of " + inits),
                Arguments.of(with("activation: [sigmoid, tanh]", "activation: [sigmoid, tanhh]"), "grid.activation[1]",
                        "Cannot parse spec: 'grid.activation[1]' is 'tanhh'; expected one of sigmoid, tanh, relu, "
                                + "leakyrelu[(alpha)], elu[(alpha)], selu, softsign, softplus, linear, swish, gelu"),
                Arguments.of(with("optimizer: [rmsprop]", "optimizer: [adagrad]"), "grid.optimizer[0]",
                        "Cannot parse spec: 'grid.optimizer[0]' is 'adagrad'; expected one of sgd, momentum(m), "
                                + "nesterov(m), rmsprop[(rho)], adam[(beta1,beta2)], adamw[(weight_decay)]"),
                Arguments.of(with("clipping: [none]", "clipping: [\"norm(-1)\"]"), "grid.clipping[0]",
                        "Cannot parse spec: 'grid.clipping[0]' is 'norm(-1)'; expected norm(c) with c > 0"),
                Arguments.of(with("epochs: 2", "epochs: 0"), "train.epochs",
                        "Cannot parse spec: 'train.epochs' is 0; expected an integer in [1, 1000000]"),
                Arguments.of(with("epochs: 2", "epochs: ten"), "train.epochs",
                        "Cannot parse spec: 'train.epochs' is 'ten'; expected an integer in [1, 1000000]"),
                Arguments.of(with("batch_size: 32", "batch_size: -4"), "train.batch_size",
                        "Cannot parse spec: 'train.batch_size' is -4; expected an integer in [1, 1000000]"),
                Arguments.of(with("width: [5]", "width: [5, 0]"), "grid.width[1]",
                        "Cannot parse spec: 'grid.width[1]' is 0; expected an integer in [1, 100000]"),
                Arguments.of(with("depth: [4]", "depth: [2.5]"), "grid.depth[0]",
                        "Cannot parse spec: 'grid.depth[0]' is 2.5; expected an integer in [1, 1000]"),
                Arguments.of(with("learning_rate: [0.001]", "learning_rate: [0]"), "grid.learning_rate[0]",
                        "Cannot parse spec: 'grid.learning_rate[0]' is 0; expected a number in (0, 1e6]"),
                Arguments.of(with("learning_rate: [0.001]", "learning_rate: [1e30]"), "grid.learning_rate[0]",
                        "Cannot parse spec: 'grid.learning_rate[0]' is 1.0E30; expected a number in (0, 1e6]"),
                Arguments.of(with("noise: 0.1", "noise: 1e7"), "dataset.noise",
                        "Cannot parse spec: 'dataset.noise' is 1.0E7; expected a number in [0, 1e6]"),
                Arguments.of(with("seed: [1, 2]", "seed: [1, 2]\nstats: {vanishing_ratio: 1e10}"),
                        "stats.vanishing_ratio", "Cannot parse spec: 'stats.vanishing_ratio' is 1.0E10; expected a "
                                + "number in (0, 1e9]"),
                Arguments.of(with("seed: [1, 2]", "seed: [1, 2]\nstats: {exploding_l2: 0}"),
                        "stats.exploding_l2", "Cannot parse spec: 'stats.exploding_l2' is 0; expected a number in "
                                + "(0, 1e300]"),
                Arguments.of(with("seed: [1, 2]", "seed: [1, 2]\nstats: {stalled_margin: 0.6}"),
                        "stats.stalled_margin", "Cannot parse spec: 'stats.stalled_margin' is 0.6; expected a number "
                                + "in [0, 0.5]"),
                Arguments.of(with("learning_rate: [0.001]", "learning_rate: [0.001, .nan]"), "grid.learning_rate[1]",
                        "Cannot parse spec: 'grid.learning_rate[1]' is .nan; expected a finite number (quote .nan if "
                                + "it is meant as text)"),
                Arguments.of(with("noise: 0.1", "noise: .inf"), "dataset.noise",
                        "Cannot parse spec: 'dataset.noise' is .inf; expected a finite number (quote .inf if it is "
                                + "meant as text)"),
                Arguments.of(with("name: t", "name: -.Inf"), "name",
                        "Cannot parse spec: 'name' is -.Inf; expected a finite number (quote -.Inf if it is meant as "
                                + "text)"),
                Arguments.of(with("clipping: [none]", "clipping: [\"norm(1e400)\"]"), "grid.clipping[0]",
                        "Cannot parse spec: 'grid.clipping[0]' is 'norm(1e400)'; expected finite numbers as arguments; "
                                + "1e400 is out of range (doubles reach about 1.8e308)"),
                Arguments.of(with("initializer: [\"normal(0,1)\"]", "initializer: [\"normal(0, -2E+999)\"]"),
                        "grid.initializer[0]", "Cannot parse spec: 'grid.initializer[0]' is 'normal(0, -2E+999)'; "
                                + "expected finite numbers as arguments; -2E+999 is out of range (doubles reach about "
                                + "1.8e308)"),
                Arguments.of(with("seed: [1, 2]", "seed: [9223372036854775808]"), "grid.seed[0]",
                        "Cannot parse spec: 'grid.seed[0]' is 9223372036854775808; expected an integer in [0, "
                                + "9223372036854775807]"),
                Arguments.of(with("seed: [1, 2]", "seed: []"), "grid.seed",
                        "Cannot parse spec: 'grid.seed' is '[]'; expected a non-empty list"),
                Arguments.of(with("seed: [1, 2]", "seed: [1, 1]"), "grid.seed[1]",
                        "Cannot parse spec: 'grid.seed[1]' is '1'; expected a value distinct from grid.seed[0]"),
                Arguments.of(with("name: t", "name: ../x"), "name",
                        "Cannot parse spec: 'name' is '../x'; expected a name matching [a-z0-9][a-z0-9_-]* "
                                + "(it names the output partition)"),
                Arguments.of(with("name: circles,", "name: mnistt,"), "dataset.name",
                        "Cannot parse spec: 'dataset.name' is 'mnistt'; expected one of circles, moons, spirals, xor, blobs, mnist, "
                                + "table, adding"),
                Arguments.of(with("factor: 0.5", "factor: 1.5"), "dataset.factor",
                        "Cannot parse spec: 'dataset.factor' is 1.5; expected a number in (0, 1)"),
                Arguments.of(with("  width: [5]\n", ""), "grid.width",
                        "Cannot parse spec: 'grid.width' is missing; expected a non-empty list"),
                Arguments.of(with("train: {epochs: 2, batch_size: 32}\n", ""), "train",
                        "Cannot parse spec: 'train' is missing; expected a mapping with keys epochs, batch_size, engine, "
                                + "group_size, mode, data_parallel"),
                Arguments.of(with("seed: 1}", "seed: 1, scale: \"minmax(1,-1)\"}"), "dataset.scale",
                        "Cannot parse spec: 'dataset.scale' is 'minmax(1,-1)'; expected minmax(lo,hi) with lo < hi"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalidSpecs")
    void rejectsInvalidSpecsNamingKeyValueAndChoices(String yaml, String keyPath, String message) {
        assertThatThrownBy(() -> SpecParser.parse(yaml))
                .isInstanceOf(SpecException.class)
                .hasMessage(message)
                .extracting(e -> ((SpecException) e).keyPath()).isEqualTo(keyPath);
    }

    @Test
    void acceptsEveryIntegerOfTheRangeItStates() {
        SweepSpec s = SpecParser.parse(with("seed: [1, 2]", "seed: [9223372036854775807, '0009223372036854775806']")
                .replace("seed: 1}", "seed: 9223372036854775807}"));
        assertThat(s.grid().seed()).containsExactly(Long.MAX_VALUE, Long.MAX_VALUE - 1);
        assertThat(s.dataset().seed()).isEqualTo(Long.MAX_VALUE);
        assertThatThrownBy(() -> SpecParser.parse(with("seed: 1}", "seed: '-1'}"))).hasMessage(
                "Cannot parse spec: 'dataset.seed' is '-1'; expected an integer in [0, 9223372036854775807]");
    }

    @Test
    void rejectsBrokenYamlWithItsLine() {
        assertThatThrownBy(() -> SpecParser.parse("name: t\ngrid: [unclosed\n"))
                .isInstanceOf(SpecException.class).hasMessageStartingWith("Cannot parse spec: invalid YAML:")
                .hasMessageContaining("line");
    }

    @Test
    void rejectsDuplicateKeys() {
        assertThatThrownBy(() -> SpecParser.parse(with("name: t", "name: t\nname: u")))
                .isInstanceOf(SpecException.class).hasMessageContaining("Duplicate field 'name'");
    }

    @Test
    void reportsAMissingFile() {
        assertThatThrownBy(() -> SpecParser.parse(Path.of("no/such.yaml")))
                .isInstanceOf(SpecException.class)
                .hasMessage("Cannot read spec: file 'no/such.yaml' does not exist");
    }

    @Test
    void termGrammarNeverEvaluatesAndCanonicalisesNumbers() {
        assertThat(Term.parse("normal( 0.0 , 1 )").canonical()).isEqualTo("normal(0,1)");
        assertThat(Term.parse("minmax(-1,1e0)").args()).isEqualTo(List.of(-1.0, 1.0));
        assertThat(Term.parse("normal(0,1);rm -rf")).isNull();
        assertThat(Term.parse("normal(0,1+1)")).isNull();
        assertThat(Term.parse("normal(0,NaN)")).isNull();
    }
}
