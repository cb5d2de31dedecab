package io.gradsweep.bench;

import io.gradsweep.bench.CountingSink.HeapReading;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Everything one `gradsweep bench` run measured, in the order the report shows it; built step by step through
 * {@link Builder}, read-only after.
 *
 * @param updates         per-update costs with and without statistics, per scenario and engine
 * @param engines         amortized per-trial-update timings of whole trials, keyed by a label
 * @param torch           the one-trial-at-a-time PyTorch peer
 * @param batched         the batched PyTorch peer: K circles trials as one computation, for each K measured here
 * @param sweeps          sweep throughput, one entry per grid
 * @param endToEnd        a one-shape grid end to end on two cores against the batched peer on the same cores
 * @param writer          the writer's cost per gradient row; null when not measured
 * @param heap            heap readings keyed by the number of epochs of the trial
 */
public record BenchResults(double loadBefore, double loadAfter, List<Overhead> updates,
                           Map<String, EngineTiming> engines, TorchReference.Result torch,
                           TorchReference.Result batched, List<Throughput> sweeps, List<EndToEnd> endToEnd,
                           Writer writer, Map<Integer, HeapReading> heap, List<String> notes) {

    public BenchResults {
        updates = List.copyOf(updates);
        engines = ordered(engines);
        sweeps = List.copyOf(sweeps);
        endToEnd = List.copyOf(endToEnd);
        heap = ordered(heap);
        notes = List.copyOf(notes);
    }

    /**
     * One scenario through one engine, {@code trials} trained together (1 for DL4J), without and with statistics
     * every iteration (µs per trial and update), and with / without for each pair of runs measured one after the
     * other.
     */
    public record Overhead(String scenario, String engine, int trials, Timing without, Timing with,
                           Timing pairedRatio) {
        /** The median of the paired ratios, minus one. */
        public double overhead() {
            return pairedRatio.median() - 1;
        }
    }

    /**
     * One grid's sweep throughput, trials per minute keyed by the number of local cores, with the cores the process
     * kept busy and (where the machine says) the cores the hypervisor took, per master. {@code pairs}: local[2] /
     * local[1] of the two runs of each round, which are adjacent in time and so see the same machine;
     * {@code perCpuPairs}: the same for trials per CPU-minute, i.e. how well the cores were used. Both null unless
     * both masters ran.
     */
    public record Throughput(String grid, Map<Integer, Timing> trialsPerMinute, Timing pairs,
                             Map<Integer, Timing> coresBusy, Map<Integer, Timing> coresStolen, Timing perCpuPairs) {
        public Throughput {
            trialsPerMinute = ordered(trialsPerMinute);
            coresBusy = ordered(coresBusy);
            coresStolen = ordered(coresStolen);
        }

        /** From each master's runs in round order. Steal time is shown only for masters with all runs reporting it. */
        public static Throughput of(String grid, Map<Integer, List<SweepRun>> runs) {
            Map<Integer, Timing> perMinute = new LinkedHashMap<>();
            Map<Integer, Timing> busy = new LinkedHashMap<>();
            Map<Integer, Timing> stolen = new LinkedHashMap<>();
            runs.forEach((cores, list) -> {
                String master = "local[" + cores + "]";
                perMinute.put(cores, Timing.of(master, values(list, SweepRun::trialsPerMinute)));
                busy.put(cores, Timing.of(master + " cores busy", values(list, r -> r.span().coresBusy())));
                double[] steal = values(list, r -> r.span().coresStolen());
                if (Arrays.stream(steal).noneMatch(Double::isNaN)) {
                    stolen.put(cores, Timing.of(master + " cores stolen", steal));
                }
            });
            boolean both = runs.containsKey(1) && runs.containsKey(2);
            return new Throughput(grid, perMinute,
                    both ? paired("local[2] / local[1]", runs, SweepRun::trialsPerMinute) : null, busy, stolen,
                    both ? paired("per CPU-minute, local[2] / local[1]", runs, SweepRun::trialsPerCpuMinute) : null);
        }

        private static double[] values(List<SweepRun> runs, ToDoubleFunction<SweepRun> f) {
            return runs.stream().mapToDouble(f).toArray();
        }

        private static Timing paired(String name, Map<Integer, List<SweepRun>> runs, ToDoubleFunction<SweepRun> f) {
            double[] two = values(runs.get(2), f);
            double[] one = values(runs.get(1), f);
            double[] r = new double[Math.min(one.length, two.length)];
            for (int i = 0; i < r.length; i++) {
                r[i] = two[i] / one[i];
            }
            return Timing.of(name, r);
        }
    }

    /**
     * Wall seconds of one grid end to end, gradsweep's sweep against the batched peer's processes, and gradsweep /
     * peer for the two runs of each round; {@code referenceBlas} when the peer computed on the reference BLAS.
     */
    public record EndToEnd(String grid, Timing gradsweep, Timing peer, Timing pairedRatio, boolean referenceBlas) {
    }

    /** {@link WriterBench}'s result for the gradient rows of {@code trials} trials trained as one vector group. */
    public record Writer(int trials, WriterBench.Result result) {
    }

    /** Whole trials of the circles demo trained {@code trials} at a time, amortized per trial and update. */
    public record EngineTiming(int trials, Timing timing) {
    }

    /** gradsweep with statistics / PyTorch with statistics, from the medians; null when PyTorch did not run. */
    Double torchRatio(Overhead o) {
        Timing theirs = torch.timings().get(o.scenario() + "/stats");
        return theirs == null ? null : o.with().median() / theirs.median();
    }

    /** The batched peer at the same number of trials trained together, with statistics; null when not measured. */
    Timing batchedPeer(String scenario, int trials) {
        return batched.timings().get(TorchReference.Result.batchedKey(scenario, trials, true));
    }

    /** gradsweep with statistics / batched PyTorch with statistics at the same K, from the medians. */
    Double batchedRatio(Overhead o) {
        Timing theirs = batchedPeer(o.scenario(), o.trials());
        return theirs == null ? null : o.with().median() / theirs.median();
    }

    private static <K, V> Map<K, V> ordered(Map<K, V> m) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    /** Collects a run's results as its steps finish. */
    public static final class Builder {
        private final List<Overhead> updates = new ArrayList<>();
        private final Map<String, EngineTiming> engines = new LinkedHashMap<>();
        private final List<Throughput> sweeps = new ArrayList<>();
        private final List<EndToEnd> endToEnd = new ArrayList<>();
        private final Map<Integer, HeapReading> heap = new LinkedHashMap<>();
        private final List<String> notes = new ArrayList<>();
        private TorchReference.Result torch = new TorchReference.Result(Map.of(), null, "not run");
        private TorchReference.Result batched = new TorchReference.Result(Map.of(), null, "not run");
        private double loadBefore;
        private Writer writer;

        public Builder loadBefore(double load) {
            loadBefore = load;
            return this;
        }

        public Builder update(Overhead o) {
            updates.add(o);
            return this;
        }

        public Builder engine(String label, int trials, Timing t) {
            engines.put(label, new EngineTiming(trials, t));
            return this;
        }

        public Builder torch(TorchReference.Result r) {
            torch = r;
            return this;
        }

        public Builder batched(TorchReference.Result r) {
            batched = r;
            return this;
        }

        public Builder sweep(Throughput t) {
            sweeps.add(t);
            return this;
        }

        public Builder endToEnd(EndToEnd e) {
            endToEnd.add(e);
            return this;
        }

        public Builder writer(Writer w) {
            writer = w;
            return this;
        }

        public Builder heap(int epochs, HeapReading reading) {
            heap.put(epochs, reading);
            return this;
        }

        public Builder note(String note) {
            notes.add(note);
            return this;
        }

        public BenchResults build(double loadAfter) {
            return new BenchResults(loadBefore, loadAfter, updates, engines, torch, batched, sweeps, endToEnd, writer,
                    heap, notes);
        }
    }
}
