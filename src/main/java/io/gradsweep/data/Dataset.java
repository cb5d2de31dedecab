package io.gradsweep.data;

import java.io.Serializable;

/**
 * Examples as a dense row-major float matrix with their targets: integer class labels for classification
 * ({@code numClasses >= 2}, {@code targets} null), or one float per example for regression ({@code numClasses == 0},
 * {@code labels} null). Plain arrays keep the data layer free of ND4J and cheap to ship to executors.
 *
 * <p>{@code numFeatures} counts the features of one step. Sequence data has {@code steps > 0} and each row laid out
 * [feature][step], which is DL4J's recurrent input [examples, features, steps] in C order; flat data has
 * {@code steps == 0}.
 */
public record Dataset(float[] features, int[] labels, float[] targets, int numFeatures, int numClasses, int steps)
        implements Serializable {
    public Dataset {
        boolean regression = labels == null;
        int size = regression ? (targets == null ? -1 : targets.length) : labels.length;
        if (size < 0 || (regression ? numClasses != 0 : numClasses < 2 || targets != null) || numFeatures < 1
                || steps < 0 || features.length != (long) size * numFeatures * Math.max(1, steps)) {
            throw new IllegalArgumentException("features must be size x numFeatures x steps, with labels or targets");
        }
        for (int label : regression ? new int[0] : labels) {
            if (label < 0 || label >= numClasses) {
                throw new IllegalArgumentException("label " + label + " outside [0, " + numClasses + ")");
            }
        }
    }

    /** Classification on flat feature vectors. */
    public Dataset(float[] features, int[] labels, int numFeatures, int numClasses) {
        this(features, labels, null, numFeatures, numClasses, 0);
    }

    /** Regression on sequences of {@code steps} steps of {@code numFeatures} features. */
    public static Dataset sequenceRegression(float[] features, float[] targets, int numFeatures, int steps) {
        return new Dataset(features, null, targets, numFeatures, 0, steps);
    }

    public int size() {
        return labels != null ? labels.length : targets.length;
    }

    public boolean regression() {
        return labels == null;
    }

    public boolean sequence() {
        return steps > 0;
    }

    /** Floats per example: the features of every step. */
    public int rowLength() {
        return numFeatures * Math.max(1, steps);
    }

    public float feature(int row, int col) {
        return features[row * rowLength() + col];
    }

    /** The rows at {@code indices}, in that order. */
    public Dataset select(int[] indices) {
        int width = rowLength();
        float[] x = new float[indices.length * width];
        int[] y = labels == null ? null : new int[indices.length];
        float[] z = targets == null ? null : new float[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(features, indices[i] * width, x, i * width, width);
            if (y != null) {
                y[i] = labels[indices[i]];
            } else {
                z[i] = targets[indices[i]];
            }
        }
        return new Dataset(x, y, z, numFeatures, numClasses, steps);
    }

    /** The same examples and targets with other feature values, e.g. scaled ones. */
    public Dataset withFeatures(float[] x) {
        return new Dataset(x, labels, targets, numFeatures, numClasses, steps);
    }

    public int[] classCounts() {
        if (regression()) {
            throw new IllegalStateException("a regression dataset has no classes");
        }
        int[] counts = new int[numClasses];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }
}
