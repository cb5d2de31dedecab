package io.gradsweep.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bytedeco.javacpp.Pointer;


/** Renders a bench run as Markdown: the machine, the date, and every number with its spread. */
public final class BenchReport {
    private BenchReport() {
    }

    public static String markdown(BenchResults r, String command) {
        StringBuilder md = new StringBuilder("# gradsweep benchmarks\n\n");
        md.append("Written by `").append(command).append("` on ").append(LocalDate.now()).append(".\n\n");
        md.append("- Machine: ").append(machine()).append('\n');
        md.append(String.format("- Load average: %.2f before, %.2f after (other work on the machine inflates "
                + "absolute times; ratios are measured side by side in this run)%n", r.loadBefore(), r.loadAfter()));
        md.append("- Java ").append(System.getProperty("java.version")).append(", ND4J on 1 thread, JavaCPP ")
                .append(Pointer.maxPhysicalBytes() == 0 ? "physical-memory check off" : "maxPhysicalBytes "
                        + Pointer.maxPhysicalBytes()).append("; PyTorch ")
                .append(r.torch().version() != null ? r.torch().version() + " eager on 1 thread" : "not measured ("
                        + r.torch().unavailable() + ")").append("\n");
        md.append("- Batched PyTorch peer (K circles trials as one computation, `bench/torch_batched.py`): ")
                .append(r.batched().version() != null ? r.batched().version() : "not measured ("
                        + r.batched().unavailable() + ")").append("\n");
        String warning = blasWarning(r);
        if (warning != null) {
            md.append("\n> **Warning:** ").append(warning).append("\n");
        }
        updates(r, md);
        engines(r, md);
        sweep(r, md);
        endToEnd(r, md);
        writer(r, md);
        heap(r, md);
        r.notes().forEach(n -> md.append("\n").append(n).append('\n'));
        return md.toString();
    }

    private static void updates(BenchResults r, StringBuilder md) {
        if (r.updates().isEmpty()) {
            return;
        }
        md.append("\n## Per minibatch update (CPU µs of the training thread per trial and update, median and range "
                + "over runs; evaluation excluded)\n\n");
        md.append("| scenario | engine | no stats | stats every iteration | stats overhead (median and range of "
                + "paired runs) | PyTorch, no stats "
                + "| PyTorch, with stats | gradsweep / PyTorch (with stats) | batched PyTorch, same K, no stats "
                + "| batched PyTorch, same K, with stats | gradsweep / batched PyTorch (with stats) |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (BenchResults.Overhead o : r.updates()) {
            md.append("| ").append(o.scenario()).append(" | ").append(o.engine()).append(" | ")
                    .append(o.without().text()).append(" | ").append(o.with().text()).append(" | ")
                    .append(String.format("%+.1f%% (%+.1f%% to %+.1f%%)", 100 * o.overhead(),
                            100 * (o.pairedRatio().min() - 1), 100 * (o.pairedRatio().max() - 1))).append(" | ")
                    .append(cell(r.torch().timings().get(o.scenario() + "/nostats"))).append(" | ")
                    .append(cell(r.torch().timings().get(o.scenario() + "/stats"))).append(" | ")
                    .append(ratio(r.torchRatio(o), r.torch())).append(" | ")
                    .append(cell(r.batched().timings().get(TorchReference.Result.batchedKey(o.scenario(), o.trials(),
                            false)))).append(" | ")
                    .append(cell(r.batchedPeer(o.scenario(), o.trials()))).append(" | ")
                    .append(ratio(r.batchedRatio(o), r.batched())).append(" |\n");
        }
    }

    private static void engines(BenchResults r, StringBuilder md) {
        if (r.engines().isEmpty()) {
            return;
        }
        md.append("\n## Engines on the circles trial, whole trials (evaluation and histograms included), "
                + "amortized per trial and update (wall µs)\n\n| engine | time | / PyTorch with stats (circles) "
                + "| / batched PyTorch with stats, same K |\n|---|---|---|---|\n");
        Timing torch = r.torch().timings().get("circles/stats");
        r.engines().forEach((label, e) -> {
            Timing v = e.timing();
            Timing peer = r.batchedPeer("circles", e.trials());
            md.append("| ").append(label).append(" | ").append(v.text()).append(" | ")
                    .append(ratio(torch == null ? null : v.median() / torch.median(), r.torch())).append(" | ")
                    .append(ratio(peer == null ? null : v.median() / peer.median(), r.batched())).append(" |\n");
        });
    }

    private static void sweep(BenchResults r, StringBuilder md) {
        if (r.sweeps().isEmpty()) {
            return;
        }
        md.append("\n## Sweep throughput (trials/minute, median and range over runs; warm-up rounds, then "
                + "local[1] and local[2] taking turns)\n\n| grid | runs | local[1] | local[2] "
                + "| local[2] / local[1] (median and range of paired runs) | cores busy, local[1] / local[2] "
                + "| cores taken by the hypervisor, local[1] / local[2] "
                + "| per CPU-minute, local[2] / local[1] |\n|---|---|---|---|---|---|---|---|\n");
        for (BenchResults.Throughput t : r.sweeps()) {
            Timing one = t.trialsPerMinute().get(1);
            Timing two = t.trialsPerMinute().get(2);
            md.append("| ").append(t.grid()).append(" | ").append((one == null ? two : one).repeats()).append(" | ")
                    .append(cell(one)).append(" | ").append(cell(two)).append(" | ").append(paired(t.pairs()))
                    .append(" | ").append(cores(t.coresBusy())).append(" | ").append(cores(t.coresStolen()))
                    .append(" | ").append(paired(t.perCpuPairs())).append(" |\n");
        }
        md.append("\nCores busy: this process's CPU time over all its threads (tasks, JIT compilers, GC, ND4J's "
                + "deallocators) divided by the run's wall time. Cores taken by the hypervisor: the machine's steal "
                + "time (/proc/stat) over the same span. local[2] / local[1] is the ratio of cores busy times the "
                + "per-CPU-minute ratio, so a shortfall from 2× shows either as cores local[2] did not get or as "
                + "cores it used less well.\n");
    }

