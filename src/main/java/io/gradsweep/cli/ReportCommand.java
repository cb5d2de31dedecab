package io.gradsweep.cli;

import io.gradsweep.analysis.SqlEngine;
import io.gradsweep.report.ReportOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** An HTML report with charts for one sweep. The SQL engine is used only inside {@link ReportRun}. */
@Command(name = "report", mixinStandardHelpOptions = true, description = {
        "Write an HTML report with PNG charts for one sweep.",
        "Per-layer gradients, weights and loss of selected trials, heatmaps of accuracy and grad_ratio over two",
        "grid axes, gradient std against layer index, the trials by diagnosis, and, when the sweep wrote the",
        "histograms table, the selected trials' weight and gradient distributions."})
final class ReportCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec cmd;

    @Mixin
    SharedOptions.Out out;

    @Option(names = "--sweep", paramLabel = "NAME", description = "The sweep; may be left out when --out holds one.")
    String sweep;

    @Option(names = "--to", defaultValue = "report", paramLabel = "DIR",
            description = "Local directory for index.html and the PNGs (default ${DEFAULT-VALUE}).")
    String to;

    @Option(names = "--trials", split = ",", paramLabel = "ID",
            description = "Trials to draw in detail; default the best and the worst of each activation.")
    List<String> trials = new ArrayList<>();

    @Option(names = "--axes", split = ",", paramLabel = "AXIS",
            description = "Two grid axes for the heatmaps, e.g. activation,initializer; default the first two "
                    + "that vary.")
    List<String> axes = new ArrayList<>();

    @Mixin
    SharedOptions.Engine engine;

    @Mixin
    SharedOptions.Master master;

    @Override
    public Integer call() throws Exception {
        SqlEngine chosen = SqlEngine.choose(engine.name, out.root);
        SparkClasspath.require("report");
        ReportRun.run(new ReportOptions(out.root, sweep, to, trials, axes, master.url()), chosen,
                cmd.commandLine().getOut());
        return Main.OK;
    }
}
