package io.gradsweep.cli;

import io.gradsweep.bench.BenchResults;
import io.gradsweep.bench.EngineBench;
import io.gradsweep.bench.TorchReference;
import io.gradsweep.bench.TrialBench;
import io.gradsweep.spark.SweepThroughput;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.spec.SweepSpec;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The steps of one benchmark run, each announced on the console since a full run takes minutes. */
final class BenchRun {
    private final boolean quick;
    private final Set<String> skip;
    private final String python;
    private final Path torchScript;
    private final String mnist;
    private final PrintWriter console;
    private final BenchResults r = new BenchResults();

    BenchRun(boolean quick, Set<String> skip, String python, Path torchScript, String mnist, PrintWriter console) {
        this.quick = quick;
        this.skip = skip;
        this.python = python;
        this.torchScript = torchScript;
        this.mnist = mnist;
        this.console = console;
    }

    BenchResults run() throws Exception {
        r.loadBefore = load();
        List<String> torchScenarios = new ArrayList<>();
        if (!skip.contains("circles")) {
            updates("circles", TrialBench.CIRCLES.formatted(quick ? 1 : 5, 1),
                    TrialBench.CIRCLES.formatted(quick ? 1 : 5, TrialBench.NO_STATS), quick ? 2 : 7);
            torchScenarios.add("circles");
        }
        if (!skip.contains("mnist")) {
            if (Files.isDirectory(Path.of(mnist))) {
                updates("mnist", TrialBench.MNIST.formatted(mnist, 1, 1),
                        TrialBench.MNIST.formatted(mnist, 1, TrialBench.NO_STATS), quick ? 1 : 3);
                torchScenarios.add("mnist");
            } else {
                r.notes.add("MNIST was skipped: no directory " + mnist + " (pass --mnist DIR).");
            }
        }
        if (!skip.contains("torch") && !torchScenarios.isEmpty()) {
            step("PyTorch reference (" + python + " " + torchScript + ")");
            r.torch = TorchReference.run(python, torchScript, torchScenarios, quick ? 200 : 2000, quick ? 2 : 5);
        }
        if (!skip.contains("engines")) {
            engines();
        }
        if (!skip.contains("sweep")) {
            sweep();
        }
        if (!skip.contains("heap")) {
            for (int epochs : quick ? new int[] {2, 20} : new int[] {10, 1000}) {
                step("heap over a " + epochs + "-epoch trial");
                r.heapByEpochs.put(epochs, TrialBench.heapAfterGc(TrialBench.trial(
                        TrialBench.CIRCLES.formatted(epochs, 1))));
            }
        }
        r.loadAfter = load();
        return r;
    }

    private void updates(String scenario, String withStats, String withoutStats, int repeats) {
        step(scenario + ": per-update time without statistics");
        r.updates.put(scenario + "/nostats", TrialBench.perUpdate(scenario, TrialBench.trial(withoutStats), repeats));
        step(scenario + ": per-update time with statistics every iteration");
        r.updates.put(scenario + "/stats", TrialBench.perUpdate(scenario, TrialBench.trial(withStats), repeats));
    }

    /** The demo trial as whole trials: one DL4J trial after another, and K of them as one vector group. */
    private void engines() {
        int epochs = quick ? 1 : 5;
        step("engines: DL4J, whole trials");
        r.engines.put("dl4j, one trial at a time", EngineBench.dl4j(epochs, quick ? 1 : 5));
        for (int k : quick ? new int[] {1, 4} : new int[] {1, 16, 64, 256}) {
            step("engines: vector group of " + k);
            r.engines.put("vector, group of " + k, EngineBench.vector(k, epochs, quick ? 1 : 3));
        }
    }

    /** 64 circles trials (4 activations x 4 learning rates x 4 seeds) on local[1], then on local[2]. */
    private void sweep() throws Exception {
        String seeds = quick ? "[1]" : "[1, 2, 3, 4]";
        String rates = quick ? "[0.001, 0.01]" : "[0.001, 0.003, 0.01, 0.03]";
        int epochs = quick ? 1 : 3;
        SweepSpec spec = SpecParser.parse("""
                name: bench-sweep
                dataset: {name: circles, samples: 1000, noise: 0.1, factor: 0.5, seed: 1}
                train: {epochs: %d, batch_size: 32}
                grid: {activation: [sigmoid, tanh, relu, elu], depth: [4], width: [5], optimizer: [rmsprop],
                       learning_rate: %s, seed: %s}
                """.formatted(epochs, rates, seeds));
        r.sweepGrid = spec.grid().size() + " circles trials of " + epochs + " epochs, stats every iteration";
        Path out = Files.createTempDirectory("gradsweep-bench");
        for (int cores : new int[] {1, 2}) {
            step("sweep throughput on local[" + cores + "]");
            r.trialsPerMinute.put(cores, SweepThroughput.trialsPerMinute(spec, cores, out.toUri().toString()));
        }
    }

    private void step(String what) {
        console.println("[bench] " + what);
        console.flush();
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
