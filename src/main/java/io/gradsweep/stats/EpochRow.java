package io.gradsweep.stats;

/** Loss and accuracy after an epoch, evaluated on the full training set and, when there is one, the test set. */
public record EpochRow(String trialId, int epoch, double trainLoss, double trainAccuracy, Double testLoss,
                       Double testAccuracy) {
}
