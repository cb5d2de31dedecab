package io.gradsweep.bench;

import io.gradsweep.spec.SpecParser;
import io.gradsweep.spec.SweepSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Issue 22's end-to-end target: K circles trials of one shape (one vector group, which the planner cuts in two for
 * local[2]), statistics every iteration, Parquet output, against two batched-PyTorch processes of K/2 trials each
 * on the same two cores. One discarded round, then the two take turns.
 */
final class OneShapeSweep {
    /** The measurement, or why the peer could not run. */
    record Outcome(BenchResults.EndToEnd result, String unavailable) {
    }

    private OneShapeSweep() {
    }

    static Outcome measure(TorchPeers peers, int trials, boolean quick, Consumer<String> step) throws IOException {
        int epochs = quick ? 2 : 100;
        int repeats = quick ? 1 : 3;
        SweepSpec spec = SpecParser.parse(TrialBench.CIRCLES.formatted(epochs, 1, TrialBench.seeds(trials), 1000));
        String out = Files.createTempDirectory("gradsweep-bench-e2e").toUri().toString();
        step.accept("end to end, " + trials + " circles trials of " + epochs + " epochs: gradsweep on local[2] and "
                + "two batched PyTorch processes, " + repeats + " times each, in turns");
        TorchReference.Result[] peer = new TorchReference.Result[1];
        Map<String, List<Double>> runs = Turns.runs(List.of("gradsweep", "torch"), repeats, arm -> {
            if (arm.equals("gradsweep")) {
                return BenchRun.timedSweep(spec, 2, out).span().wallSeconds();
            }
            peer[0] = peers.sweep(trials, epochs, 2);
            Timing t = peer[0].timings().get("sweep");
            return t == null ? Double.NaN : t.median();
        });
        if (peer[0].unavailable() != null) {
            return new Outcome(null, peer[0].unavailable());
        }
        double[] ours = runs.get("gradsweep").stream().mapToDouble(Double::doubleValue).toArray();
        double[] theirs = runs.get("torch").stream().mapToDouble(Double::doubleValue).toArray();
        double[] ratio = new double[ours.length];
        for (int i = 0; i < ratio.length; i++) {
            ratio[i] = ours[i] / theirs[i];
        }
        return new Outcome(new BenchResults.EndToEnd(trials + " circles trials, " + epochs + " epochs",
                Timing.of("gradsweep", ours), Timing.of("batched PyTorch", theirs), Timing.of("ratio", ratio),
                peer[0].referenceBlas()), null);
    }
}
