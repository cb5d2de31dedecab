package io.gradsweep.spark;

import io.gradsweep.InvalidInputException;
import io.gradsweep.exec.BatchPlanner;
import io.gradsweep.exec.TrialBatch;
import io.gradsweep.io.OutputLayout;
import io.gradsweep.io.Table;
import io.gradsweep.io.Tables;
import io.gradsweep.spec.Grid;
import io.gradsweep.spec.SweepSpec;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.train.TrialOutcome;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/** The driver side of a sweep: expand, check the output location, schedule one task per batch, summarise. */
public final class SweepJob {
    /** Options of one run; {@code tasks <= 0} means four tasks per available core. */
    public record Options(String out, int tasks, long maxTrials, boolean overwrite) {
    }

    private final SparkSession spark;
    private final PrintWriter out;

    public SweepJob(SparkSession spark, PrintWriter out) {
        this.spark = spark;
        this.out = out;
    }

    public List<TrialOutcome> run(SweepSpec spec, Options options) throws IOException {
        List<TrialConfig> trials = Grid.expand(spec, options.maxTrials());
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        OutputLayout layout = OutputLayout.of(options.out());
        prepareOutput(layout, spec.name(), options.overwrite(), hadoop);

        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int tasks = options.tasks() > 0 ? options.tasks() : 4 * jsc.defaultParallelism();
        List<TrialBatch> batches = BatchPlanner.plan(trials, tasks);
        String group = "gradsweep-" + spec.name() + "-" + System.nanoTime();
        Progress progress = new Progress(group, batches.stream().map(b -> b.trials().size()).toList(), out);
        out.printf("[gradsweep] sweep '%s': %d trials in %d tasks on %s (default parallelism %d)%n",
                spec.name(), trials.size(), batches.size(), jsc.master(), jsc.defaultParallelism());
        out.flush();
        jsc.setJobGroup(group, "gradsweep sweep '" + spec.name() + "': " + trials.size() + " trials", false);
        spark.sparkContext().addSparkListener(progress);
        try {
            List<TrialOutcome> outcomes = jsc.parallelize(batches, batches.size())
                    .map(new RunBatch(layout.root().toString(), new HadoopConf(hadoop)))
                    .collect().stream().flatMap(List::stream).toList();
            progress.complete();
            return outcomes;
        } finally {
            spark.sparkContext().removeSparkListener(progress);
            jsc.clearJobGroup();
        }
    }

    /**
     * Refuses to mix a new run into existing results, and proves the location writable before any training, so a
     * typo in --out costs seconds rather than a sweep.
     */
    static void prepareOutput(OutputLayout layout, String sweep, boolean overwrite, Configuration conf)
            throws IOException {
        for (Table<?> table : Tables.ALL) {
            if (!overwrite && !layout.committedFiles(table, sweep, conf).isEmpty()) {
                throw new InvalidInputException("Cannot run sweep '" + sweep + "': results already exist in "
                        + layout.tableDir(table, sweep) + "; pass --overwrite to replace them");
            }
        }
        try {
            if (overwrite) {
                layout.deleteSweep(sweep, conf);
            }
            Path probe = new Path(layout.stagingDir(sweep), "_write_probe");
            FileSystem fs = probe.getFileSystem(conf);
            fs.create(probe, true).close();
            fs.delete(probe, false);
        } catch (IOException e) {
            throw new InvalidInputException("Cannot write results: '--out' is " + layout.root()
                    + "; expected a writable directory (" + e.getMessage() + ")");
        }
    }
}
