package io.gradsweep.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything one `gradsweep bench` run measured, in the order the report shows it. */
public final class BenchResults {
    /** Per-update timings in microseconds, keyed "scenario/stats" and "scenario/nostats". */
    public final Map<String, Timing> updates = new LinkedHashMap<>();
    /** Amortized per-trial-update timings of other engines, keyed by a label. */
    public final Map<String, Timing> engines = new LinkedHashMap<>();
    public final Map<Integer, Double> trialsPerMinute = new LinkedHashMap<>();
    public final Map<Integer, long[]> heapByEpochs = new LinkedHashMap<>();
    public final List<String> notes = new ArrayList<>();
    public TorchReference.Result torch = new TorchReference.Result(Map.of(), null, "not run");
    public String sweepGrid = "";
    public double loadBefore;
    public double loadAfter;

    /** Stats overhead of a scenario: (with - without) / without, from the medians. */
    Double overhead(String scenario) {
        Timing with = updates.get(scenario + "/stats");
        Timing without = updates.get(scenario + "/nostats");
        return with == null || without == null ? null : with.median() / without.median() - 1;
    }

    /** gradsweep / PyTorch, from the medians; null when PyTorch did not run. */
    Double torchRatio(String key) {
        Timing ours = updates.get(key);
        Timing theirs = torch.timings().get(key);
        return ours == null || theirs == null ? null : ours.median() / theirs.median();
    }
}
