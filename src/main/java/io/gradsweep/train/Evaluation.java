package io.gradsweep.train;

import io.gradsweep.data.Dataset;
import io.gradsweep.model.Network;
import java.io.Serializable;

/** Loss on a full set, and accuracy for classification (null for regression). */
public record Evaluation(double loss, Double accuracy) implements Serializable {

    public static Evaluation of(Network net, Dataset d) {
        return of(Dl4jTrainer.outputs(net, d), d);
    }

    /** From a network's outputs on {@code d}: probabilities, or regression values, row-major. */
    public static Evaluation of(float[] outputs, Dataset d) {
        if (d.regression()) {
            return new Evaluation(Metrics.meanSquaredError(outputs, d), null);
        }
        double[] m = Metrics.evaluate(outputs, d);
        return new Evaluation(m[0], m[1]);
    }
}
