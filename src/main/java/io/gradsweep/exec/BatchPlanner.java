package io.gradsweep.exec;

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

    /** Estimated work of a trial: iterations times the dense multiply-adds per example. */
    static double cost(TrialConfig t) {
        int f = t.dataset().numFeatures();
        double perExample = (double) f * t.width() + (double) (t.depth() - 1) * t.width() * t.width() + t.width();
        return t.totalIterations() * (double) t.train().batchSize() * perExample;
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
