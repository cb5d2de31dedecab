package io.gradsweep.exec;

import io.gradsweep.spec.Architecture;
import io.gradsweep.spec.TrialConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Groups trials into batches of roughly equal cost (longest-processing-time first), so that a few tasks, each
 * writing one file per table, keep every core busy. Deterministic for a given trial list and batch count.
 */
public final class BatchPlanner {
    private BatchPlanner() {
    }

    /** Estimated work of a trial: iterations times the multiply-adds per example. */
    static double cost(TrialConfig t) {
        return t.totalIterations() * (double) t.train().batchSize() * perExample(t);
    }

    /**
     * Dense layers: one matrix product per layer. Recurrent layers: at every step one product of the layer's input
     * and one of its own state, four of each for an LSTM's gates; DL4J's per-step op dispatch grows with the
     * steps too, so the length multiplies everything.
     */
    static double perExample(TrialConfig t) {
        int f = t.dataset().numFeatures();
        if (!t.architecture().recurrent()) {
            return (double) f * t.width() + (double) (t.depth() - 1) * t.width() * t.width() + t.width();
        }
        int gates = t.architecture().model().equals(Architecture.LSTM) ? 4 : 1;
        double perStep = 0;
        int in = f;
        for (int w : t.architecture().widths()) {
            perStep += gates * (double) (in + w) * w;
            in = w;
        }
        return t.dataset().length() * perStep + in;
    }

    public static List<TrialBatch> plan(List<TrialConfig> trials, int batches) {
        int n = Math.max(1, Math.min(batches, trials.size()));
        List<List<TrialConfig>> bins = new ArrayList<>();
        double[] load = new double[n];
        for (int i = 0; i < n; i++) {
            bins.add(new ArrayList<>());
        }
        List<TrialConfig> byCost = new ArrayList<>(trials);
        byCost.sort(Comparator.comparingDouble(BatchPlanner::cost).reversed()
                .thenComparingInt(TrialConfig::index));
        for (TrialConfig t : byCost) {
            int best = 0;
            for (int i = 1; i < n; i++) {
                if (load[i] < load[best]) {
                    best = i;
                }
            }
            bins.get(best).add(t);
            load[best] += cost(t);
        }
        List<TrialBatch> out = new ArrayList<>();
        for (List<TrialConfig> bin : bins) {
            bin.sort(Comparator.comparingInt(TrialConfig::index));
            out.add(new TrialBatch(out.size(), bin));
        }
        return out;
    }
}
