package io.gradsweep.vector;

import io.gradsweep.data.Dataset;
import io.gradsweep.data.Synthetic;
import io.gradsweep.spec.TrialConfig;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Gives every trial of a group its own minibatches, the ones Dl4jTrainer would give it: each epoch reshuffled by a
 * generator seeded with the trial's seed, cut into consecutive batches. Rows (every step of a sequence) are
 * gathered straight into the group's [K, rows, features] input and [K * rows, outputs] label arrays: one-hot, a 0/1
 * column, or the regression targets.
 */
final class Feeder {
    private final Dataset data;
    private final int outputs;
    private final Random[] shuffles;
    private final int[][] orders;

    Feeder(Dataset data, int outputs, List<TrialConfig> trials) {
        this.data = data;
        this.outputs = outputs;
        this.shuffles = new Random[trials.size()];
        this.orders = new int[trials.size()][];
        for (int k = 0; k < trials.size(); k++) {
            shuffles[k] = new Random(trials.get(k).seed());
        }
    }

    /** A new epoch's order for the trials still training; the others keep feeding their last one, unused. */
    void shuffle(boolean[] training) {
        for (int k = 0; k < orders.length; k++) {
            if (training[k] || orders[k] == null) {
                orders[k] = Synthetic.permutation(data.size(), shuffles[k]);
            }
        }
    }

    /** Examples {@code from .. from+rows} of every trial's order. */
    void fill(int from, int rows, float[] x, float[] y) {
        int f = data.rowLength();
        float[] features = data.features();
        int[] labels = data.labels();
        float[] targets = data.targets();
        Arrays.fill(y, 0, orders.length * rows * outputs, 0f);
        for (int k = 0; k < orders.length; k++) {
            for (int r = 0; r < rows; r++) {
                int row = orders[k][from + r];
                int at = k * rows + r;
                System.arraycopy(features, row * f, x, at * f, f);
                if (targets != null) {
                    y[at] = targets[row];
                } else if (outputs == 1) {
                    y[at] = labels[row];
                } else {
                    y[at * outputs + labels[row]] = 1;
                }
            }
        }
    }
}
