package io.gradsweep.cli;

import io.gradsweep.io.Table;
import io.gradsweep.io.Tables;
import io.gradsweep.spark.SweepConf;
import io.gradsweep.spark.SweepJob;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.spec.SweepSpec;
import io.gradsweep.train.TrialOutcome;
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

    @Option(names = "--tasks", defaultValue = "0", description = "Spark tasks (batches of trials); default 4 per core.")
    int tasks;

    @Mixin
    SharedOptions.MaxTrials grid;

    @Option(names = "--overwrite", description = "Replace existing results of this sweep.")
    boolean overwrite;

    @Option(names = "--resume", description = "Finish an interrupted sweep: keep committed trials, run the rest.")
    boolean resume;

    @Option(names = "--repair", description = "With --resume: delete and retrain the committed batches whose files "
            + "do not verify (truncated or damaged parts).")
    boolean repair;

    @Override
    public Integer call() throws Exception {
        SweepSpec spec = SpecParser.parse(specFile); // validate before paying for a SparkSession
        SparkClasspath.require("run");
        SweepJob.Options options = new SweepJob.Options(out.root, tasks, grid.maxTrials, overwrite, resume, repair);
        SparkConf conf = SweepConf.of(master.url, "gradsweep " + spec.name());
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        PrintWriter console = cmd.commandLine().getOut();
        try {
            long start = System.nanoTime();
            List<TrialOutcome> outcomes = new SweepJob(spark, console)
                    .run(spec, options);
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
}
