package io.gradsweep.exec;

import io.gradsweep.spec.Activation;
import io.gradsweep.spec.Architecture;
import io.gradsweep.spec.Engine;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.spec.TrialCost;
import io.gradsweep.vector.Groups;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Packs trials into batches of roughly equal cost (longest-processing-time first), so that a few tasks, each
 * writing one file per table, keep every core busy. The unit packed is a group ({@link Groups}: the trials the
 * vector engine trains together, or one DL4J trial). When there are fewer groups than task slots, the costliest
 * groups are first cut into contiguous pieces, so that no slot idles while one core trains a whole one-shape grid;
 * a trial's numbers do not depend on its group's size, so only the file layout changes. Deterministic for a given
 * trial list, batch count and slot count.
 */
public final class BatchPlanner {
    /** Per-iteration dispatch overhead, in units of {@link #cost}: DL4J's ~1.5 ms against a net's multiply-adds. */
    static final double DL4J_ITERATION = 4e6;
    /**
     * DL4J's extra dispatch per time step of a recurrent layer, SimpleRnn and LSTM, and its cost per unit of
     * {@link #cost} on the other families, against the vector engine's. Fitted to `gradsweep bench` on the 2-core
     * development box (2026-12-03, thread CPU per update with statistics, one DL4J trial): SimpleRnn and LSTM at
     * T = 100 28-34 and 93-114 ms, the 784-256x11-10 MLP 15-18 ms, with batch norm 26-31, the 10-block CNN 242-245,
     * with batch norm 260-268. The model puts them at 30, 101, 13, 30, 225 and 295.
     */
    static final double DL4J_RNN_STEP = 7e5;
    static final double DL4J_LSTM_STEP = 2.4e6;
    static final double DL4J_BATCH_NORM_MLP = 2;
    static final double DL4J_CNN = 5;
    /**
     * The vector engine's per-iteration overhead for a whole group, and per trial in it: statistics and step, and
     * the evaluation and histograms of whole trials, which make a circles trial in a group of 64 cost 57 µs per
     * update where its updates alone cost 11-13 µs (`gradsweep bench`'s engines part and circles rows).
     */
    static final double GROUP_ITERATION = 1e6;
    static final double GROUPED_TRIAL_ITERATION = 3e4;
    /**
     * A recurrent vector group: its overhead per time step of an update (the step's ND4J calls and copies, paid
     * once per group), and per trial a cost per multiply-add of {@link #perExample} and per hidden value of every
     * step ({@link #recurrentValues}: activation, derivative, bias sums, the step's statistics). Fitted to thread
     * CPU per trial-update with statistics every update (2026-12-04, 2-core box, `FloatTanh`): at T = 100, 32 units,
     * batch 64 the SimpleRnn costs 4.9-5.7 ms alone and 2.47-2.63 ms in a group of 19, the LSTM 11.6-11.9 alone
     * and 7.5-8.1 in a group of 5; at 128 units, batch 50, the SimpleRnn 9.6 ms in a group of 4 and the LSTM
     * 42.4-47.8 alone. The model says 5.1, 2.1, 12.6, 8.8, 10.1 and 42. (The step overhead was once charged at
     * GROUP_ITERATION per step, which put a group of one at 7x its cost.)
     */
    static final double VECTOR_RNN_STEP = 7.3e4;
    static final double VECTOR_LSTM_STEP = 1.17e5;
    static final double VECTOR_RECURRENT_MAC = 0.138;
    static final double VECTOR_RECURRENT_VALUE = 21;
    /**
     * The vector engine's cost per unit of {@link #cost}, whose weights were fitted to its groups of one before
     * its derivatives, im2col and updaters got faster. The same bench puts its groups at the planner's sizes at
     * 7.4-9.0 ms per trial-update for the MNIST MLP (4 trials), 8.7-10.2 with batch norm (4), 23-25 for the CNN
     * (9), 31-33 with batch norm (5) and 0.011-0.013 for the circles net (64); the model says 7.6, 9.3, 29, 38 and
     * 0.027. Recurrent groups have weights of their own (below).
     */
    static final double VECTOR_WORK = 0.65;
    /**
     * A 3x3 convolution's multiply-add, against a dense one: im2col copies and sgemm at 8-16 channels run far
     * from peak. With {@link #BATCH_NORM_WORK} fitted to vector groups of one on the 2-core machine (MNIST CNN, 8
     * channels, batch 32, 100 updates and their evaluation): depth 10 45 ms per update, 56 with batch norm, depth
     * 20 117 and 166; it puts them at 45, 59, 93 and 121. The batch-norm MLP of the bench fits the same value.
     */
    static final double CONV_MAC_WORK = 3;
    /** Batch norm's forward and backward per normalized value: statistics, normalization, their gradients. */
    static final double BATCH_NORM_WORK = 75;

