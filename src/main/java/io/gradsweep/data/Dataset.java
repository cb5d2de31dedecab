package io.gradsweep.data;

/**
 * Examples as a dense row-major float matrix with integer class labels. Plain arrays keep the data layer free of
 * ND4J and cheap to ship to executors.
 */
public record Dataset(float[] features, int[] labels, int numFeatures, int numClasses) {
    public Dataset {
        if (numFeatures < 1 || numClasses < 2 || features.length != (long) labels.length * numFeatures) {
            throw new IllegalArgumentException("features must be labels.length x numFeatures");
        }
        for (int label : labels) {
            if (label < 0 || label >= numClasses) {
                throw new IllegalArgumentException("label " + label + " outside [0, " + numClasses + ")");
            }
        }
    }

    public int size() {
        return labels.length;
    }

    public float feature(int row, int col) {
        return features[row * numFeatures + col];
    }

    /** The rows at {@code indices}, in that order. */
    public Dataset select(int[] indices) {
        float[] x = new float[indices.length * numFeatures];
        int[] y = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(features, indices[i] * numFeatures, x, i * numFeatures, numFeatures);
            y[i] = labels[indices[i]];
        }
        return new Dataset(x, y, numFeatures, numClasses);
    }

    public int[] classCounts() {
        int[] counts = new int[numClasses];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }
}
