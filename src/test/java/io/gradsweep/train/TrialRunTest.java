package io.gradsweep.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gradsweep.data.Split;
import io.gradsweep.spec.Grid;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.stats.ParamLayout;
import io.gradsweep.testing.CollectingSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/** The one failure handling of every engine, with a scripted engine: no DL4J, no vector passes. */
class TrialRunTest {
    static final List<TrialConfig> TRIALS = Grid.expand(SpecParser.parse("""
            name: run
            dataset: {name: circles, samples: 40, seed: 3}
            train: {epochs: 2, batch_size: 8}
            grid: {activation: [tanh], depth: [2], width: [3], seed: [1, 2, 3]}
            """), 10);
    static final Split DATA = Split.of(TRIALS.get(0).dataset());
    /** One tensor of four values. */
    static final ParamLayout LAYOUT = new ParamLayout(List.of(new ParamLayout.Segment(0, "W", 0, 4, "0")));

    /** An engine that trains by script: each recorder is bound, then {@code script} plays on all of them. */
    static Trainer scripted(BiConsumer<List<TrialRecorder>, Split> script) {
        return new Trainer() {
            @Override
            public void requireTrainable(List<TrialConfig> trials) {
                if (trials.size() > 3) {
                    throw new IllegalArgumentException("at most 3");
                }
            }

            @Override
            public void train(List<TrialRecorder> trials, Split data) {
                trials.forEach(r -> r.begin(LAYOUT));
                script.accept(trials, data);
            }
        };
    }

    static final Map<TrialConfig, CollectingSink> SINKS = new HashMap<>();

    static List<TrialOutcome> run(Trainer trainer) {
        SINKS.clear();
        return TrialRun.run(trainer, TRIALS, DATA, t -> SINKS.computeIfAbsent(t, x -> new CollectingSink()));
    }

    @Test
    void aFailureFailsTheTrialsStillTrainingWithTheTraceWhileADivergedOneStaysDiverged() {
        List<TrialOutcome> outcomes = run(scripted((trials, data) -> {
            for (TrialRecorder r : trials) {
                r.epoch(0, new Evaluation(0.5, 0.75), null);
                r.finishIteration(0, 0.4);
            }
            trials.get(1).finishIteration(1, Double.NaN);
            throw new IllegalStateException("boom", new ArithmeticException("root cause"));
        }));
        assertThat(outcomes).extracting(TrialOutcome::status)
                .containsExactly(TrialOutcome.FAILED, TrialOutcome.DIVERGED, TrialOutcome.FAILED);
        TrialOutcome failed = outcomes.get(0);
        assertThat(failed.error()).isEqualTo("java.lang.IllegalStateException: boom");
        assertThat(failed.errorTrace()).startsWith("java.lang.IllegalStateException: boom\n\tat io.gradsweep.train.")
                .contains("\tat io.gradsweep.train.TrialRun.train(",
                        "Caused by: java.lang.ArithmeticException: root cause");
        assertThat(failed.trainLoss()).isEqualTo(0.5);
        assertThat(failed.trainAccuracy()).isEqualTo(0.75);
        assertThat(failed.iterations()).isEqualTo(1);
        assertThat(outcomes).extracting(TrialOutcome::diagnosis).as("a failed trial is never diagnosed healthy")
                .containsExactly("failed", "healthy", "failed");
        assertThat(outcomes.get(1).error()).isNull();
        assertThat(outcomes.get(1).errorTrace()).isNull();
        assertThat(outcomes.get(1).iterations()).isEqualTo(2);
        assertThat(SINKS.get(TRIALS.get(2)).epochs).hasSize(1);
    }

    @Test
    void anOutOfMemoryErrorIsTheTrialsFailureToo() {
        List<TrialOutcome> outcomes = run(scripted((trials, data) -> {
            throw new OutOfMemoryError("Java heap space");
        }));
        assertThat(outcomes).extracting(TrialOutcome::error)
                .containsOnly("java.lang.OutOfMemoryError: Java heap space");
    }

    @Test
    void outputAndClusterFailuresAreNotTheTrialsAndPropagate() {
        UncheckedIOException disk = new UncheckedIOException(new IOException("No space left on device"));
        assertThatThrownBy(() -> run(scripted((trials, data) -> {
            throw disk;
        }))).isSameAs(disk);
        ClusterFailure cluster = new ClusterFailure("lost the executors", null);
        assertThatThrownBy(() -> run(scripted((trials, data) -> {
            throw cluster;
        }))).isSameAs(cluster);
    }

    @Test
    void trialsTheEngineCannotTrainTogetherAreRefusedBeforeAnySinkOpens() {
        List<TrialConfig> four = List.of(TRIALS.get(0), TRIALS.get(1), TRIALS.get(2), TRIALS.get(0));
        Map<TrialConfig, CollectingSink> opened = new HashMap<>();
        assertThatThrownBy(() -> TrialRun.run(scripted((trials, data) -> { }), four, DATA,
                t -> opened.computeIfAbsent(t, x -> new CollectingSink()))).hasMessage("at most 3");
        assertThat(opened).isEmpty();
    }

    @Test
    void aTrialFailedAtItsStartNeverReachesTheEngineNorOpensASink() {
        System.setProperty(Faults.FAIL_TRIALS, TRIALS.get(2).trialId());
        List<Integer> trained = new ArrayList<>();
        try {
            List<TrialOutcome> outcomes = run(scripted((trials, data) -> trained.add(trials.size())));
            assertThat(outcomes).extracting(TrialOutcome::status)
                    .containsExactly(TrialOutcome.OK, TrialOutcome.OK, TrialOutcome.FAILED);
            assertThat(outcomes.get(2).errorTrace()).startsWith("java.lang.IllegalStateException: injected failure "
                    + "for trial " + TRIALS.get(2).trialId()).contains("\tat io.gradsweep.train.Faults.beforeTrial(");
            assertThat(outcomes.get(2).iterations()).isZero();
            assertThat(trained).containsExactly(2);
            assertThat(SINKS).containsOnlyKeys(TRIALS.get(0), TRIALS.get(1));
        } finally {
            System.clearProperty(Faults.FAIL_TRIALS);
        }
    }

    @Test
    void aNonFiniteEvaluationLossIsDivergenceInEveryEngine() {
        List<TrialOutcome> outcomes = run(scripted((trials, data) -> {
            for (TrialRecorder r : trials) {
                r.finishIteration(0, 0.3);
            }
            trials.get(0).epoch(0, new Evaluation(Double.POSITIVE_INFINITY, 0.5), null);
            trials.get(1).epoch(0, new Evaluation(0.3, 0.5), null);
        }));
        assertThat(outcomes).extracting(TrialOutcome::status)
                .containsExactly(TrialOutcome.DIVERGED, TrialOutcome.OK, TrialOutcome.OK);
    }

    @Test
    void wallTimeIsSharedByIterations() {
        List<TrialOutcome> outcomes = run(scripted((trials, data) -> {
            trials.get(0).finishIteration(2, 0.1);
            trials.get(1).finishIteration(5, 0.1);
            trials.get(2).finishIteration(8, 0.1);
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        // 3, 6 and 9 iterations of at least 300 ms: floor(ms * 3 / 18), floor(ms * 6 / 18), floor(ms * 9 / 18)
        assertThat(outcomes.stream().mapToLong(TrialOutcome::wallMs).sum()).isGreaterThanOrEqualTo(298L);
        long first = outcomes.get(0).wallMs();
        assertThat(outcomes.get(2).wallMs()).isBetween(3 * first, 3 * first + 2);
    }
}
