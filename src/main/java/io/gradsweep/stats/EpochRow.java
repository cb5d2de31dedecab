package io.gradsweep.stats;

/**
 * Loss and accuracy after an epoch, evaluated on the full training set and, when there is one, the test set.
 * Regression has a loss (mean squared error) but no accuracy.
 */
public record EpochRow(String trialId, int epoch, double trainLoss, Double trainAccuracy, Double testLoss,
                       Double testAccuracy) {
}
