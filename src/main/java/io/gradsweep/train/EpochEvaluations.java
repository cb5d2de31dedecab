package io.gradsweep.train;

import io.gradsweep.data.Split;
import io.gradsweep.model.Network;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.stats.Diagnosis;
import io.gradsweep.stats.EpochRow;

/**
 * A DL4J-trained trial's end-of-epoch evaluations: each is written to the epochs table, and the last one becomes the
 * metrics of its {@link TrialOutcome}. Shared by the local and the data-parallel trainer.
 */
final class EpochEvaluations {
    private final TrialConfig t;
    private final Split data;
    private final TrialSink sink;
    private Evaluation train;
    private Evaluation test;

    EpochEvaluations(TrialConfig t, Split data, TrialSink sink) {
        this.t = t;
        this.data = data;
        this.sink = sink;
    }

    /** Evaluates {@code net} on the full training and (if any) test set after {@code epoch}. */
    void evaluate(Network net, int epoch) {
        train = Evaluation.of(net, data.train());
        test = data.hasTest() ? Evaluation.of(net, data.test()) : null;
        sink.epoch(new EpochRow(t.trialId(), epoch, train.loss(), train.accuracy(),
                test == null ? null : test.loss(), test == null ? null : test.accuracy()));
    }

    /** The latest evaluation on the training set; null before the first epoch ends. */
    Evaluation train() {
        return train;
    }

    /** The latest evaluation on the test set; null before the first epoch ends or without a split. */
    Evaluation test() {
        return test;
    }

    TrialOutcome outcome(String status, long iterations, long startNanos, Diagnosis diagnosis, String error) {
        long wallMs = (System.nanoTime() - startNanos) / 1_000_000;
        return new TrialOutcome(t, status, train == null ? null : train.loss(),
                train == null ? null : train.accuracy(), test == null ? null : test.loss(),
                test == null ? null : test.accuracy(), iterations, wallMs, diagnosis.classify(),
                diagnosis.medianRatio(), diagnosis.maxL2(), error);
    }
}
