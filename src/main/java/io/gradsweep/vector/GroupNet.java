package io.gradsweep.vector;

import io.gradsweep.stats.ParamLayout;
import io.gradsweep.train.TrialRecorder;

/**
 * A batched network of K same-shaped trials, as {@link GroupRun} drives it: whatever the family (a dense net, a
 * recurrent or a convolutional one), the group's parameters are one flat float vector in Java, where {@link Step}
 * updates them, and each trial's tensors sit in it as its {@link #layout} says, in DL4J's order. A family supplies
 * its forward and backward passes and its initial parameters; the loop, the minibatches, the update rule, the
 * divergence rule and the recording order are shared.
 */
interface GroupNet {
    /** Trials in the group. */
    int trials();

    /** Floats in the group's flat parameter (and gradient) vector. */
    int length();

    /**
     * Trial {@code k}'s tensors in DL4J's flat order, each a contiguous slice of the group's vector; a segment's
     * owner is the DL4J layer that per-layer clipping counts it in. Tensors the optimizer does not update (batch
     * norm's running statistics) are kept out of it; see {@link #runningStats}.
     */
    ParamLayout layout(int k);

    /**
     * Trial {@code k}'s tensors outside its layout that DL4J nonetheless moves through the gradient view, as
     * {from, to} ranges (batch norm's running mean and log10 std): the pass writes their update there, and
     * {@link Step} clips it as DL4J's per-tensor and value clipping do and subtracts it, with no division by the
     * minibatch and no update rule. None by default.
     */
    default int[][] runningStats(int k) {
        return new int[0][];
    }

    /** The starting parameters, in this layout: each trial's own DL4J network's, so seeds and initializers agree. */
    float[] initialParams();

    /** Floats per example of the input, and of the labels as DL4J takes them (one-hot, or one sigmoid unit). */
    int features();

    int outputs();

    /** Copies the Java-side parameters in, before a pass. */
    void load(float[] params);

    /**
     * One training pass over {@code rows} examples per trial: {@code x} is [K, rows, features] and {@code y}
     * [K * rows, outputs]. Writes per-example scores whose per-trial sums are finite exactly when DL4J's score is
     * to {@code scores}, and the gradient of the summed loss to {@code grad}. With {@code record}, the pass keeps
     * what {@link #recordHidden} hands over.
     */
    void train(float[] x, float[] y, int rows, float[] scores, float[] grad, boolean record);

    /**
     * Hands trial {@code k}'s hidden-layer outputs (with their pre-activation gradients, and for recurrent nets
     * the per-step input gradients) from the last recording {@link #train} pass to its recorder.
     */
    void recordHidden(int k, TrialRecorder recorder, int rows, int epoch, long iteration);

    /** Inference outputs (probabilities) for {@code rows} examples per trial, [K, rows, outputs]. */
    float[] predict(float[] x, int rows);

    /** Floats one evaluation row costs across the pass's buffers, per trial, to size evaluation chunks. */
    long evaluationFloatsPerRow();
}
