package io.gradsweep.stats;

import java.io.Serializable;

/**
 * One hidden layer's outputs over one recorded minibatch (Glorot and Bengio 2010, figure 2): mean and population std of
 * all unit outputs, the fraction of outputs in the saturated tails (sigmoid, tanh, softsign; else null), and the
 * fraction of units that output exactly zero for every example (relu; else null). {@code worker} and {@code round}
 * are as in {@link GradientRow}: null in local mode.
 */
public record ActivationRow(String trialId, int epoch, long iteration, int layer, int n, double mean, double std,
                            Double saturatedFraction, Double deadFraction, Integer worker, Integer round)
        implements Serializable {

    public ActivationRow(String trialId, int epoch, long iteration, int layer, int n, double mean, double std,
                         Double saturatedFraction, Double deadFraction) {
        this(trialId, epoch, iteration, layer, n, mean, std, saturatedFraction, deadFraction, null, null);
    }

    /** This row as recorded by one data-parallel worker. */
    public ActivationRow onWorker(int workerId, int roundNumber) {
        return new ActivationRow(trialId, epoch, iteration, layer, n, mean, std, saturatedFraction, deadFraction,
                workerId, roundNumber);
    }

    /** Summarises a row-major [rows, units] block of outputs of a layer with the given activation. */
    public static ActivationRow of(String trialId, int epoch, long iteration, int layer, float[] a, int units,
                                   String activation) {
        // The sums of Moments.of in the same order and the same variance rule, so the same mean and std, without
        // the sums and maximum this row does not keep: activations are most of the values a vector group's
        // statistics read.
        double sum = 0;
        double sumSq = 0;
        for (float v : a) {
            double x = v;
            sum += x;
            sumSq += x * x;
        }
        double mean = sum / a.length;
        return new ActivationRow(trialId, epoch, iteration, layer, a.length, mean,
                Math.sqrt(Moments.variance(a, 0, a.length, mean, sumSq)),
                saturated(a, activation), dead(a, units, activation));
    }

    /** Beyond 99% of the output range: |a| > 0.99 for tanh and softsign, a < 0.01 or a > 0.99 for sigmoid. */
    static Double saturated(float[] a, String activation) {
        boolean sigmoid = activation.equals("sigmoid");
        if (!sigmoid && !activation.equals("tanh") && !activation.equals("softsign")) {
            return null;
        }
        int count = 0;
        for (float v : a) {
            count += (sigmoid ? v < 0.01f || v > 0.99f : Math.abs(v) > 0.99f) ? 1 : 0;
        }
        return (double) count / a.length;
    }

    static Double dead(float[] a, int units, String activation) {
        if (!activation.equals("relu")) {
            return null;
        }
        int rows = a.length / units;
        int dead = 0;
        for (int j = 0; j < units; j++) {
            boolean zero = true;
            for (int r = 0; r < rows && zero; r++) {
                zero = a[r * units + j] == 0f;
            }
            dead += zero ? 1 : 0;
        }
        return (double) dead / units;
    }
}
