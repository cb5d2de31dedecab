package io.gradsweep.data;

import io.gradsweep.spec.DatasetSpec;
import java.util.Random;

/**
 * The adding problem of Hochreiter and Schmidhuber (1997), in the form later work uses (Le, Jaitly and Hinton 2015;
 * Arjovsky, Shah and Bengio 2016): every example is T steps of two features. Feature 0 holds values uniform in
 * [0, 1); feature 1 is a marker that is 1 at exactly two steps, the first uniform in [0, T/2) and the second in
 * [T/2, T) (T/2 rounded down), and 0 elsewhere. The target is the sum of the two marked values, so predicting the
 * constant 1 scores MSE = Var(U1 + U2) = 1/6: the baseline a model must beat to have found the markers.
 */
public final class Adding {
    private Adding() {
    }

    public static Dataset generate(DatasetSpec spec) {
        return generate(spec.samples(), spec.length(), spec.seed());
    }

    static Dataset generate(int samples, int steps, long seed) {
        Random rng = new Random(seed);
        int half = steps / 2;
        float[] x = new float[samples * 2 * steps];
        float[] y = new float[samples];
        for (int i = 0; i < samples; i++) {
            int values = i * 2 * steps;
            int markers = values + steps;
            for (int t = 0; t < steps; t++) {
                x[values + t] = rng.nextFloat();
            }
            int first = rng.nextInt(half);
            int second = half + rng.nextInt(steps - half);
            x[markers + first] = 1;
            x[markers + second] = 1;
            y[i] = x[values + first] + x[values + second];
        }
        return Dataset.sequenceRegression(x, y, 2, steps);
    }
}
