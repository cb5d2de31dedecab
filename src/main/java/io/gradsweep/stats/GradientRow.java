package io.gradsweep.stats;

/**
 * One recorded iteration of one parameter tensor. Gradient columns describe the raw mean-loss gradient before any
 * clipping; weight columns the parameters the gradient was taken at; {@code updateRatio} is
 * ||applied update||_2 / ||weights||_2 (null while the weights are all zero); {@code clippedL2} and
 * {@code clipFraction} say what clipping did (see {@link ClipStats}).
 */
public record GradientRow(String trialId, int epoch, long iteration, int layer, String param, Moments gradient,
                          Moments weight, Double updateRatio, double clippedL2, double clipFraction) {
}
