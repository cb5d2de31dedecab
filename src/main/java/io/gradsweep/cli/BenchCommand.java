package io.gradsweep.cli;

import io.gradsweep.bench.BenchInputs;
import io.gradsweep.bench.BenchReport;
import io.gradsweep.bench.BenchResults;
import io.gradsweep.bench.BenchRun;
import io.gradsweep.bench.Part;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Measures training cost side by side with PyTorch and writes docs/benchmarks.md; nothing here is a test. Only
 * options live here: the run itself is {@link BenchRun}, in the bench package, which nothing in production uses.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark per-update cost (with and without statistics) against PyTorch, sweep throughput"
                + " on local[1] and local[2], and retained heap; print Markdown and optionally write it.")
final class BenchCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec cmd;

    @Option(names = "--quick", description = "Few repeats and short trials: checks the benchmark runs, in seconds.")
    boolean quick;

    @Option(names = "--write", paramLabel = "FILE", description = "Also write the Markdown here, e.g. docs/benchmarks.md.")
    Path write;

    @Option(names = "--skip", split = ",", paramLabel = "PART", completionCandidates = Parts.class,
            description = "Parts to leave out: ${COMPLETION-CANDIDATES}.")
    List<String> skip = new ArrayList<>();

    @Option(names = "--python", paramLabel = "PY",
            description = "Python with PyTorch for the reference, a path or a command on PATH (default python3 on"
                    + " PATH; without one the reference is left out).")
    String python;

    @Option(names = "--torch-script", defaultValue = "bench/torch_reference.py",
            description = "The PyTorch reference script (default ${DEFAULT-VALUE}).")
    Path torchScript;

    @Option(names = "--torch-batched-script", defaultValue = "bench/torch_batched.py",
            description = "The batched PyTorch peer: K circles trials as one computation (default ${DEFAULT-VALUE}).")
    Path batchedScript;

    @Option(names = "--mnist", paramLabel = "DIR",
            description = "Directory with the MNIST t10k IDX files (default the " + BenchInputs.MNIST_PROPERTY
                    + " property, else $" + BenchInputs.MNIST_ENV + "; without either MNIST is left out).")
    String mnist;

    /** The help's list of parts, taken from {@link Part} so that it names every one. */
    static final class Parts implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(Part.values()).map(Part::label).iterator();
        }
    }

    @Override
    public Integer call() throws Exception {
        var settings = new BenchRun.Settings(quick, Part.parse(skip), python, torchScript, batchedScript, mnist);
        var console = cmd.commandLine().getOut();
        BenchResults results = new BenchRun(settings, console).run();
        String md = BenchReport.markdown(results, settings.title());
        console.print(md);
        console.flush();
        if (write != null) {
            Files.writeString(write, md);
        }
        return Main.OK;
    }
}
