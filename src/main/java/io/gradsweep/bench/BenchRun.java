package io.gradsweep.bench;

import io.gradsweep.bench.TrialBench.Engine;
import io.gradsweep.bench.spark.SweepThroughput;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.spec.SweepSpec;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.vector.Groups;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The steps of one benchmark run, each announced on the console since a full run takes minutes. */
public final class BenchRun {
    /** Vector groups as the planner cuts them: 64 circles trials, and as many MNIST trials as fit its budget. */
    private static final int GROUP = 64;
    /** Half the demo's examples: the heap does not depend on them, and 1000 epochs take half the time. */
    private static final int HEAP_SAMPLES = 500;
    private final boolean quick;
    private final Set<Part> skip;
    private final BenchInputs.Input python;
    private final Path torchScript;
    private final Path batchedScript;
    private final BenchInputs.Input mnist;
    private final PrintWriter console;
    private final BenchResults.Builder r = new BenchResults.Builder();

    /**
     * What {@code gradsweep bench} was asked for: short runs or full ones, the parts left out, and the inputs as
     * given ({@code python} and {@code mnist} null when not given: {@link BenchInputs} then looks for them).
     */
    public record Settings(boolean quick, Set<Part> skip, String python, Path torchScript, Path batchedScript,
                           String mnist) {
        public Settings {
            skip = Set.copyOf(skip);
        }

        /** The heading of the Markdown, naming the command that produced it. */
        public String title() {
            return "gradsweep bench" + (quick ? " --quick" : "");
        }
    }

    /** Finds Python and MNIST for the parts that need them: a bad one is invalid input before anything runs. */
    public BenchRun(Settings settings, PrintWriter console) {
        this.quick = settings.quick();
        this.skip = settings.skip();
        this.python = skip.contains(Part.TORCH) ? null : BenchInputs.python(settings.python(), System.getenv("PATH"));
        this.torchScript = settings.torchScript();
        this.batchedScript = settings.batchedScript();
        this.mnist = skip.contains(Part.MNIST) ? null : BenchInputs.mnist(settings.mnist(),
                System.getProperty(BenchInputs.MNIST_PROPERTY), System.getenv(BenchInputs.MNIST_ENV));
        this.console = console;
    }

    public BenchResults run() throws Exception {
        r.loadBefore(load());
        Map<String, Integer> torchIterations = new LinkedHashMap<>();
        if (!skip.contains(Part.CIRCLES)) {
            // Short runs, many of them: a pair of runs half a second apart sees the same machine. (One-epoch runs
            // were too short: a fresh network's first updates, which size its workspaces, then dominated.)
            int repeats = quick ? 2 : 15;
            int epochs = quick ? 1 : 3;
            updates("circles", (every, seeds) -> TrialBench.CIRCLES.formatted(epochs, every, seeds, 1000), repeats);
            torchIterations.put("circles", quick ? 200 : 2000);
            updates("circles-dropout", (every, seeds) -> TrialBench.CIRCLES_DROPOUT.formatted(epochs, every, seeds,
                    1000), repeats);
            torchIterations.put("circles-dropout", quick ? 200 : 2000);
            r.note("Per-update rows, circles and circles-dropout (drop probability 0.2 on every hidden layer's "
                    + "output, a fresh mask per update): 1,000 examples, " + epochs + " epoch(s) of 32 updates per "
                    + "run, " + repeats + " runs per column; PyTorch " + torchIterations.get("circles")
                    + " iterations per run.");
        }
        if (!skip.contains(Part.MNIST)) {
            if (mnist.value() != null) {
                int repeats = quick ? 1 : 5;
                updates("mnist", (every, seeds) -> TrialBench.MNIST.formatted(1, every, seeds, mnist.value()),
                        repeats);
                torchIterations.put("mnist", quick ? 10 : 100);
                updates("mnist-bn", (every, seeds) -> TrialBench.MNIST_BN.formatted(1, every, seeds, mnist.value()),
                        repeats);
                torchIterations.put("mnist-bn", quick ? 10 : 100);
                updates("cnn", (every, seeds) -> TrialBench.CNN.formatted(1, every, seeds, mnist.value()), repeats);
                updates("cnn-bn", (every, seeds) -> TrialBench.CNN_BN.formatted(1, every, seeds, mnist.value()),
                        repeats);
                torchIterations.put("cnn", quick ? 10 : 100);
                torchIterations.put("cnn-bn", quick ? 10 : 100);
                r.note("Per-update rows, cnn and cnn-bn (batch norm after every conv): 10 blocks x 8 channels, batch "
                        + "32, the first 640 t10k examples, one epoch of 20 updates per run; the FLOP floor is about "
                        + "200 MFLOP per update (batch norm adds some 10 FLOP per map value, about 2.5%).");
                r.note("Per-update rows, mnist and mnist-bn (batch norm on every hidden layer): the first 2,000 t10k "
                        + "examples, one epoch of 63 updates per run, " + repeats + " runs per column; PyTorch "
                        + torchIterations.get("mnist")
                        + " iterations per run (an MNIST-sized update costs some 50 circles ones).");
            } else {
                r.note("MNIST was skipped: " + mnist.absent() + ".");
            }
        }
        if (!skip.contains(Part.RNN)) {
            recurrent();
            torchIterations.put("rnn", quick ? 10 : 100);
            torchIterations.put("lstm", quick ? 10 : 50);
        }
        TorchReference.Result batched = null; // when it failed, so would the end-to-end peer: skip that part
        TorchPeers peers = skip.contains(Part.TORCH) ? null
                : new TorchPeers(python, torchScript, batchedScript, quick, this::step, console);
        if (peers != null) {
            if (!torchIterations.isEmpty()) {
                r.torch(peers.oneTrial(torchIterations));
            }
            List<Integer> batchedKs = batchedKs();
            if (!batchedKs.isEmpty()) {
                batched = peers.batched(batchedKs, skip.contains(Part.CIRCLES) ? List.of()
                        : List.of(circlesK(TrialBench.CIRCLES_DROPOUT)));
                r.batched(batched);
                r.note(peers.batchedNote());
            }
        }
        if (!skip.contains(Part.ENGINES)) {
            engines();
        }
        if (!skip.contains(Part.SWEEP)) {
            sweep();
            if (peers != null && python.value() != null && (batched == null || batched.unavailable() == null)) {
                OneShapeSweep.Outcome e2e = OneShapeSweep.measure(peers, GROUP, quick, this::step);
                if (e2e.result() != null) {
                    r.endToEnd(e2e.result());
                } else {
                    r.note("End to end: the batched PyTorch peer did not run (" + e2e.unavailable() + ").");
                }
            }
        }
        if (!skip.contains(Part.WRITER)) {
            writer();
        }
        if (!skip.contains(Part.HEAP)) {
            heap();
        }
        return r.build(load());
    }

