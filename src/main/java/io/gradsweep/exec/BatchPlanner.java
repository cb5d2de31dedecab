package io.gradsweep.exec;

import io.gradsweep.spec.Activation;
import io.gradsweep.spec.Architecture;
import io.gradsweep.spec.Engine;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.vector.Groups;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Packs trials into batches of roughly equal cost (longest-processing-time first), so that a few tasks, each
 * writing one file per table, keep every core busy. The unit packed is a whole group ({@link Groups}: the trials
 * the vector engine trains together, or one DL4J trial). Deterministic for a given trial list and batch count, and
 * the groups themselves do not depend on the batch count.
 */
public final class BatchPlanner {
    /** Per-iteration dispatch overhead, in units of {@link #cost}: DL4J's ~1.5 ms against a net's multiply-adds. */
    static final double DL4J_ITERATION = 4e6;
    /** The vector engine's per-iteration overhead for a whole group, and per trial in it (statistics, step). */
    static final double GROUP_ITERATION = 1e6;
    static final double GROUPED_TRIAL_ITERATION = 3e4;

    private BatchPlanner() {
    }

    /** Estimated work of a trial: iterations times the multiply-adds and activation work per example. */
    static double cost(TrialConfig t) {
        return t.totalIterations() * (double) t.train().batchSize()
                * (perExample(t) + hiddenUnits(t) * activationWork(t.activation()));
    }

    /**
     * Hidden values an example passes through the activation. Only counted for layers without recurrence, where
     * it was measured: a recurrent layer's cost is its per-step products and DL4J's per-step dispatch.
     */
    static double hiddenUnits(TrialConfig t) {
        return t.architecture().recurrent() ? 0 : t.architecture().widths().stream().mapToInt(Integer::intValue).sum();
    }

    /**
     * What an activation's forward and backward ops cost per value beyond {@code linear}'s, in the units of
     * {@link #cost}. At small widths they set groups apart. Measured in place: 16-trial vector groups of the
     * 2-5-5-5-5-1 circles net, 30 epochs, one group per task, medians of four runs: linear 0.97 s, relu 1.21,
     * sigmoid 1.34, elu 1.40, tanh 1.53 (the others in between). Four activations' groups planned as equals put
     * tanh's and elu's one after the other on one core of two, which then ran half a second longer than the other.
     * Scaled so that {@link #groupCost} gives these groups the measured ratios; only order and rough size matter.
     */
    static double activationWork(Activation a) {
        return switch (a.function()) {
            case LINEAR -> 0;
            case SOFTSIGN -> 25;
            case RELU -> 40;
            case LEAKYRELU -> 45;
            case SELU -> 50;
            case SIGMOID, GELU -> 60;
            case SWISH, ELU -> 65;
            case SOFTPLUS -> 75;
            case TANH -> 85;
        };
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

    /** Estimated work of a group: its trials' work plus the per-iteration overhead of the engine that trains it. */
    static double groupCost(List<TrialConfig> group) {
        TrialConfig first = group.get(0);
        if (Engine.of(first) != Engine.VECTOR) {
            // A recurrent layer dispatches its ops once per step, so its overhead grows with the length too.
            int steps = first.architecture().recurrent() ? first.dataset().length() : 1;
            return cost(first) + first.totalIterations() * DL4J_ITERATION * steps;
        }
        double work = first.totalIterations() * GROUP_ITERATION;
        for (TrialConfig t : group) {
            work += cost(t) + t.totalIterations() * GROUPED_TRIAL_ITERATION;
        }
        return work;
    }

    public static List<TrialBatch> plan(List<TrialConfig> trials, int batches) {
        List<List<TrialConfig>> groups = new ArrayList<>(Groups.of(trials));
        int n = Math.max(1, Math.min(batches, groups.size()));
        List<List<List<TrialConfig>>> bins = new ArrayList<>();
        double[] load = new double[n];
        for (int i = 0; i < n; i++) {
            bins.add(new ArrayList<>());
        }
        groups.sort(Comparator.comparingDouble(BatchPlanner::groupCost).reversed()
                .thenComparingInt(g -> g.get(0).index()));
        for (List<TrialConfig> g : groups) {
            int best = 0;
            for (int i = 1; i < n; i++) {
                if (load[i] < load[best]) {
                    best = i;
                }
            }
            bins.get(best).add(g);
            load[best] += groupCost(g);
        }
        List<TrialBatch> out = new ArrayList<>();
        for (List<List<TrialConfig>> bin : bins) {
            bin.sort(Comparator.comparingInt(g -> g.get(0).index()));
            out.add(new TrialBatch(out.size(), bin));
        }
        return out;
    }
}
