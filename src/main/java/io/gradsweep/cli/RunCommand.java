package io.gradsweep.cli;

import io.gradsweep.InvalidInputException;
import io.gradsweep.io.Table;
import io.gradsweep.io.Tables;
import io.gradsweep.spark.SweepConf;
import io.gradsweep.spark.SweepJob;
import io.gradsweep.spec.CostLimits;
import io.gradsweep.spec.Grid;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.spec.SweepSpec;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.train.TrialOutcome;
import io.gradsweep.ui.UiServer;
import io.gradsweep.vector.Groups;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Runs a sweep on the SparkSession of the environment: spark-submit's master, or embedded local[*]. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run a sweep and write its Parquet tables.")
final class RunCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec cmd;

    @Parameters(index = "0", paramLabel = "SPEC", description = "Sweep spec (YAML).")
    Path specFile;

    @Mixin
    SharedOptions.Out out;

    @Mixin
    SharedOptions.Master master;

    /** Null when not given: SweepJob's 0, four tasks per core. */
    @Option(names = "--tasks", description = "Spark tasks (batches of trials); default 4 per core.")
    Integer tasks;

    @Mixin
    SharedOptions.MaxTrials grid;

    @Option(names = "--overwrite", description = "Replace existing results of this sweep.")
    boolean overwrite;

    @Option(names = "--resume", description = "Finish an interrupted sweep: keep committed trials, run the rest.")
    boolean resume;

    @Option(names = "--repair", description = "With --resume: delete and retrain the committed batches whose files "
            + "do not verify (truncated or damaged parts).")
    boolean repair;

    @Option(names = "--ui", arity = "0..1", fallbackValue = "" + SharedOptions.UiAddress.DEFAULT_PORT,
            paramLabel = "PORT", description = "Serve the explorer on 127.0.0.1:PORT (default "
            + SharedOptions.UiAddress.DEFAULT_PORT + ") while the sweep runs; it stops with the run.")
    Integer ui;

    @Override
    public Integer call() throws Exception {
        // options and spec are validated before paying for a SparkSession
        SweepJob.Options options = new SweepJob.Options(out.root, tasks(), grid.limit(), overwrite, resume, repair);
        String masterUrl = master.url();
        SweepSpec spec = SpecParser.parse(specFile);
        SparkClasspath.require("run");
        SweepJob.requireSupported(spec);
        SparkConf conf = SweepConf.of(masterUrl, "gradsweep " + spec.name());
        List<TrialConfig> trials = Grid.expand(spec, grid.limit());
        CostLimits.require(spec, Groups.of(trials), SweepConf.budget(conf), "run sweep");
        PrintWriter console = cmd.commandLine().getOut();
        UiServer explorer = explorer(spec.name(), trials.size(), console);
        SparkSession spark;
        try {
            spark = SparkSession.builder().config(conf).getOrCreate();
        } catch (RuntimeException e) {
            if (explorer != null) {
                explorer.close();
            }
            throw e;
        }
        try (explorer) { // null without --ui
            long start = System.nanoTime();
            SweepJob job = new SweepJob(spark, console);
            List<TrialOutcome> ran = job.run(spec, options);
            // a resumed sweep is summarised whole: the remainder alone hides what the sweep shows
            List<TrialOutcome> outcomes = resume ? job.committed(spec, options) : ran;
            if (resume) {
                console.printf("Summary of the whole sweep: %d trials, %d of them run now%n", outcomes.size(),
                        ran.size());
            }
            console.print(Summary.of(outcomes, 10));
            String tables = String.join(",", Tables.ALL.stream().map(Table::name).toList());
            console.printf("Done in %.1f s. Results: %s/{%s}/sweep=%s/%n", (System.nanoTime() - start) / 1e9, out.root,
                    tables, spec.name());
            console.flush();
            return Main.OK;
        } finally {
            spark.stop();
        }
    }

    /** The explorer beside the run ({@code --ui}), or null; started before Spark, so a busy port costs nothing. */
    private UiServer explorer(String sweep, int trials, PrintWriter console) throws java.io.IOException {
        if (ui == null) {
            return null;
        }
        int port = SharedOptions.UiAddress.check(ui);
        if (!io.gradsweep.analysis.SqlEngine.isLocal(out.root)) {
            throw new InvalidInputException("Cannot start explorer: '--out' is " + out.root + "; expected a local "
                    + "path with --ui (the explorer reads results with DuckDB)");
        }
        UiServer server = UiServer.start(out.root, "127.0.0.1", port, sweep, trials);
        console.printf("Explorer at %s (live while the sweep runs)%n", server.url());
        console.flush();
        return server;
    }

    /** SweepJob reads tasks <= 0 as its default, so an explicit 0 or -1 was silently ignored; it is refused. */
    private int tasks() {
        if (tasks != null && tasks < 1) {
            throw new InvalidInputException("Cannot run sweep: '--tasks' is " + tasks + "; expected a positive "
                    + "integer (leave it out for 4 tasks per core)");
        }
        return tasks == null ? 0 : tasks;
    }
}