    private static void endToEnd(BenchResults r, StringBuilder md) {
        if (r.endToEnd().isEmpty()) {
            return;
        }
        md.append("\n## End to end on two cores: one-shape grid, statistics every iteration (wall s, median and "
                + "range over runs, taking turns)\n\n| grid | runs | gradsweep, local[2], Parquet output "
                + "| batched PyTorch, 2 processes of half the trials, no output | gradsweep / PyTorch (paired runs) |"
                + "\n|---|---|---|---|---|\n");
        for (BenchResults.EndToEnd e : r.endToEnd()) {
            md.append("| ").append(e.grid()).append(" | ").append(e.gradsweep().repeats()).append(" | ")
                    .append(e.gradsweep().text()).append(" | ").append(e.peer().text()).append(" | ")
                    .append(paired(e.pairedRatio())).append(e.referenceBlas() ? "†" : "").append(" |\n");
        }
    }

    private static void writer(BenchResults r, StringBuilder md) {
        if (r.writer() == null) {
            return;
        }
        WriterBench.Result w = r.writer().result();
        md.append("\n## Writer cost: gradient rows of one circles vector group through `TableWriter` (Parquet, "
                + "local file)\n\n| trials | rows | bytes/row | writer CPU µs/row (median and range over runs) "
                + "| rows read back |\n|---|---|---|---|---|\n");
        md.append(String.format("| %d | %,d | %.1f | %.2f (%.2f–%.2f), %d runs | %,d |%n", r.writer().trials(),
                w.rows(), w.bytesPerRow(), w.cpuMicros().median(), w.cpuMicros().min(), w.cpuMicros().max(),
                w.cpuMicros().repeats(), w.readBack()));
    }

    private static String paired(Timing pairs) {
        return pairs == null ? "–" : String.format("%.2f× (%.2f×–%.2f×)", pairs.median(), pairs.min(), pairs.max());
    }

    /** "1.10 / 1.87": the medians for local[1] and local[2]; a dash for a master not run or not reported. */
    private static String cores(Map<Integer, Timing> byCores) {
        if (byCores.isEmpty()) {
            return "–";
        }
        return String.join(" / ", Stream.of(1, 2).map(byCores::get)
                .map(t -> t == null ? "–" : String.format("%.2f", t.median())).toList());
    }

    private static void heap(BenchResults r, StringBuilder md) {
        if (r.heap().isEmpty()) {
            return;
        }
        md.append("\n## Heap retained by training (circles trial, stats every iteration, heap used after a full GC)"
                + "\n\n| epochs | after epoch 1 | largest | last | readings |\n|---|---|---|---|---|\n");
        r.heap().forEach((e, h) -> md.append(String.format("| %d | %s | %s | %s | %d |%n", e,
                mib(h.afterFirstEpoch()), mib(h.largest()), mib(h.last()), h.readings())));
    }

    private static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }

    private static String cell(Timing t) {
        return t == null ? "–" : t.text();
    }

    /** A ratio to a PyTorch peer, marked † when that peer ran on the reference BLAS. */
    private static String ratio(Double v, TorchReference.Result peer) {
        return v == null ? "–" : String.format("%.2f×", v) + (peer.referenceBlas() ? "†" : "");
    }

    /**
     * Null unless a peer ran on the reference BLAS: its products are many times slower than OpenBLAS's, so every
     * ratio to it flatters gradsweep (the MNIST ratio most).
     */
    static String blasWarning(BenchResults r) {
        List<String> peers = new ArrayList<>();
        if (r.torch().referenceBlas()) {
            peers.add("one-trial");
        }
        if (r.batched().referenceBlas()) {
            peers.add("batched");
        }
        if (peers.isEmpty()) {
            return null;
        }
        return "the " + String.join(" and the ", peers) + " PyTorch peer" + (peers.size() > 1 ? "s" : "")
                + " ran on the reference BLAS, whose matrix "
                + "products are many times slower than OpenBLAS's; ratios to it are marked † and flatter gradsweep. "
                + "Install OpenBLAS (`apt-get install libopenblas0-pthread` on Debian) and run the benchmark again.";
    }

    static String machine() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse(cpu);
        } catch (Exception e) {
            // not Linux: the core count and memory still say a lot
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return String.format("%d cores (%s), %.0f GiB RAM, %s %s", Runtime.getRuntime().availableProcessors(), cpu,
                os.getTotalMemorySize() / 1073741824.0, System.getProperty("os.name"), System.getProperty("os.arch"));
    }

}
