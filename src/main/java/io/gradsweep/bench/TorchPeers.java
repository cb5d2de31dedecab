package io.gradsweep.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The PyTorch peers of one bench run: one trial at a time ({@code torch_reference.py}) and K circles trials as one
 * computation ({@code torch_batched.py}), run with the same Python. Without one, each result says why.
 */
final class TorchPeers {
    private final BenchInputs.Input python;
    private final Path oneTrialScript;
    private final Path batchedScript;
    private final boolean quick;
    private final Consumer<String> step;
    private final PrintWriter console;

    TorchPeers(BenchInputs.Input python, Path oneTrialScript, Path batchedScript, boolean quick,
               Consumer<String> step, PrintWriter console) {
        this.python = python;
        this.oneTrialScript = oneTrialScript;
        this.batchedScript = batchedScript;
        this.quick = quick;
        this.step = step;
        this.console = console;
    }

    /** Each scenario for its own number of iterations. */
    TorchReference.Result oneTrial(Map<String, Integer> iterations) {
        if (python.value() == null) {
            return new TorchReference.Result(Map.of(), null, python.absent());
        }
        step.accept("PyTorch reference (" + python.value() + " " + oneTrialScript + ")");
        return warnOfReferenceBlas(TorchReference.run(python.value(), oneTrialScript, iterations, quick ? 2 : 5));
    }

    /** The circles trial batched at each of {@code ks}, and its circles-dropout variant at each of {@code dropoutKs}. */
    TorchReference.Result batched(List<Integer> ks, List<Integer> dropoutKs) {
        if (python.value() == null) {
            return new TorchReference.Result(Map.of(), null, python.absent());
        }
        step.accept("batched PyTorch peer, K = " + ks + " (" + python.value() + " " + batchedScript + ")");
        TorchReference.Result result = TorchReference.batched(python.value(), batchedScript, ks, updates(),
                quick ? 2 : 5, 0);
        if (result.unavailable() == null && !dropoutKs.isEmpty()) {
            step.accept("batched PyTorch peer with dropout " + TrialBench.CIRCLES_DROP + ", K = " + dropoutKs);
            result = result.with(TorchReference.batched(python.value(), batchedScript, dropoutKs, updates(),
                    quick ? 2 : 5, TrialBench.CIRCLES_DROP));
        }
        return warnOfReferenceBlas(result);
    }

    /** {@code processes} batched peers at once, splitting {@code trials} between them, for whole epochs. */
    TorchReference.Result sweep(int trials, int epochs, int processes) {
        if (python.value() == null) {
            return new TorchReference.Result(Map.of(), null, python.absent());
        }
        return TorchReference.sweep(python.value(), batchedScript, trials / processes, epochs, processes);
    }

    String batchedNote() {
        return "Batched PyTorch rows: K circles trials as one computation (weights stacked as [K, in, out], one "
                + "baddbmm per layer, RMSprop on the stacked tensors, the gradients table's statistics computed "
                + "batched and fetched once per iteration; circles-dropout: F.dropout on each hidden layer's [K, "
                + "batch, 5] output), " + updates() + " / K iterations per run (at least 200, at most 2,000), CPU µs of its thread per trial and update, compared at the K gradsweep trains "
                + "together (1 for DL4J).";
    }

    private int updates() {
        return quick ? 3200 : 32000;
    }

    /** The report marks such ratios; the console says so at once, since a full run takes minutes. */
    private TorchReference.Result warnOfReferenceBlas(TorchReference.Result result) {
        if (result.referenceBlas()) {
            console.println("[bench] WARNING: PyTorch runs on the reference BLAS (" + result.version() + "); ratios "
                    + "to it are marked † and are not fair. Install OpenBLAS: apt-get install libopenblas0-pthread");
            console.flush();
        }
        return result;
    }
}
