package io.gradsweep.train;

import io.gradsweep.data.Dataset;

/**
 * Loss and accuracy from network outputs, with Keras's conventions: probabilities clipped to [1e-7, 1 - 1e-7]
 * before the log, mean over examples, threshold 0.5 for a single sigmoid unit, argmax otherwise; for regression
 * the mean squared error and no accuracy.
 */
public final class Metrics {
    static final double EPS = 1e-7;

    private Metrics() {
    }

    /** {@code probs} is row-major [n, 1] for binary tasks and [n, k] for softmax outputs. Returns {loss, accuracy}. */
    public static double[] evaluate(float[] probs, Dataset data) {
        int n = data.size();
        int width = probs.length / n;
        double loss = 0;
        int correct = 0;
        for (int i = 0; i < n; i++) {
            int y = data.labels()[i];
            if (width == 1) {
                double p = clip(probs[i]);
                loss -= y == 1 ? Math.log(p) : Math.log(1 - p);
                correct += (probs[i] > 0.5 ? 1 : 0) == y ? 1 : 0;
            } else {
                loss -= Math.log(clip(probs[i * width + y]));
                correct += argmax(probs, i * width, width) == y ? 1 : 0;
            }
        }
        return new double[] {loss / n, (double) correct / n};
    }

    /** Keras {@code mse} for one output unit: the mean over examples of (output - target)^2. */
    public static double meanSquaredError(float[] outputs, Dataset data) {
        double sum = 0;
        for (int i = 0; i < data.size(); i++) {
            double e = (double) outputs[i] - data.targets()[i];
            sum += e * e;
        }
        return sum / data.size();
    }

    /** The accuracy of always predicting the most frequent class of {@code data}. */
    public static double majorityRate(Dataset data) {
        int max = 0;
        for (int c : data.classCounts()) {
            max = Math.max(max, c);
        }
        return (double) max / data.size();
    }

    /** The mean squared error of always predicting the mean target of {@code data}: the targets' variance. */
    public static double constantPredictorMse(Dataset data) {
        float[] y = data.targets();
        double mean = 0;
        for (float v : y) {
            mean += v;
        }
        mean /= y.length;
        double sum = 0;
        for (float v : y) {
            sum += (v - mean) * (v - mean);
        }
        return sum / y.length;
    }

    private static double clip(double p) {
        return Double.isNaN(p) ? p : Math.min(1 - EPS, Math.max(EPS, p));
    }

    private static int argmax(float[] v, int offset, int width) {
        int best = 0;
        for (int j = 1; j < width; j++) {
            if (v[offset + j] > v[offset + best]) {
                best = j;
            }
        }
        return best;
    }
}
