package io.gradsweep.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every refusal of a sample block names its key, the value and what was expected. */
class SampleValidationTest {
    private static SweepSpec parse(String grid, String sample) {
        return SampleSpecTest.spec(grid, sample);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "learning_rate: 'uniform(0.5, 0.1)' | sample.learning_rate | 'sample.learning_rate' is 'uniform(0.5,0.1)'; "
            + "expected uniform(lo,hi) with lo < hi",
        "learning_rate: 'loguniform(0.1, 0.1)' | sample.learning_rate | 'sample.learning_rate' is "
            + "'loguniform(0.1,0.1)'; expected loguniform(lo,hi) with lo < hi",
        "learning_rate: 'loguniform(0, 1)' | sample.learning_rate | 'sample.learning_rate' is 'loguniform(0,1)'; "
            + "expected loguniform(lo,hi) with 0 < lo (a log scale needs positive bounds)",
        "dropout: 'loguniform(-1, 0.5)' | sample.dropout | 'sample.dropout' is 'loguniform(-1,0.5)'; expected "
            + "loguniform(lo,hi) with 0 < lo (a log scale needs positive bounds)",
        "learning_rate: 'uniform(0, 1)' | sample.learning_rate | 'sample.learning_rate' is 'uniform(0,1)'; expected "
            + "bounds that grid.learning_rate accepts, a number in (0, 1e6]",
        "dropout: 'uniform(0, 0.99)' | sample.dropout | 'sample.dropout' is 'uniform(0,0.99)'; expected bounds that "
            + "grid.dropout accepts, a dropout rate in [0, 0.95]",
        "width: 'int(1, 200000)' | sample.width | 'sample.width' is 'int(1,200000)'; expected bounds that grid.width "
            + "accepts, an integer in [1, 100000]",
        "depth: 'int(1.5, 4)' | sample.depth | 'sample.depth' is 'int(1.5,4)'; expected int(lo,hi) with integer bounds",
        "depth: 'loguniform(1, 10)' | sample.depth | 'sample.depth' is 'loguniform(1, 10)'; expected one of "
            + "int(lo,hi), choice(a,b,...)",
        "learning_rate: 'normal(0, 1)' | sample.learning_rate | 'sample.learning_rate' is 'normal(0, 1)'; expected "
            + "one of loguniform(lo,hi), uniform(lo,hi), choice(a,b,...)",
        "optimizer: 'uniform(0, 1)' | sample.optimizer | 'sample.optimizer' is 'uniform(0, 1)'; expected one of "
            + "choice(a,b,...)",
        "optimizer: 'choice(sgd)' | sample.optimizer | 'sample.optimizer' is 'choice(sgd)'; expected choice(a,b,...) "
            + "of at least two values",
        "activation: 'choice(tanh, tanh)' | sample.activation[1] | 'sample.activation[1]' is 'tanh'; expected a value "
            + "distinct from sample.activation[0]",
        "method: halton | sample.method | 'sample.method' is 'halton'; expected one of random, sobol",
        "n: 0 | sample.n | 'sample.n' is 0; expected an integer in [1, 2147483647]",
    })
    void aBadAxisOrSettingIsNamed(String line, String key, String message) {
        String sample = line.startsWith("n:") ? line + "\nlearning_rate: loguniform(1e-4, 1)" : "n: 4\n" + line
                + (line.startsWith("method") ? "\nlearning_rate: loguniform(1e-4, 1)" : "");
        String grid = line.startsWith("activation") ? "depth: [2], width: [3]" : "activation: [tanh], width: [3]"
                + (line.startsWith("depth") ? "" : ", depth: [2]");
        assertThatThrownBy(() -> parse(grid.replace(", width: [3]", line.startsWith("width") ? "" : ", width: [3]"),
                sample))
                .isInstanceOf(SpecException.class)
                .hasFieldOrPropertyWithValue("keyPath", key)
                .hasMessage("Cannot parse spec: " + message);
    }

    @Test
    void aChoiceItemIsParsedAsTheGridParsesIt() {
        assertThatThrownBy(() -> parse("activation: [tanh], depth: [2], width: [3]",
                "n: 4\noptimizer: choice(sgd, momentum(0.9), adamm)"))
                .hasFieldOrPropertyWithValue("keyPath", "sample.optimizer[2]")
                .hasMessageStartingWith("Cannot parse spec: 'sample.optimizer[2]' is 'adamm'; expected one of sgd, ");
        SweepSpec ok = parse("activation: [tanh], depth: [2], width: [3]",
                "n: 4\noptimizer: choice(sgd, momentum(0.9), adam(0.8,0.99))");
        assertThat(ok.sample().axes().get(0).text()).isEqualTo("choice(sgd,momentum(0.9),adam(0.8,0.99))");
    }

    @Test
    void anAxisIsEitherGriddedOrSampled() {
        assertThatThrownBy(() -> parse("activation: [tanh], depth: [2], width: [3], learning_rate: [0.1]",
                "n: 4\nlearning_rate: loguniform(1e-4, 1)"))
                .hasFieldOrPropertyWithValue("keyPath", "sample.learning_rate")
                .hasMessage("Cannot parse spec: 'sample.learning_rate' is 'loguniform(1e-4, 1)'; expected no "
                        + "'grid.learning_rate' beside it (an axis is either gridded or sampled)");
        assertThatThrownBy(() -> parse("activation: [tanh], widths: [[3, 3]]", "n: 4\ndepth: int(1, 4)"))
                .hasMessage("Cannot parse spec: 'sample.depth' is 'int(1, 4)'; expected no 'grid.widths' beside it "
                        + "(an axis is either gridded or sampled)");
    }

    @Test
    void unknownKeysAndAnEmptyBlockAreRefused() {
        assertThatThrownBy(() -> parse("activation: [tanh], depth: [2], width: [3]", "n: 4\nbatch_norm: choice(true, false)"))
                .hasMessage("Cannot parse spec: 'sample.batch_norm' is an unknown key; expected one of n, method, "
                        + "seed, activation, depth, width, initializer, optimizer, learning_rate, clipping, dropout");
        assertThatThrownBy(() -> parse("activation: [tanh], depth: [2], width: [3]", "n: 4\nseed: 3"))
                .hasFieldOrPropertyWithValue("keyPath", "sample")
                .hasMessage("Cannot parse spec: 'sample' has no axis; expected at least one of activation, depth, "
                        + "width, initializer, optimizer, learning_rate, clipping, dropout");
    }

    /** The grid's cross-axis rules see every value a sampled axis can draw, and name the sample key. */
    @Test
    void crossAxisRulesNameTheSampledKey() {
        assertThatThrownBy(() -> SpecParser.parse("""
                name: x
                dataset: {name: adding, samples: 20, length: 5}
                train: {epochs: 1, batch_size: 10}
                grid: {model: [lstm], activation: [tanh], depth: [1], width: [3]}
                sample: {n: 4, dropout: 'uniform(0, 0.5)'}
                """))
                .hasFieldOrPropertyWithValue("keyPath", "sample.dropout")
                .hasMessage("Cannot parse spec: 'sample.dropout' ('uniform(0,0.5)') can draw 0.5; expected 0 for "
                        + "model lstm (recurrent models have no dropout)");
        assertThatThrownBy(() -> parse("activation: [tanh], depth: [2], width: [3], batch_norm: [true]",
                "n: 4\nclipping: choice(none, layer_norm(1))"))
                .hasFieldOrPropertyWithValue("keyPath", "sample.clipping")
                .hasMessageStartingWith("Cannot parse spec: 'sample.clipping' ('choice(none,layer_norm(1))') can draw "
                        + "'layer_norm(1)'; expected none, norm(c)");
    }

    @Test
    void nOverTheTrialLimitIsRefusedAtExpansion() {
        SweepSpec s = parse("activation: [tanh], depth: [2], width: [3], optimizer: [sgd, adam]",
                "n: 64\nlearning_rate: loguniform(1e-4, 1)");
        assertThat(Grid.expand(s, 128)).hasSize(128);
        assertThatThrownBy(() -> Grid.expand(s, 127))
                .hasFieldOrPropertyWithValue("keyPath", "sample.n")
                .hasMessage("Cannot expand grid: 'sample.n' is 64 with 2 grid points (128 trials); expected at most "
                        + "127 trials (raise the limit with --max-trials)");
        SweepSpec huge = parse("activation: [tanh], depth: [2], width: [3]",
                "n: 2147483647\nlearning_rate: loguniform(1e-4, 1)");
        assertThatThrownBy(() -> Grid.expand(huge, Grid.DEFAULT_MAX_TRIALS))
                .hasMessageContaining("(2147483647 trials); expected at most 100000 trials");
    }
}
