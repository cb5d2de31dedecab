package io.gradsweep.vector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gradsweep.data.Split;
import io.gradsweep.spec.Grid;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.testing.CollectingSink;
import io.gradsweep.testing.Train;
import io.gradsweep.train.Faults;
import io.gradsweep.train.TrialOutcome;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VectorTrainerTest {
    static List<TrialConfig> trials(String grid) {
        return Grid.expand(SpecParser.parse("""
                name: unit
                dataset: {name: circles, samples: 40, noise: 0.1, factor: 0.5, seed: 3}
                train: {epochs: 2, batch_size: 8}
                grid: {activation: [tanh], initializer: ["normal(0,1)"], optimizer: [sgd], learning_rate: [0.1],
                       seed: [1, 2, 3], %s}
                """.formatted(grid)), 100);
    }

    static Map<TrialConfig, CollectingSink> train(List<TrialConfig> trials, List<TrialOutcome> outcomes) {
        Map<TrialConfig, CollectingSink> sinks = new HashMap<>();
        outcomes.addAll(Train.vector(trials, Split.of(trials.get(0).dataset()),
                t -> sinks.computeIfAbsent(t, x -> new CollectingSink())));
        return sinks;
    }

    @Test
    void aTrialFailedAtItsStartIsLeftOutAndTheRestTrainAsWithoutIt() {
        List<TrialConfig> trials = trials("depth: [2], width: [3]");
        TrialConfig failing = trials.get(1);
        List<TrialOutcome> clean = new ArrayList<>();
        Map<TrialConfig, CollectingSink> expected = train(trials, clean);
        List<TrialOutcome> outcomes = new ArrayList<>();
        Map<TrialConfig, CollectingSink> sinks;
        System.setProperty(Faults.FAIL_TRIALS, failing.trialId());
        try {
            sinks = train(trials, outcomes);
        } finally {
            System.clearProperty(Faults.FAIL_TRIALS);
        }
        assertThat(outcomes).extracting(TrialOutcome::status)
                .containsExactly(TrialOutcome.OK, TrialOutcome.FAILED, TrialOutcome.OK);
        assertThat(outcomes.get(1).error()).isEqualTo("java.lang.IllegalStateException: injected failure for trial "
                + failing.trialId() + " (gradsweep.fault.fail-trials)");
        assertThat(outcomes.get(1).trainAccuracy()).isNull();
        assertThat(sinks).doesNotContainKey(failing);
        for (TrialConfig t : List.of(trials.get(0), trials.get(2))) {
            assertThat(sinks.get(t).gradients).isNotEmpty().isEqualTo(expected.get(t).gradients);
            assertThat(sinks.get(t).epochs).isEqualTo(expected.get(t).epochs);
        }
        assertThat(outcomes.get(0).trainLoss()).isEqualTo(clean.get(0).trainLoss());
    }

    @Test
    void aFailureWhileTrainingFailsTheGroupsTrialsWithTheFullStackTrace() {
        List<TrialConfig> trials = trials("depth: [2], width: [3]");
        System.setProperty(Faults.FAIL_DURING, trials.get(1).trialId() + ":5");
        List<TrialOutcome> outcomes = new ArrayList<>();
        Map<TrialConfig, CollectingSink> sinks;
        try {
            sinks = train(trials, outcomes);
        } finally {
            System.clearProperty(Faults.FAIL_DURING);
        }
        String error = "java.lang.IllegalStateException: injected failure of trial " + trials.get(1).trialId()
                + " after 5 updates (gradsweep.fault.fail-during)";
        assertThat(outcomes).extracting(TrialOutcome::status).containsOnly(TrialOutcome.FAILED);
        assertThat(outcomes).extracting(TrialOutcome::error).containsOnly(error);
        assertThat(outcomes).extracting(TrialOutcome::iterations).containsOnly(5L);
        assertThat(outcomes.get(0).errorTrace()).startsWith(error + "\n\tat io.gradsweep.train.Faults.")
                .contains("\tat io.gradsweep.vector.GroupRun.iterate(", "\tat io.gradsweep.vector.VectorTrainer.train(");
        assertThat(sinks.get(trials.get(0)).epochs).hasSize(1);
        assertThat(outcomes.get(0).trainLoss()).isEqualTo(sinks.get(trials.get(0)).epochs.get(0).trainLoss());
    }

    @Test
    void aTaskFailureAtATrialFailsTheGroupNamingThatTrial() {
        List<TrialConfig> trials = trials("depth: [2], width: [3]");
        String doomed = trials.get(2).trialId();
        System.setProperty(Faults.TASK_FAIL_TRIALS, doomed);
        try {
            assertThatThrownBy(() -> train(trials, new ArrayList<>()))
                    .isInstanceOf(UncheckedIOException.class).hasMessageStartingWith("Cannot run trial " + doomed)
                    .hasMessageContaining("injected task failure");
        } finally {
            System.clearProperty(Faults.TASK_FAIL_TRIALS);
        }
    }

    @Test
    void refusesTrialsThatCannotShareAGroup() {
        List<TrialConfig> mixed = trials("depth: [2], width: [3, 4]");
        assertThatThrownBy(() -> train(mixed, new ArrayList<>()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot train in this group");
        List<TrialConfig> families = trials("depth: [2], width: [3], batch_norm: [false, true]");
        assertThatThrownBy(() -> train(families, new ArrayList<>()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot train in this group");
        List<TrialConfig> dropped = trials("depth: [2], width: [3], residual: [true], dropout: [0.5]");
        assertThatThrownBy(() -> train(dropped, new ArrayList<>()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dropout");
    }

    @Test
    void wideNetsTrainInSmallerGroups() {
        List<TrialConfig> wide = Grid.expand(SpecParser.parse("""
                name: wide
                dataset: {name: circles}
                train: {epochs: 1, batch_size: 32}
                grid: {activation: [relu], widths: [[1024, 1024]], seed: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
                       14, 15, 16, 17, 18, 19, 20]}
                """), 100);
        // 1,053,697 parameters per trial: 3 fit the 4 Mi-float budget of a group buffer.
        assertThat(Groups.of(wide)).extracting(List::size).containsExactly(3, 3, 3, 3, 3, 3, 2);
        assertThat(Groups.of(trials("depth: [2], width: [3]"))).extracting(List::size).containsExactly(3);
    }
}
