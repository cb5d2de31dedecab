package io.gradsweep.vector;

import io.gradsweep.data.Dataset;
import io.gradsweep.spec.Architecture;
import io.gradsweep.spec.Engine;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.spec.TrialCost;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which trials may train together. The grouping is a function of the trial list alone: trials that the vector
 * engine trains are bucketed by {@link #key} and cut, in trial-index order, into groups of at most {@link #maxSize};
 * every other trial is a group of one, for DL4J. The planner may cut a group further to fill idle task slots
 * ({@code exec.BatchPlanner}); that is safe because a trial's numbers do not depend on its companions: every
 * per-trial computation is independent of the group's size.
 */
public final class Groups {
    /**
     * Floats one group may hold per parameter-sized buffer (16 MiB). A group keeps about six (parameters, gradient
     * and optimizer state in Java, parameters and gradient in ND4J), so this caps a wide net's group near 100 MiB;
     * such nets are bound by their multiply-adds, and gain little from larger groups anyway.
     */
    static final long GROUP_FLOATS = 1L << 22;
    /**
     * Floats a CNN group's minibatch buffers may hold (128 MiB): a conv net's activations, not its parameters, fill
     * its memory (see {@link CnnPasses#mapFloats}: five maps per block, ten with batch norm, and two im2col
     * matrices per example and trial).
     */
    static final long CNN_ACTIVATION_FLOATS = 1L << 25;

    private Groups() {
    }

    public static List<List<TrialConfig>> of(List<TrialConfig> trials) {
        List<TrialConfig> sorted = new ArrayList<>(trials);
        sorted.sort(Comparator.comparingInt(TrialConfig::index));
        Map<String, List<List<TrialConfig>>> byKey = new LinkedHashMap<>();
        List<List<TrialConfig>> groups = new ArrayList<>();
        for (TrialConfig t : sorted) {
            if (Engine.of(t) != Engine.VECTOR) {
                groups.add(List.of(t));
                continue;
            }
            List<List<TrialConfig>> chunks = byKey.computeIfAbsent(key(t), k -> new ArrayList<>());
            if (chunks.isEmpty() || chunks.get(chunks.size() - 1).size() == maxSize(t)) {
                chunks.add(new ArrayList<>());
                groups.add(chunks.get(chunks.size() - 1));
            }
            chunks.get(chunks.size() - 1).add(t);
        }
        return groups.stream().map(List::copyOf).toList();
    }

    /**
     * Everything trials must share to train as one group: data, budget, recording, activation, the model family
     * with its options and layer widths, the optimizer with its hyperparameters, and the clipping mode. Initializer, seed, learning rate and clipping
     * threshold may differ.
     */
    static String key(TrialConfig t) {
        return String.join("|", t.sweep(), t.dataset().canonical(), String.valueOf(t.train()),
                String.valueOf(t.stats()), t.activation().toString(), t.architecture().label(), t.architecture().widthsText(),
                t.optimizer().toString(), t.clipping().name());
    }

    /** The spec's group size, lowered for nets whose parameters or activations would not fit the budget. */
    static int maxSize(TrialConfig t) {
        if (t.architecture().model().equals(Architecture.CNN)) {
            List<Integer> widths = t.architecture().widths();
            long[] maps = new long[widths.size()];
            int widest = 1;
            for (int l = 0; l < maps.length; l++) {
                maps[l] = (long) widths.get(l) * TrialCost.CNN_MAP;
                widest = Math.max(widest, widths.get(l));
            }
            long perExample = t.dataset().numFeatures() + 2L * TrialCost.outputs(t)
                    + CnnPasses.mapFloats(maps, 9L * widest * TrialCost.CNN_MAP, t.architecture().batchNorm());
            long perTrial = (long) t.train().batchSize() * perExample;
            return (int) Math.max(1, Math.min(t.train().groupSize(), CNN_ACTIVATION_FLOATS / perTrial));
        }
        long units = t.architecture().widths().stream().mapToLong(Integer::longValue).sum();
        long perExample = units + t.dataset().numFeatures() + TrialCost.outputs(t);
        if (t.architecture().recurrent()) {
            // A recurrent group keeps every step's outputs, pre-activations and epsilons (see SeqPasses); an
            // LSTM's largest, its gates, four times its width.
            long gates = t.architecture().model().equals(Architecture.LSTM) ? 4 : 1;
            perExample = (gates * units + t.dataset().numFeatures()) * Math.max(1, t.dataset().length())
                    + TrialCost.outputs(t);
        }
        long perTrial = Math.max(TrialCost.parameters(t), (long) t.train().batchSize() * perExample);
        return (int) Math.max(1, Math.min(t.train().groupSize(), GROUP_FLOATS / perTrial));
    }

    static void requireOneGroup(List<TrialConfig> trials) {
        if (trials.isEmpty()) {
            throw new IllegalArgumentException("no trials");
        }
        String key = key(trials.get(0));
        for (TrialConfig t : trials) {
            String refusal = Engine.vectorRefusal(t);
            if (refusal != null || !key(t).equals(key)) {
                throw new IllegalArgumentException("trial " + t.trialId() + " cannot train in this group: "
                        + (refusal != null ? refusal : "it differs in " + key(t) + " vs " + key));
            }
        }
    }

    /** Inputs, hidden widths, outputs: one sigmoid unit for two classes, else one softmax unit per class. */
    static ParamSpace space(List<TrialConfig> trials, Dataset train) {
        List<Integer> widths = trials.get(0).architecture().widths();
        int[] sizes = new int[widths.size() + 2];
        sizes[0] = train.numFeatures();
        for (int i = 0; i < widths.size(); i++) {
            sizes[i + 1] = widths.get(i);
        }
        sizes[sizes.length - 1] = train.numClasses() == 2 ? 1 : train.numClasses();
        Architecture a = trials.get(0).architecture();
        return new ParamSpace(trials.size(), sizes, a.batchNorm(), a.residual());
    }
}
