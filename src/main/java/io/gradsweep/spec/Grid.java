package io.gradsweep.spec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Expands a spec's grid into trials in a stable order: model outermost, then sequence_length, activation, layer
 * shape, batch_norm, residual, initializer, optimizer, learning_rate, clipping, dropout, and seed innermost. With a
 * {@code sample} block, the sampled points are outermost: all of the first point's grid trials, then the second's.
 */
public final class Grid {
    public static final long DEFAULT_MAX_TRIALS = 100_000;

    private Grid() {
    }

    /** The grid's trials, or with a {@code sample} block the grid's product with each distinct sampled point. */
    public static List<TrialConfig> expand(SweepSpec spec, long maxTrials) {
        SampleSpec sample = spec.sample();
        if (sample == null) {
            GridSpec g = spec.grid();
            if (g.size() > maxTrials) {
                throw new SpecException("grid", "Cannot expand grid: 'grid' has " + g.size()
                        + " trials; expected at most " + maxTrials + " (raise the limit with --max-trials)");
            }
            List<TrialConfig> trials = new ArrayList<>((int) g.size());
            expand(spec, g, trials);
            requireUniqueIds(trials);
            return trials;
        }
        GridSpec placeholders = spec.grid();
        for (SampleAxis a : sample.axes()) {
            placeholders = placeholders.with(a.axis(), a.envelope().get(0));
        }
        long gridPoints = placeholders.size();
        if (gridPoints * (double) sample.n() > maxTrials) {
            throw new SpecException("sample.n", "Cannot expand grid: 'sample.n' is " + sample.n() + " with "
                    + gridPoints + " grid point" + (gridPoints == 1 ? "" : "s") + " ("
                    + java.math.BigInteger.valueOf(gridPoints).multiply(java.math.BigInteger.valueOf(sample.n()))
                    + " trials); expected at most " + maxTrials
                    + " trials (raise the limit with --max-trials)");
        }
        List<TrialConfig> trials = new ArrayList<>();
        for (List<Object> point : sample.points()) {
            GridSpec g = spec.grid();
            for (int d = 0; d < point.size(); d++) {
                g = g.with(sample.axes().get(d).axis(), point.get(d));
            }
            expand(spec, g, trials);
        }
        requireUniqueIds(trials);
        return trials;
    }

    /** Appends the trials of one grid, with sampled axes already fixed to one point's values. */
    private static void expand(SweepSpec spec, GridSpec g, List<TrialConfig> trials) {
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
        for (String model : g.model()) {
            for (DatasetSpec data : datasets(spec)) {
                for (Activation a : g.activation()) {
                    for (Architecture arch : architectures) {
                        if (arch.model().equals(model)) {
                            addTrials(spec, g, data, a, arch, trials);
                        }
                    }
                }
            }
        }
    }

    /**
     * One dataset per sequence length on the grid, else the spec's own. The length is part of the dataset's
     * canonical text, so it enters trial ids through the dataset, and only for sequence datasets.
     */
    private static List<DatasetSpec> datasets(SweepSpec spec) {
        List<Integer> lengths = spec.grid().sequenceLength();
        return lengths.isEmpty() ? List.of(spec.dataset()) : lengths.stream().map(spec.dataset()::withLength).toList();
    }

    private static void addTrials(SweepSpec spec, GridSpec g, DatasetSpec data, Activation a, Architecture arch,
                                  List<TrialConfig> trials) {
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
