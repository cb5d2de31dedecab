package io.gradsweep.vector;

import io.gradsweep.data.Dataset;
import io.gradsweep.train.Evaluation;

/**
 * End-of-epoch evaluation of every trial of a group on a whole set: the set is tiled once per trial and sent through
 * the batched network in chunks whose buffers hold at most {@link #CHUNK_FLOATS} floats in all, then each trial's
 * outputs go through the same {@link Metrics} as a DL4J trial's.
 */
final class Evaluator {
    /** 32 MiB of buffers per chunk, whatever the set's size. */
    static final int CHUNK_FLOATS = 1 << 23;
    private final GroupNet net;
    private final int trials;
    private final int outputs;
    private final int rowsPerChunk;

    Evaluator(GroupNet net) {
        this.net = net;
        this.trials = net.trials();
        this.outputs = net.outputs();
        this.rowsPerChunk = (int) Math.max(1, CHUNK_FLOATS / (trials * net.evaluationFloatsPerRow()));
    }

    /** Loss and accuracy per trial. */
    Evaluation[] evaluate(Dataset d) {
        float[][] probs = outputs(d);
        Evaluation[] metrics = new Evaluation[trials];
        for (int k = 0; k < trials; k++) {
            metrics[k] = Evaluation.of(probs[k], d);
        }
        return metrics;
    }

    private float[][] outputs(Dataset d) {
        int n = d.size();
        int f = d.numFeatures();
        float[][] probs = new float[trials][n * outputs];
        for (int from = 0; from < n; from += rowsPerChunk) {
            int rows = Math.min(rowsPerChunk, n - from);
            float[] x = new float[trials * rows * f];
            for (int k = 0; k < trials; k++) {
                System.arraycopy(d.features(), from * f, x, k * rows * f, rows * f);
            }
            float[] out = net.predict(x, rows);
            for (int k = 0; k < trials; k++) {
                System.arraycopy(out, k * rows * outputs, probs[k], from * outputs, rows * outputs);
            }
        }
        return probs;
    }
}
