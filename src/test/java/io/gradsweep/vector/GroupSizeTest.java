package io.gradsweep.vector;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradsweep.spec.Grid;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.spec.TrialConfig;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Recurrent groups are capped by what every step keeps, not by parameters: the uRNN adding-problem shape (128
 * units, batch 20, 2 inputs) at T = 100 and 400, by hand. An LSTM keeps its four gates per unit and step:
 * (4 * 128 + 2) * T + 1 floats per example, times 20, against {@link Groups#GROUP_FLOATS} = 4,194,304.
 */
class GroupSizeTest {
    private static List<TrialConfig> trials(String model, int length, int seeds) {
        return Grid.expand(SpecParser.parse("""
                name: sizes
                dataset: {name: adding, samples: 200, length: %d, seed: 1}
                train: {epochs: 1, batch_size: 20}
                grid: {model: [%s], activation: [tanh], depth: [1], width: [128], optimizer: [rmsprop],
                       learning_rate: [0.001], seed: %s}
                """.formatted(length, model, IntStream.rangeClosed(1, seeds).boxed().toList())),
                1000);
    }

    private static List<Integer> sizes(List<TrialConfig> trials) {
        return Groups.of(trials).stream().map(List::size).toList();
    }

    @Test
    void anLstmGroupHoldsWhatItsStepsKeepWithinTheBudget() {
        // T = 100: 51,401 floats per example, 1,028,020 per trial: 4 trials
        assertThat(Groups.maxSize(trials("lstm", 100, 1).get(0))).isEqualTo(4);
        assertThat(sizes(trials("lstm", 100, 10))).containsExactly(4, 4, 2);
        // T = 400: 205,601 per example, 4,112,020 per trial: one
        assertThat(sizes(trials("lstm", 400, 3))).containsExactly(1, 1, 1);
    }

    @Test
    void aSimpleRnnKeepsOneValuePerUnitAndStep() {
        // T = 100: (128 + 2) * 100 + 1 = 13,001 per example, 260,020 per trial: 16 trials
        assertThat(Groups.maxSize(trials("simple_rnn", 100, 1).get(0))).isEqualTo(16);
        assertThat(sizes(trials("simple_rnn", 100, 20))).containsExactly(16, 4);
    }
}
