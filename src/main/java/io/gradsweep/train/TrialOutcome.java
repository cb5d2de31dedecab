package io.gradsweep.train;

import io.gradsweep.spec.TrialConfig;
import java.io.Serializable;

/**
 * How a trial ended, as {@link TrialRecorder#outcome} assembles it for every engine. {@code status} is ok, diverged
 * (see {@link TrialRecorder} for the one divergence rule; training stopped there) or failed ({@code failure} holds
 * the exception). {@code train} and {@code test} are the last completed evaluation, or null; {@code diagnosis},
 * {@code gradRatio} and {@code maxGradL2} come from {@link io.gradsweep.stats.Diagnosis}.
 */
public record TrialOutcome(TrialConfig config, String status, Evaluation train, Evaluation test, long iterations,
                           long wallMs, String diagnosis, Double gradRatio, Double maxGradL2, TrialFailure failure)
        implements Serializable {
    public static final String OK = "ok";
    public static final String DIVERGED = "diverged";
    public static final String FAILED = "failed";

    public TrialOutcome {
        if (status.equals(FAILED) != (failure != null)) {
            throw new IllegalArgumentException("a trial has a failure exactly when its status is failed, not "
                    + status + " with " + failure);
        }
    }

    public String trialId() {
        return config.trialId();
    }

    public Double trainLoss() {
        return train == null ? null : train.loss();
    }

    public Double trainAccuracy() {
        return train == null ? null : train.accuracy();
    }

    public Double testLoss() {
        return test == null ? null : test.loss();
    }

    public Double testAccuracy() {
        return test == null ? null : test.accuracy();
    }

    /** The final evaluation the diagnosis judged: the test set's when there is a split, else the training set's. */
    public Evaluation last() {
        return test != null ? test : train;
    }

    /** The best constant predictor's score on {@link #last()}, the {@code stalled} diagnosis's chance level. */
    public Double chance() {
        return last() == null ? null : last().chance();
    }

    /** The exception's one line, or null. */
    public String error() {
        return failure == null ? null : failure.message();
    }

    /** The exception's full stack trace, or null. */
    public String errorTrace() {
        return failure == null ? null : failure.trace();
    }
}
