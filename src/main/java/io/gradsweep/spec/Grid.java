package io.gradsweep.spec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Expands a spec's grid into trials in a stable order (activation outermost, seed innermost). */
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
        List<TrialConfig> trials = new ArrayList<>((int) size);
        for (Activation a : g.activation()) {
            for (int depth : g.depth()) {
                for (int width : g.width()) {
                    for (Initializer init : g.initializer()) {
                        for (Optimizer opt : g.optimizer()) {
                            for (double lr : g.learningRate()) {
                                for (Clipping clip : g.clipping()) {
                                    for (double dropout : g.dropout()) {
                                        for (long seed : g.seed()) {
                                            trials.add(new TrialConfig(trials.size(), spec.name(), spec.dataset(),
                                                    spec.train(), spec.stats(), a, depth, width, init, opt, lr,
                                                    clip, dropout, seed));
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        requireUniqueIds(trials);
        return trials;
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