    /**
     * Seconds per unit of {@link #cost}, a rough calibration for estimates shown to users: {@link #DL4J_ITERATION}
     * stands for DL4J's ~1.5 ms per update of a small net (one thread, 2-core development machine), which also
     * puts the 784-256x11-10 MNIST net at ~14 ms per update against 12-13 ms measured there. Expect a factor of
     * about two either way, more on a loaded machine.
     */
    public static final double SECONDS_PER_UNIT = 1.5e-3 / DL4J_ITERATION;

    private BatchPlanner() {
    }

    /** {@link #groupCost} in seconds on one core, by {@link #SECONDS_PER_UNIT}: an estimate, not a measurement. */
    public static double estimatedSeconds(List<TrialConfig> group) {
        return groupCost(group) * SECONDS_PER_UNIT;
    }

    /** Estimated work of a trial: iterations times the multiply-adds and activation work per example. */
    static double cost(TrialConfig t) {
        double perValue = activationWork(t.activation()) + (t.architecture().batchNorm() ? BATCH_NORM_WORK : 0);
        return t.totalIterations() * (double) t.train().batchSize() * (perExample(t) + hiddenUnits(t) * perValue);
    }

    /**
     * Hidden values an example passes through the activation (a CNN channel at each position). Only counted for
     * layers without recurrence, where it was measured: a recurrent layer's cost is its per-step products and
     * DL4J's per-step dispatch.
     */
    static double hiddenUnits(TrialConfig t) {
        if (t.architecture().recurrent()) {
            return 0;
        }
        int units = t.architecture().widths().stream().mapToInt(Integer::intValue).sum();
        return t.architecture().model().equals(Architecture.CNN) ? (double) units * TrialCost.CNN_MAP : units;
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
     * Dense layers: one matrix product per layer. CNN blocks: a 3x3 convolution at each of the map's positions,
     * weighted by {@link #CONV_MAC_WORK}, then the dense output layer. Recurrent layers: at every step one product
     * of the layer's input and one of its own state, four of each for an LSTM's gates; DL4J's per-step op dispatch
     * grows with the steps too, so the length multiplies everything.
     */
    static double perExample(TrialConfig t) {
        int f = t.dataset().numFeatures();
        if (t.architecture().model().equals(Architecture.CNN)) {
            double macs = 0;
            int in = 1; // the image's one channel
            for (int w : t.architecture().widths()) {
                macs += (double) TrialCost.CNN_MAP * 9 * in * w;
                in = w;
            }
            return CONV_MAC_WORK * macs + (double) in * TrialCost.outputs(t);
        }
        if (!t.architecture().recurrent()) {
            return (double) f * t.width() + (double) (t.depth() - 1) * t.width() * t.width() + t.width();
        }
        int gates = gates(t.architecture());
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
        int steps = first.architecture().recurrent() ? first.dataset().length() : 1;
        if (Engine.of(first) != Engine.VECTOR) {
            // A recurrent layer dispatches its ops once per step, so its overhead grows with the length too.
            return cost(first) * dl4jWork(first.architecture())
                    + first.totalIterations() * (DL4J_ITERATION + (steps - 1) * dl4jStep(first.architecture()));
        }
        if (first.architecture().recurrent()) {
            // A recurrent group issues its element-wise ops once per step, for all its trials.
            double work = first.totalIterations() * (GROUP_ITERATION + steps * vectorStep(first.architecture()));
            for (TrialConfig t : group) {
                work += VECTOR_RECURRENT_MAC * cost(t) + t.totalIterations() * (GROUPED_TRIAL_ITERATION
                        + t.train().batchSize() * VECTOR_RECURRENT_VALUE * recurrentValues(t));
            }
            return work;
        }
        double work = first.totalIterations() * GROUP_ITERATION;
        for (TrialConfig t : group) {
            work += VECTOR_WORK * cost(t) + t.totalIterations() * GROUPED_TRIAL_ITERATION;
        }
        return work;
    }

    /** The vector engine's overhead per time step of a recurrent group's update, in units of {@link #cost}. */
    static double vectorStep(Architecture a) {
        return a.model().equals(Architecture.LSTM) ? VECTOR_LSTM_STEP : VECTOR_RNN_STEP;
    }

    /** Hidden values per example of a recurrent net's update: every step's units, four gate blocks an LSTM's. */
    static double recurrentValues(TrialConfig t) {
        int units = t.architecture().widths().stream().mapToInt(Integer::intValue).sum();
        return (double) t.dataset().length() * gates(t.architecture()) * units;
    }

    /** Products per recurrent layer and step: four gate blocks for an LSTM, one for a SimpleRnn. */
    private static int gates(Architecture a) {
        return a.model().equals(Architecture.LSTM) ? 4 : 1;
    }

    /** DL4J's cost per unit of {@link #cost}: its CNN and batch norm run far slower than the vector engine's. */
    static double dl4jWork(Architecture a) {
        if (a.model().equals(Architecture.CNN)) {
            return DL4J_CNN;
        }
        return a.batchNorm() && !a.recurrent() ? DL4J_BATCH_NORM_MLP : 1;
    }

    /** DL4J's dispatch per time step after the first, in units of {@link #cost}; none without recurrence. */
    static double dl4jStep(Architecture a) {
        if (!a.recurrent()) {
            return 0;
        }
        return a.model().equals(Architecture.LSTM) ? DL4J_LSTM_STEP : DL4J_RNN_STEP;
    }

    /** {@link #plan(List, int, int)} with as many task slots as batches. */
    public static List<TrialBatch> plan(List<TrialConfig> trials, int batches) {
        return plan(trials, batches, batches);
    }

    /**
     * At most {@code batches} batches, with groups cut (see {@link #fill}) until there are at least
     * {@code min(slots, batches)} of them, where the trials allow it. Slots are the tasks that can run at once (the
     * cluster's cores): cutting further would only shrink the groups, and their per-trial cost grows as they shrink.
     */
    public static List<TrialBatch> plan(List<TrialConfig> trials, int batches, int slots) {
        List<List<TrialConfig>> groups = fill(Groups.of(trials), Math.max(1, Math.min(slots, batches)));
        int n = Math.max(1, Math.min(batches, groups.size()));
        List<List<List<TrialConfig>>> bins = new ArrayList<>();
        double[] load = new double[n];
        for (int i = 0; i < n; i++) {
            bins.add(new ArrayList<>());
        }
        for (List<TrialConfig> g : byCostDescending(groups)) {
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

    /**
     * Cuts groups until there are {@code slots} of them or none can be cut further (DL4J trials and groups of one
     * are whole). Each step gives one more piece to the group whose largest piece would cost the most; a group cut
     * into p pieces splits, in trial-index order, into sizes that differ by at most one. Groups already as many as
     * the slots are left alone: LPT balances them, and cutting would cost every piece its share of the overhead.
     */
    static List<List<TrialConfig>> fill(List<List<TrialConfig>> groups, int slots) {
        int[] pieces = new int[groups.size()];
        Arrays.fill(pieces, 1);
        for (int total = groups.size(); total < slots; total++) {
            int widest = -1;
            double widestCost = 0;
            for (int i = 0; i < groups.size(); i++) {
                List<TrialConfig> g = groups.get(i);
                if (pieces[i] < g.size()) {
                    double c = groupCost(g.subList(0, ceilDiv(g.size(), pieces[i])));
                    if (widest < 0 || c > widestCost) {
                        widest = i;
                        widestCost = c;
                    }
                }
            }
            if (widest < 0) {
                break;
            }
            pieces[widest]++;
        }
        List<List<TrialConfig>> out = new ArrayList<>();
        for (int i = 0; i < groups.size(); i++) {
            List<TrialConfig> g = groups.get(i);
            for (int p = 0, from = 0; p < pieces[i]; p++) {
                int size = g.size() / pieces[i] + (p < g.size() % pieces[i] ? 1 : 0);
                out.add(List.copyOf(g.subList(from, from + size)));
                from += size;
            }
        }
        return out;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static List<List<TrialConfig>> byCostDescending(List<List<TrialConfig>> groups) {
        List<List<TrialConfig>> sorted = new ArrayList<>(groups);
        sorted.sort(Comparator.comparingDouble(BatchPlanner::groupCost).reversed()
                .thenComparingInt(g -> g.get(0).index()));
        return sorted;
    }
}
