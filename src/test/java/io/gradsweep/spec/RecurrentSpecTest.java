package io.gradsweep.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RecurrentSpecTest {
    static final String ADDING = """
            name: rnn
            dataset: {name: adding, samples: 200, length: 20, seed: 4, test_fraction: 0.25}
            train: {epochs: 2, batch_size: 16}
            grid:
              model: [simple_rnn, lstm]
              activation: [tanh]
              depth: [1]
              width: [8]
              seed: [1, 2]
            """;

    static String adding(String find, String replace) {
        assertThat(ADDING).contains(find);
        return ADDING.replace(find, replace);
    }

    @Test
    void parsesTheAddingProblem() {
        SweepSpec s = SpecParser.parse(ADDING);
        assertThat(s.dataset()).isEqualTo(DatasetSpec.adding(200, 20, 4, 0.25));
        assertThat(s.dataset().numClasses()).isZero();
        assertThat(s.dataset().numFeatures()).isEqualTo(2);
        List<TrialConfig> trials = Grid.expand(s, 100);
        assertThat(trials).extracting(t -> t.architecture().model() + "/" + t.seed())
                .containsExactly("simple_rnn/1", "simple_rnn/2", "lstm/1", "lstm/2");
        assertThat(trials.get(2).canonical()).isEqualTo("sweep=rnn;dataset=adding(samples=200,length=20,seed=4,"
                + "test_fraction=0.25,scale=none);epochs=2;batch_size=16;stats_every=1;activation=tanh;model=lstm;"
                + "depth=1;width=8;initializer=glorot_uniform;optimizer=adam;learning_rate=0.001;clipping=none;seed=1");
        assertThat(SpecParser.parse(adding(", length: 20", "")).dataset().length()).as("default length").isEqualTo(50);
    }

    @Test
    void sequenceLengthIsAnAxisAfterModelThatReplacesTheDatasetLength() {
        List<TrialConfig> trials = Grid.expand(SpecParser.parse(adding("  seed: [1, 2]\n",
                "  seed: [1, 2]\n  sequence_length: [5, 30]\n")), 100);
        assertThat(trials).hasSize(8);
        assertThat(trials).extracting(t -> t.architecture().model() + "/" + t.dataset().length() + "/" + t.seed())
                .startsWith("simple_rnn/5/1", "simple_rnn/5/2", "simple_rnn/30/1", "simple_rnn/30/2", "lstm/5/1");
        assertThat(trials.get(2).dataset()).isEqualTo(DatasetSpec.adding(200, 30, 4, 0.25));
        assertThat(trials.get(2).canonical()).contains(";dataset=adding(samples=200,length=30,seed=4,");
        assertThat(trials).extracting(TrialConfig::trialId).doesNotHaveDuplicates();
        // The axis only picks the length: a sweep that writes the same length into the dataset has the same ids.
        TrialConfig fixed = Grid.expand(SpecParser.parse(adding("length: 20", "length: 30")), 100).get(0);
        assertThat(trials.get(2).trialId()).isEqualTo(fixed.trialId());
    }

    static Stream<Arguments> invalidSpecs() {
        String circles = SpecParserTest.BASE;
        return Stream.of(
                Arguments.of(SpecParserTest.with("seed: 1}", "seed: 1, length: 10}"), "dataset.length",
                        "Cannot parse spec: 'dataset.length' is '10'; expected no 'length' for circles; it applies to"
                                + " adding only"),
                Arguments.of(adding("seed: 4,", "seed: 4, noise: 0.1,"), "dataset.noise",
                        "Cannot parse spec: 'dataset.noise' is '0.1'; expected no 'noise' for adding; it applies to"
                                + " the 2-D toy datasets only"),
                Arguments.of(adding("seed: 4,", "seed: 4, scale: standard,"), "dataset.scale",
                        "Cannot parse spec: 'dataset.scale' is 'standard'; expected none for adding (its values are"
                                + " already in [0, 1] and its markers 0 or 1)"),
                Arguments.of(adding("length: 20", "length: 1"), "dataset.length",
                        "Cannot parse spec: 'dataset.length' is 1; expected an integer in [2, 100000]"),
                Arguments.of(adding("samples: 200", "samples: 1000000").replace("length: 20", "length: 100"),
                        "dataset.length", "Cannot parse spec: 'dataset.length' is 100; expected at most 50 for"
                                + " 1000000 samples (samples x length is capped at 50000000 steps)"),
                Arguments.of(circles.replace("  seed: [1, 2]\n", "  seed: [1, 2]\n  sequence_length: [10]\n"),
                        "grid.sequence_length", "Cannot parse spec: 'grid.sequence_length' is 'a list'; expected no"
                                + " 'sequence_length' for dataset circles; it applies to adding only"),
                Arguments.of(adding("  seed: [1, 2]\n", "  seed: [1, 2]\n  sequence_length: [10, 1]\n"),
                        "grid.sequence_length[1]",
                        "Cannot parse spec: 'grid.sequence_length[1]' is 1; expected an integer in [2, 100000]"),
                Arguments.of(circles.replace("  clipping: [none]\n", "  clipping: [none]\n  model: [lstm]\n"),
                        "grid.model[0]", "Cannot parse spec: 'grid.model[0]' is 'lstm'; expected mlp for dataset"
                                + " circles (lstm needs sequences: dataset adding)"),
                Arguments.of(adding("model: [simple_rnn, lstm]", "model: [lstm, mlp]"), "grid.model[1]",
                        "Cannot parse spec: 'grid.model[1]' is 'mlp'; expected simple_rnn or lstm for dataset adding"
                                + " (mlp needs one feature vector per example, not a sequence)"),
                Arguments.of(adding("model: [simple_rnn, lstm]", "model: [cnn]"), "grid.model[0]",
                        "Cannot parse spec: 'grid.model[0]' is 'cnn'; expected simple_rnn or lstm for dataset adding"
                                + " (cnn needs 28x28 images: dataset mnist)"),
                Arguments.of(adding("  model: [simple_rnn, lstm]\n", ""), "grid.model",
                        "Cannot parse spec: 'grid.model' is missing; expected simple_rnn or lstm for dataset adding"),
                Arguments.of(adding("model: [simple_rnn, lstm]", "model: [gru]"), "grid.model[0]",
                        "Cannot parse spec: 'grid.model[0]' is 'gru'; expected one of mlp, cnn, simple_rnn, lstm"),
                Arguments.of(adding("  seed: [1, 2]\n", "  seed: [1, 2]\n  batch_norm: [false, true]\n"),
                        "grid.batch_norm[1]", "Cannot parse spec: 'grid.batch_norm[1]' is true; expected false for"
                                + " model simple_rnn (recurrent models have no batch-norm variant)"),
                Arguments.of(adding("  seed: [1, 2]\n", "  seed: [1, 2]\n  residual: true\n"),
                        "grid.residual[0]", "Cannot parse spec: 'grid.residual[0]' is true; expected false for"
                                + " model simple_rnn (recurrent models have no residual variant)"),
                Arguments.of(adding("  seed: [1, 2]\n", "  seed: [1, 2]\n  dropout: [0, 0.25]\n"),
                        "grid.dropout[1]", "Cannot parse spec: 'grid.dropout[1]' is 0.25; expected 0 for"
                                + " model simple_rnn (recurrent models have no dropout)"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("invalidSpecs")
    void rejectsInvalidRecurrentSpecs(String yaml, String keyPath, String message) {
        assertThatThrownBy(() -> SpecParser.parse(yaml)).isInstanceOf(SpecException.class).hasMessage(message)
                .extracting(e -> ((SpecException) e).keyPath()).isEqualTo(keyPath);
    }
}
