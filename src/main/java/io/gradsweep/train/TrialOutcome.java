package io.gradsweep.train;

import io.gradsweep.spec.TrialConfig;
import java.io.Serializable;

/**
 * How a trial ended. {@code status} is ok, diverged (loss or gradients became non-finite; training stopped there)
 * or failed (an exception; {@code error} holds it). Metrics are from the last completed evaluation, or null.
 */
public record TrialOutcome(TrialConfig config, String status, Double trainLoss, Double trainAccuracy,
                           Double testLoss, Double testAccuracy, long iterations, long wallMs, String diagnosis,
                           Double gradRatio, Double maxGradL2, String error) implements Serializable {
    public static final String OK = "ok";
    public static final String DIVERGED = "diverged";
    public static final String FAILED = "failed";

    public String trialId() {
        return config.trialId();
    }
}
