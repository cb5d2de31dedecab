package io.gradsweep.train;

import io.gradsweep.data.Dataset;
import io.gradsweep.model.Network;
import java.io.Serializable;

/**
 * Loss on a full set, accuracy for classification (null for regression), and {@code chance}: what the best
 * constant predictor scores on the same set, the yardstick of the {@code stalled} diagnosis (see
 * {@link io.gradsweep.stats.Diagnosis#stalled}). For classification it is the majority-class rate (1/classes on a
 * balanced set, but honest on an unbalanced one); for regression the mean squared error of predicting the set's
 * mean target, that is the targets' population variance. Null where unknown.
 */
public record Evaluation(double loss, Double accuracy, Double chance) implements Serializable {

    /** An evaluation without a chance level: it never reads as stalled. */
    public Evaluation(double loss, Double accuracy) {
        this(loss, accuracy, null);
    }

    public static Evaluation of(Network net, Dataset d) {
        return of(Dl4jTrainer.outputs(net, d), d);
    }

    /** From a network's outputs on {@code d}: probabilities, or regression values, row-major. */
    public static Evaluation of(float[] outputs, Dataset d) {
        if (d.regression()) {
            return new Evaluation(Metrics.meanSquaredError(outputs, d), null, Metrics.constantPredictorMse(d));
        }
        double[] m = Metrics.evaluate(outputs, d);
        return new Evaluation(m[0], m[1], Metrics.majorityRate(d));
    }
}
