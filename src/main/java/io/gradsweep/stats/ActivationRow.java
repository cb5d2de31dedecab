package io.gradsweep.stats;

import io.gradsweep.spec.Activation;
import java.io.Serializable;

/**
 * One hidden layer's outputs over one recorded minibatch (Glorot and Bengio 2010, figure 2): mean and population std of
 * all unit outputs, the fraction of outputs in the saturated tails (sigmoid, tanh, softsign; else null), and the
 * fraction of units that output exactly zero for every example (relu; else null). {@code preactGradient} describes
 * the gradient of the mean minibatch loss with respect to the same layer's pre-activations s, over the same
 * examples and units (their figure 7 and eq. 14), or is null where the engine does not expose it. {@code worker} and
 * {@code round} are as in {@link GradientRow}: null in local mode.
 */
public record ActivationRow(String trialId, int epoch, long iteration, int layer, int n, double mean, double std,
                            Double saturatedFraction, Double deadFraction, Moments preactGradient, Integer worker,
                            Integer round) implements Serializable {

    public ActivationRow {
        if (preactGradient != null && preactGradient.n() != n) {
            throw new IllegalArgumentException("the pre-activation gradient has " + preactGradient.n()
                    + " values; expected one per output, " + n);
        }
    }

    public ActivationRow(String trialId, int epoch, long iteration, int layer, int n, double mean, double std,
                         Double saturatedFraction, Double deadFraction) {
        this(trialId, epoch, iteration, layer, n, mean, std, saturatedFraction, deadFraction, null, null, null);
    }

    /** This row as recorded by one data-parallel worker. */
    public ActivationRow onWorker(int workerId, int roundNumber) {
        return new ActivationRow(trialId, epoch, iteration, layer, n, mean, std, saturatedFraction, deadFraction,
                preactGradient, workerId, roundNumber);
    }

    /** This row with the moments of its layer's pre-activation gradient. */
    public ActivationRow withPreactGradient(Moments gradient) {
        return new ActivationRow(trialId, epoch, iteration, layer, n, mean, std, saturatedFraction, deadFraction,
                gradient, worker, round);
    }

    /** Summarises a row-major [rows, units] block of outputs of a layer with the given activation. */
    public static ActivationRow of(String trialId, int epoch, long iteration, int layer, float[] a, int units,
                                   Activation.Function activation) {
        return of(trialId, epoch, iteration, layer, a, 0, a.length, units, activation);
    }

    /**
     * The same for the block at {@code a[offset .. offset+length)}: a vector group's trials share one array, and
     * copying each trial's block out was an eighth of the memory a group's task allocated.
     */
    public static ActivationRow of(String trialId, int epoch, long iteration, int layer, float[] a, int offset,
                                   int length, int units, Activation.Function activation) {
        // The sums of Moments.of, so the same mean and std. Saturated outputs are counted in a pass of their own,
        // branch-free: the sums run on vectors (LaneSums), and activations are most of the values a vector group's
        // statistics read.
        int rule = saturationRule(activation);
        double[] sums = LaneSums.of(a, offset, length);
        double sum = sums[LaneSums.SUM];
        double sumSq = sums[LaneSums.SUM_SQ];
        int saturated = 0;
        if (rule != UNBOUNDED) {
            for (int i = offset; i < offset + length; i++) {
                saturated += saturated(a[i], rule) ? 1 : 0;
            }
        }
        double mean = sum / length;
        return new ActivationRow(trialId, epoch, iteration, layer, length, mean,
                Math.sqrt(Moments.variance(a, offset, length, mean, sumSq)),
                rule == UNBOUNDED ? null : (double) saturated / length, dead(a, offset, length, units, activation));
    }

    /**
     * The same for a recurrent layer's outputs read in place ({@link SequenceView}): equal, bit for bit, to
     * {@link #of} over the view's values copied out as [examples x steps, units] rows.
     */
    public static ActivationRow ofSequence(String trialId, int epoch, long iteration, int layer, SequenceView v,
                                           Activation.Function activation) {
        int rule = saturationRule(activation);
        float[] a = v.values();
        LaneAccumulator sums = new LaneAccumulator(v.length());
        int saturated = 0;
        for (int r = 0; r < v.rows(); r++) {
            for (int i = 0; i < v.steps(); i++) {
                int at = v.offset() + r * v.rowStride() + i * v.stepStride();
                for (int j = 0; j < v.units(); j++) {
                    float f = a[at + j * v.unitStride()];
                    sums.add(f);
                    saturated += rule != UNBOUNDED && saturated(f, rule) ? 1 : 0;
                }
            }
        }
        double sum = sums.sum();
        double sumSq = sums.sumSq();
        int length = v.length();
        double mean = sum / length;
        double meanSquare = sumSq / length;
        double variance = Moments.cancels(mean, meanSquare) ? v.meanSquaredDeviation(mean) : meanSquare - mean * mean;
        return new ActivationRow(trialId, epoch, iteration, layer, length, mean, Math.sqrt(variance),
                rule == UNBOUNDED ? null : (double) saturated / length,
                activation == Activation.Function.RELU ? v.deadFraction() : null);
    }

    private static final int UNBOUNDED = 0;
    private static final int ZERO_TO_ONE = 1;
    private static final int SYMMETRIC = 2;

    /** Bounded activations have a saturation; the others' fraction is null. */
    private static int saturationRule(Activation.Function activation) {
        return switch (activation) {
            case SIGMOID -> ZERO_TO_ONE;
            case TANH, SOFTSIGN -> SYMMETRIC;
            case RELU, LEAKYRELU, ELU, SELU, SOFTPLUS, LINEAR, SWISH, GELU -> UNBOUNDED;
        };
    }

    /** Beyond 99% of the output range: |a| > 0.99 for tanh and softsign, a < 0.01 or a > 0.99 for sigmoid. */
    private static boolean saturated(float v, int rule) {
        return rule == ZERO_TO_ONE ? v < 0.01f || v > 0.99f : Math.abs(v) > 0.99f;
    }

    /** A relu unit that outputs exactly zero for every row is dead; other activations have no such fraction. */
    static Double dead(float[] a, int offset, int length, int units, Activation.Function activation) {
        if (activation != Activation.Function.RELU) {
            return null;
        }
        int rows = length / units;
        int dead = 0;
        for (int j = 0; j < units; j++) {
            boolean zero = true;
            for (int r = 0; r < rows && zero; r++) {
                zero = a[offset + r * units + j] == 0f;
            }
            dead += zero ? 1 : 0;
        }
        return (double) dead / units;
    }
}