    /** The K at which gradsweep's circles rows train trials together: each gets the batched peer at its K. */
    private List<Integer> batchedKs() {
        Set<Integer> ks = new TreeSet<>();
        if (!skip.contains(Part.CIRCLES)) {
            ks.add(1);
            ks.add(circlesK(TrialBench.CIRCLES));
        }
        if (!skip.contains(Part.ENGINES)) {
            ks.add(1);
            Arrays.stream(engineKs()).forEach(ks::add);
        }
        return List.copyOf(ks);
    }

    /** The planner's group size for the rows of a circles scenario. */
    private static int circlesK(String scenario) {
        return Groups.of(TrialBench.trials(scenario.formatted(1, 1, TrialBench.seeds(GROUP), 1000))).get(0).size();
    }

    private int[] engineKs() {
        return quick ? new int[] {1, 4} : new int[] {1, 16, 64, 256};
    }

    /** A scenario's spec for a stats.every and a list of seeds. */
    @FunctionalInterface
    private interface Scenario {
        String yaml(int every, String seeds);
    }

    /** A scenario with and without statistics, through DL4J (one trial) and as a vector group. */
    private void updates(String scenario, Scenario yaml, int repeats) {
        TrialConfig with = TrialBench.trials(yaml.yaml(1, "[1]")).get(0);
        TrialConfig without = TrialBench.trials(yaml.yaml(TrialBench.NO_STATS, "[1]")).get(0);
        step(scenario + ": per-update time through DL4J, without and with statistics, alternating");
        r.update(TrialBench.statsOverhead(scenario, "dl4j", Engine.DL4J, List.of(without), List.of(with), repeats));
        String seeds = TrialBench.seeds(GROUP);
        List<TrialConfig> groupWith = Groups.of(TrialBench.trials(yaml.yaml(1, seeds))).get(0);
        List<TrialConfig> groupWithout = Groups.of(TrialBench.trials(yaml.yaml(TrialBench.NO_STATS, seeds))).get(0);
        String engine = "vector, group of " + groupWith.size();
        step(scenario + ": per-update time, " + engine + ", without and with statistics, alternating");
        r.update(TrialBench.statsOverhead(scenario, engine, Engine.VECTOR, groupWithout, groupWith, repeats));
    }

    /** The SimpleRnn and the LSTM of conf/rnn-adding.yaml at T = 100, two epochs of 10 updates per run. */
    private void recurrent() {
        int repeats = quick ? 1 : 3;
        updates("rnn", (every, seeds) -> TrialBench.RNN.formatted(2, every, seeds), repeats);
        updates("lstm", (every, seeds) -> TrialBench.LSTM.formatted(2, every, seeds), repeats);
        r.note("Per-update rows, rnn and lstm: the adding problem at T = 100, 32 units, batch 64, Adam, 640 training "
                + "sequences, two epochs of 10 updates per run, " + repeats + " runs per column; statistics include "
                + "timestep_gradients (PyTorch: dL/dx per step from the same backward pass).");
    }

    /** The demo trial as whole trials: one DL4J trial after another, and K of them as one vector group. */
    private void engines() {
        int epochs = quick ? 1 : 5;
        step("engines: DL4J, whole trials");
        r.engine("dl4j, one trial at a time", 1, EngineBench.dl4j(epochs, quick ? 1 : 5));
        for (int k : engineKs()) {
            step("engines: vector group of " + k);
            r.engine("vector, group of " + k, k, EngineBench.vector(k, epochs, quick ? 1 : 3));
        }
    }

