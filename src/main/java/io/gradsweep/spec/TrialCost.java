package io.gradsweep.spec;

import java.util.List;

/**
 * What one trial holds while it trains: its parameter count, as DL4J's {@code numParams()} counts it (batch norm's
 * running mean and variance included, since they sit in the same parameter array), and an estimate of its bytes.
 *
 * <p>The estimate counts float32 buffers: per parameter the parameters and gradient in ND4J, the optimizer's state
 * slots, and the statistics' three host copies (gradient, weights, update); per example of a minibatch every value
 * the forward pass keeps for backprop and its gradient; and the training data. It is a lower bound on what the JVM
 * needs (workspaces, Spark and the JVM itself come on top), so a trial over a limit cannot run at all.
 */
public record TrialCost(long parameters, double bytes) {
    static final int FLOAT = 4;
    /** Parameters, gradient (ND4J) and the three host copies of gradient, weights and update. */
    static final int BUFFERS_PER_PARAMETER = 5;
    /** Positions of the CNN's maps: 14x14 after its stride-2 stem, kept by every block (same padding). */
    public static final int CNN_MAP = 14 * 14;
    /** Pixels of an MNIST image. */
    private static final int IMAGE = 28 * 28;

    public static TrialCost of(TrialConfig t) {
        long params = parameters(t);
        // in double: absurd specs (1000 LSTM layers of 100000 units over 100000 steps) pass Long.MAX_VALUE bytes
        double floats = (double) params * (BUFFERS_PER_PARAMETER + stateSlots(t.optimizer()))
                + 2.0 * t.train().batchSize() * activations(t)
                + (double) t.dataset().samples() * t.dataset().numFeatures() * Math.max(1, t.dataset().length());
        return new TrialCost(params, floats * FLOAT);
    }

    /** Trainable values of the trial's network, in every model family. */
    public static long parameters(TrialConfig t) {
        Architecture a = t.architecture();
        List<Integer> widths = a.widths();
        int bn = a.batchNorm() ? 4 : 0; // gamma, beta, running mean, running variance
        long params = 0;
        long in = a.model().equals(Architecture.CNN) ? 1 : t.dataset().numFeatures();
        for (int w : widths) {
            params += switch (a.model()) {
                case Architecture.CNN -> (9 * in + 1 + bn) * w; // 3x3 kernels and a bias per channel
                case Architecture.SIMPLE_RNN -> (in + w + 1) * w; // W, RW, b
                case Architecture.LSTM -> 4 * (in + w + 1) * w; // four gates side by side
                default -> (in + 1 + bn) * w;
            };
            in = w;
        }
        return params + (in + 1) * outputs(t);
    }

    /** Output units: one for regression and two classes, else one per class. */
    public static int outputs(TrialConfig t) {
        int classes = t.dataset().numClasses();
        return classes <= 2 ? 1 : classes;
    }

    /** Optimizer state per parameter: Adam's two moments, one for momentum and RMSprop, none for plain SGD. */
    static int stateSlots(Optimizer o) {
        return switch (o.kind()) {
            case SGD -> 0;
            case MOMENTUM, NESTEROV, RMSPROP -> 1;
            case ADAM, ADAMW -> 2;
        };
    }

    /**
     * Values one example passes through the net: input, hidden units (three per unit with batch norm: before it,
     * after it and after the activation), outputs. A CNN unit is a channel at each of 196 positions; a recurrent
     * layer keeps every step, an LSTM its four gates and cell state besides its output.
     */
    static double activations(TrialConfig t) {
        Architecture a = t.architecture();
        long hidden = a.widths().stream().mapToLong(Integer::longValue).sum();
        long perUnit = a.batchNorm() ? 3 : 1;
        return switch (a.model()) {
            case Architecture.CNN -> IMAGE + hidden * CNN_MAP * perUnit + outputs(t);
            case Architecture.SIMPLE_RNN, Architecture.LSTM -> {
                long perStep = t.dataset().numFeatures() + hidden * (a.model().equals(Architecture.LSTM) ? 6 : 1);
                yield (double) t.dataset().length() * perStep + outputs(t);
            }
            default -> t.dataset().numFeatures() + hidden * perUnit + outputs(t);
        };
    }
}
