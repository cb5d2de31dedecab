package io.gradsweep.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;


/** Renders a bench run as Markdown: the machine, the date, and every number with its spread. */
public final class BenchReport {
    private BenchReport() {
    }

    public static String markdown(BenchResults r, String command) {
        StringBuilder md = new StringBuilder("# gradsweep benchmarks\n\n");
        md.append("Written by `").append(command).append("` on ").append(LocalDate.now()).append(".\n\n");
        md.append("- Machine: ").append(machine()).append('\n');
        md.append(String.format("- Load average: %.2f before, %.2f after (other work on the machine inflates "
                + "absolute times; ratios are measured side by side in this run)%n", r.loadBefore, r.loadAfter));
        md.append("- Java ").append(System.getProperty("java.version")).append(", ND4J on 1 thread; PyTorch ")
                .append(r.torch.version() != null ? r.torch.version() + " eager on 1 thread" : "not measured ("
                        + r.torch.unavailable() + ")").append("\n\n");
        md.append("## Per minibatch update (µs, median and range over repeats)\n\n");
        md.append("| scenario | gradsweep, no stats | gradsweep, stats every iteration | stats overhead "
                + "| PyTorch, no stats | PyTorch, with stats | gradsweep / PyTorch (with stats) |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        for (String scenario : scenarios(r)) {
            md.append("| ").append(scenario).append(" | ").append(cell(r.updates.get(scenario + "/nostats")))
                    .append(" | ").append(cell(r.updates.get(scenario + "/stats"))).append(" | ")
                    .append(percent(r.overhead(scenario))).append(" | ")
                    .append(cell(r.torch.timings().get(scenario + "/nostats"))).append(" | ")
                    .append(cell(r.torch.timings().get(scenario + "/stats"))).append(" | ")
                    .append(ratio(r.torchRatio(scenario + "/stats"))).append(" |\n");
        }
        if (!r.engines.isEmpty()) {
            md.append("\n## Engines on the circles trial, whole trials (evaluation and histograms included), "
                    + "amortized per trial and update (µs)\n\n| engine | time | / PyTorch with stats (circles) |\n"
                    + "|---|---|---|\n");
            Timing torch = r.torch.timings().get("circles/stats");
            r.engines.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v.text()).append(" | ")
                    .append(ratio(torch == null ? null : v.median() / torch.median())).append(" |\n"));
        }
        if (!r.trialsPerMinute.isEmpty()) {
            md.append("\n## Sweep throughput (").append(r.sweepGrid).append(")\n\n| master | trials/minute |\n"
                    + "|---|---|\n");
            r.trialsPerMinute.forEach((n, v) -> md.append(String.format("| local[%d] | %.1f |%n", n, v)));
            Double one = r.trialsPerMinute.get(1);
            Double two = r.trialsPerMinute.get(2);
            if (one != null && two != null) {
                md.append(String.format("%nlocal[2] / local[1] = %.2f×%n", two / one));
            }
        }
        if (!r.heapByEpochs.isEmpty()) {
            md.append("\n## Heap retained by training (circles trial, after a full GC at each epoch end)\n\n"
                    + "| epochs | after epoch 1 | largest |\n|---|---|---|\n");
            r.heapByEpochs.forEach((e, h) -> md.append(String.format("| %d | %.1f MiB | %.1f MiB |%n", e,
                    h[0] / 1048576.0, h[1] / 1048576.0)));
        }
        r.notes.forEach(n -> md.append("\n").append(n).append('\n'));
        return md.toString();
    }

    private static Iterable<String> scenarios(BenchResults r) {
        return r.updates.keySet().stream().map(k -> k.substring(0, k.indexOf('/'))).distinct().toList();
    }

    private static String cell(Timing t) {
        return t == null ? "–" : t.text();
    }

    private static String percent(Double v) {
        return v == null ? "–" : String.format("%+.1f%%", 100 * v);
    }

    private static String ratio(Double v) {
        return v == null ? "–" : String.format("%.2f×", v);
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