    /**
     * 64 circles trials (4 activations x 4 learning rates x 4 seeds), local[1] and local[2] taking turns, as a short
     * sweep and as one ten times longer: a sweep's fixed costs (Spark job, output files, commit) weigh on the first.
     */
    private void sweep() throws Exception {
        String seeds = quick ? "[1]" : "[1, 2, 3, 4]";
        String rates = quick ? "[0.001, 0.01]" : "[0.001, 0.003, 0.01, 0.03]";
        String out = Files.createTempDirectory("gradsweep-bench").toUri().toString();
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        List<String> jitNotes = new ArrayList<>();
        for (int epochs : quick ? new int[] {1} : new int[] {3, 30}) {
            SweepSpec spec = SpecParser.parse("""
                    name: bench-sweep
                    dataset: {name: circles, samples: 1000, noise: 0.1, factor: 0.5, seed: 1}
                    train: {epochs: %d, batch_size: 32}
                    grid: {activation: [sigmoid, tanh, relu, elu], depth: [4], width: [5], optimizer: [rmsprop],
                           learning_rate: %s, seed: %s}
                    """.formatted(epochs, rates, seeds));
            String grid = spec.grid().size() + " circles trials, " + epochs + " epochs";
            // A 3-epoch sweep lasts under a second, so one compilation burst moves a run by a third: more rounds.
            int repeats = quick ? 1 : epochs < 10 ? 9 : 5;
            step("sweep throughput, " + epochs + " epochs: warm-up rounds until the JIT settles, then local[1] and"
                    + " local[2] " + repeats + " times each, in turns");
            int warmups = Turns.warmUp(List.of(1, 2), cores -> timedSweep(spec, cores, out).trialsPerMinute(),
                    jit::getTotalCompilationTime, System::currentTimeMillis, 0.05, quick ? 1 : 6);
            long compiledBefore = jit.getTotalCompilationTime();
            long began = System.currentTimeMillis();
            r.sweep(BenchResults.Throughput.of(grid,
                    Turns.runs(List.of(1, 2), repeats, cores -> timedSweep(spec, cores, out))));
            jitNotes.add(String.format("%s: %d warm-up round(s), then %.1f s of JIT compilation in %.1f s of runs",
                    grid, warmups, (jit.getTotalCompilationTime() - compiledBefore) / 1e3,
                    (System.currentTimeMillis() - began) / 1e3));
        }
        r.note("Sweep rows: 1,000 circles examples, statistics every iteration, the default engine (vector groups, one"
                + " per activation), Parquet output to a local temporary directory, timed from job submission to the"
                + " last commit. Warm-up rounds (both masters) repeat until one spends at most 5% of its wall time in"
                + " JIT compilation, summed over compiler threads: " + String.join("; ", jitNotes) + ".");
    }

    /**
     * The gradient rows of one 64-trial circles group (the circles scenario, statistics every iteration) written
     * again and again: warm-up runs first, since the first writes run interpreted code.
     */
    private void writer() throws IOException {
        int epochs = quick ? 1 : 3;
        step("writer: the gradient rows of a " + GROUP + "-trial circles group, " + epochs + " epoch(s), through "
                + "TableWriter");
        List<TrialConfig> group = Groups.of(TrialBench.trials(
                TrialBench.CIRCLES.formatted(epochs, 1, TrialBench.seeds(GROUP), 1000))).get(0);
        var rows = WriterBench.gradientRows(group);
        int warmups = quick ? 1 : 10;
        int runs = quick ? 2 : 15;
        r.writer(new BenchResults.Writer(group.size(), WriterBench.measure(rows, warmups, runs)));
        r.note("Writer rows: " + warmups + " warm-up write(s) of the file, then " + runs + " timed; CPU of the "
                + "writing thread from the first row to the closed file, to a local temporary file.");
    }

    static SweepRun timedSweep(SweepSpec spec, int cores, String out) {
        try {
            return SweepThroughput.run(spec, cores, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The demo trial for 10 and 1000 epochs, stats every iteration, the heap read after a full GC. About 100
     * readings at most: one full GC per epoch would make the long trial mostly GC.
     */
    private void heap() {
        int[] epochs = quick ? new int[] {2, 20} : new int[] {10, 1000};
        for (int e : epochs) {
            int every = Math.max(1, e / 100);
            step("heap over a " + e + "-epoch trial, read every " + every + " epoch(s)");
            r.heap(e, TrialBench.heap(TrialBench.trials(TrialBench.CIRCLES.formatted(e, 1, "[1]", HEAP_SAMPLES))
                    .get(0), every));
        }
        r.note("Heap rows: the circles trial through DL4J on " + HEAP_SAMPLES + " examples (16 updates per epoch, "
                + "so that 1000 epochs take a couple of minutes), heap used read after System.gc() at the end of "
                + "epoch 1 and of every " + Math.max(1, epochs[1] / 100) + "th epoch of the long trial (every "
                + "epoch of the short one).");
    }

    void step(String what) {
        console.println("[bench] " + what);
        console.flush();
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
