package io.gradsweep.stats;

import java.io.Serializable;

/**
 * One recorded iteration of one parameter tensor. Gradient columns describe the raw mean-loss gradient before any
 * clipping; weight columns the parameters the gradient was taken at; {@code updateRatio} is
 * ||applied update||_2 / ||weights||_2 (null while the weights are all zero); {@code clippedL2} and
 * {@code clipFraction} say what clipping did (see {@link ClipStats}). {@code worker} and {@code round} are null in
 * local mode; in data-parallel mode they name the data shard whose replica took the gradient and the
 * parameter-averaging round it belongs to.
 */
public record GradientRow(String trialId, int epoch, long iteration, int layer, String param, Moments gradient,
                          Moments weight, Double updateRatio, double clippedL2, double clipFraction, Integer worker,
                          Integer round) implements Serializable {

    public GradientRow(String trialId, int epoch, long iteration, int layer, String param, Moments gradient,
                       Moments weight, Double updateRatio, double clippedL2, double clipFraction) {
        this(trialId, epoch, iteration, layer, param, gradient, weight, updateRatio, clippedL2, clipFraction, null,
                null);
    }

    /** This row as recorded by one data-parallel worker. */
    public GradientRow onWorker(int workerId, int roundNumber) {
        return new GradientRow(trialId, epoch, iteration, layer, param, gradient, weight, updateRatio, clippedL2,
                clipFraction, workerId, roundNumber);
    }
}
