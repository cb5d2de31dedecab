package io.gradsweep.spec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Expands a spec's grid into trials in a stable order: model outermost, then sequence_length, activation, layer
 * shape, batch_norm, residual, initializer, optimizer, learning_rate, clipping, dropout, and seed innermost.
 */
public final class Grid {
    public static final long DEFAULT_MAX_TRIALS = 100_000;

    private Grid() {
    }

    public static List<TrialConfig> expand(SweepSpec spec, long maxTrials) {
        GridSpec g = spec.grid();
        long size = g.size();
        if (size > maxTrials) {
            throw new SpecException("grid", "Cannot expand grid: 'grid' has " + size
                    + " trials; expected at most " + maxTrials + " (raise the limit with --max-trials)");
        }
        List<Architecture> architectures = new ArrayList<>();
        for (String model : g.model()) {
            for (List<Integer> shape : g.shapes()) {
                for (boolean bn : g.batchNorm()) {
                    for (boolean residual : g.residual()) {
                        architectures.add(new Architecture(model, shape, !g.widths().isEmpty(), bn, residual));
                    }
                }
            }
        }
        List<TrialConfig> trials = new ArrayList<>((int) size);
        for (String model : g.model()) {
            for (DatasetSpec data : datasets(spec)) {
                for (Activation a : g.activation()) {
                    for (Architecture arch : architectures) {
                        if (arch.model().equals(model)) {
                            addTrials(spec, data, a, arch, trials);
                        }
                    }
                }
            }
        }
        requireUniqueIds(trials);
        return trials;
    }

    /**
     * One dataset per sequence length on the grid, else the spec's own. The length is part of the dataset's
     * canonical text, so it enters trial ids through the dataset, and only for sequence datasets.
     */
    private static List<DatasetSpec> datasets(SweepSpec spec) {
        List<Integer> lengths = spec.grid().sequenceLength();
        return lengths.isEmpty() ? List.of(spec.dataset()) : lengths.stream().map(spec.dataset()::withLength).toList();
    }

    private static void addTrials(SweepSpec spec, DatasetSpec data, Activation a, Architecture arch,
                                  List<TrialConfig> trials) {
        GridSpec g = spec.grid();
        for (Initializer init : g.initializer()) {
            for (Optimizer opt : g.optimizer()) {
                for (double lr : g.learningRate()) {
                    for (Clipping clip : g.clipping()) {
                        for (double dropout : g.dropout()) {
                            for (long seed : g.seed()) {
                                trials.add(new TrialConfig(trials.size(), spec.name(), data, spec.train(),
                                        spec.stats(), a, arch, init, opt, lr, clip, dropout, seed));
                            }
                        }
                    }
                }
            }
        }
    }

    private static void requireUniqueIds(List<TrialConfig> trials) {
        Set<String> seen = new HashSet<>();
        for (TrialConfig t : trials) {
            if (!seen.add(t.trialId())) {
                throw new SpecException("grid", "Cannot expand grid: trial " + t.index() + " (" + t.canonical()
                        + ") duplicates an earlier trial; expected distinct values on every axis");
            }
        }
    }
}
