package io.gradsweep.spark;

import io.gradsweep.InvalidInputException;
import io.gradsweep.SweepFailedException;
import io.gradsweep.exec.BatchPlanner;
import io.gradsweep.exec.TrialBatch;
import io.gradsweep.io.OutputLayout;
import io.gradsweep.io.SweepLock;
import io.gradsweep.io.Table;
import io.gradsweep.io.Tables;
import io.gradsweep.spec.Grid;
import io.gradsweep.spec.SweepSpec;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.train.TrialOutcome;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The driver side of a sweep: take the sweep's lock, expand, reconcile with existing output, schedule one task per
 * batch. The lock comes first because reconcile deletes (--overwrite, and --resume's leftovers) and batch names
 * follow this driver's plan: a second driver on the sweep would delete or duplicate the first one's work.
 */
public final class SweepJob {
    /**
     * Options of one run; {@code tasks <= 0} means four tasks per available core. {@code repair} lets --resume
     * delete and retrain the batches whose committed files do not verify, which it otherwise refuses to touch.
     */
    public record Options(String out, int tasks, long maxTrials, boolean overwrite, boolean resume, boolean repair) {
        public Options {
            if (overwrite && resume) {
                throw new InvalidInputException("Cannot run sweep: '--overwrite' and '--resume' exclude each other; "
                        + "expected one of them");
            }
            if (repair && !resume) {
                throw new InvalidInputException("Cannot run sweep: '--repair' is given without '--resume'; expected "
                        + "--resume --repair, which retrains the committed batches whose files do not verify");
            }
        }

        public Options(String out, int tasks, long maxTrials, boolean overwrite, boolean resume) {
            this(out, tasks, maxTrials, overwrite, resume, false);
        }

        public Options(String out, int tasks, long maxTrials, boolean overwrite) {
            this(out, tasks, maxTrials, overwrite, false);
        }
    }

    /** A job that was never submitted has no end to wait for; one that was reports its end within moments. */
    private static final Duration JOB_END_WAIT = Duration.ofSeconds(30);
    /** Attempts stop at their next trial; a long trial may outlast this, and the driver then says so. */
    private static final Duration TASK_END_WAIT = Duration.ofMinutes(10);

    private final SparkSession spark;
    private final PrintWriter out;

    public SweepJob(SparkSession spark, PrintWriter out) {
        this.spark = spark;
        this.out = out;
    }

    /**
     * Refuses, before anything is written, a sweep this build cannot train: data-parallel mode in the Spark 4 build,
     * which has no dl4j-spark. The CLI calls it before it starts a SparkSession; {@link #run} calls it again.
     */
    public static void requireSupported(SweepSpec spec) {
        Dl4jSpark.requireSupported(spec);
    }

    /** Returns the outcomes of the trials this run trained (with --resume, not those committed before). */
    public List<TrialOutcome> run(SweepSpec spec, Options options) throws IOException {
        requireSupported(spec);
        List<TrialConfig> trials = Grid.expand(spec, options.maxTrials());
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        OutputLayout layout = OutputLayout.of(options.out());
        SweepLock lock;
        try {
            lock = SweepLock.acquire(layout, spec.name(), hadoop, line -> {
                out.println(line);
                out.flush();
            });
        } catch (IOException e) {
            throw notWritable(layout, e);
        }
        try (lock) { // before anything is read or deleted: what another driver stages is not ours to judge
            return runLocked(spec, options, trials, layout, hadoop);
        }
    }

    /**
     * Every committed trial of the sweep, what earlier runs and this one trained, in grid order: the end-of-run
     * summary of a --resume, which would otherwise summarise only the remainder (or nothing).
     */
    public List<TrialOutcome> committed(SweepSpec spec, Options options) throws IOException {
        return CommittedOutcomes.read(spark, OutputLayout.of(options.out()), spec.name(),
                Grid.expand(spec, options.maxTrials()), spark.sparkContext().hadoopConfiguration());
    }

    private List<TrialOutcome> runLocked(SweepSpec spec, Options options, List<TrialConfig> trials,
                                         OutputLayout layout, Configuration hadoop) throws IOException {
        List<TrialConfig> todo = new Reconcile(out).reconcile(layout, spec.name(), trials, options, hadoop);
        probeWritable(layout, spec.name(), hadoop);
        if (todo.isEmpty()) {
            layout.removeStagingIfEmpty(spec.name(), hadoop);
            out.printf("[gradsweep] sweep '%s': all %d trials are already committed; nothing to run%n",
                    spec.name(), trials.size());
            out.flush();
            return List.of();
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        if (spec.train().isDataParallel()) {
            List<TrialOutcome> outcomes = new DataParallelSweep(jsc, out).run(spec.name(), todo, layout, hadoop);
            layout.removeStagingIfEmpty(spec.name(), hadoop);
            return outcomes;
        }
        int tasks = options.tasks() > 0 ? options.tasks() : 4 * jsc.defaultParallelism();
        List<TrialBatch> batches = BatchPlanner.plan(todo, tasks, jsc.defaultParallelism());
        requireUnusedNames(batches, layout, spec.name(), hadoop);
        out.printf("[gradsweep] sweep '%s': %d trials in %d tasks on %s (default parallelism %d)%n",
                spec.name(), todo.size(), batches.size(), jsc.master(), jsc.defaultParallelism());
        out.flush();
        List<TrialOutcome> outcomes = execute(jsc, spec, batches, layout, hadoop);
        layout.removeStagingIfEmpty(spec.name(), hadoop);
        return outcomes;
    }

    private List<TrialOutcome> execute(JavaSparkContext jsc, SweepSpec spec, List<TrialBatch> batches,
                                       OutputLayout layout, Configuration hadoop) {
        String group = "gradsweep-" + spec.name() + "-" + System.nanoTime();
        GroupTasks tasks = new GroupTasks(group);
        Progress progress = new Progress(tasks, batches.stream().map(b -> b.trials().size()).toList(), out);
        int trials = batches.stream().mapToInt(b -> b.trials().size()).sum();
        jsc.setJobGroup(group, "gradsweep sweep '" + spec.name() + "': " + trials + " trials", false);
        spark.sparkContext().addSparkListener(tasks); // first: a job's start reaches it before Progress sees tasks
        spark.sparkContext().addSparkListener(progress);
        try {
            List<TrialOutcome> outcomes = jsc.parallelize(batches, batches.size())
                    .map(new RunBatch(layout.root().toString(), new HadoopConf(hadoop)))
                    .collect().stream().flatMap(List::stream).toList();
            progress.complete();
            return outcomes;
        } catch (Exception e) { // Scala throws SparkException undeclared, so javac cannot name it here
            if (e instanceof SparkException) {
                throw new SweepFailedException("Sweep '" + spec.name() + "' failed: " + e.getMessage()
                        + "\nCommitted batches are kept; finish the sweep with --resume.", e);
            }
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        } finally {
            awaitTasks(tasks, spec.name());
            spark.sparkContext().removeSparkListener(progress);
            spark.sparkContext().removeSparkListener(tasks);
            jsc.clearJobGroup();
        }
    }

    /** Holds the lock until the job's last attempt has ended: see {@link GroupTasks}. */
    private void awaitTasks(GroupTasks tasks, String sweep) {
        try {
            int left = tasks.awaitEnded(JOB_END_WAIT, TASK_END_WAIT, n -> {
                out.printf("[gradsweep] sweep '%s': waiting for %d running task attempts to end (each stops "
                        + "at its next trial)%n", sweep, n);
                out.flush();
            });
            if (left > 0) {
                out.printf("[gradsweep] sweep '%s': %d task attempts still run after %d minutes; until they end, "
                        + "do not --resume or --overwrite the sweep from this session%n", sweep, left,
                        TASK_END_WAIT.toMinutes());
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Commit skips a name that already exists (an earlier attempt of the same batch won), so a planned batch whose
     * name a committed part holds would lose its trials silently. Names hash the batch's trial ids, and --resume
     * plans only trials that are not committed, after removing leftovers: only a collision of the name's 32-bit
     * hash can get here, and then the sweep stops before training rather than drop trials.
     */
    static void requireUnusedNames(List<TrialBatch> batches, OutputLayout layout, String sweep, Configuration conf)
            throws IOException {
        Set<String> taken = new HashSet<>();
        for (Table<?> table : Tables.ALL) {
            layout.committedFiles(table, sweep, conf).forEach(f -> taken.add(f.getName()));
        }
        for (TrialBatch b : batches) {
            String name = layout.committedFile(Tables.TRIALS, sweep, b.key()).getName();
            if (taken.contains(name)) {
                throw new SweepFailedException("Sweep '" + sweep + "' cannot start: planned batch " + b.key()
                        + " has the name of a committed part (" + name + "), and committing it would drop its "
                        + b.trials().size() + " trials; rerun with another --tasks, which plans other batches", null);
            }
        }
    }

    /** A typo in --out should cost seconds, not a sweep: prove the location writable before any training. */
    static void probeWritable(OutputLayout layout, String sweep, Configuration conf) {
        try {
            Path probe = new Path(layout.stagingDir(sweep), "_write_probe");
            FileSystem fs = probe.getFileSystem(conf);
            fs.create(probe, true).close();
            fs.delete(probe, false);
        } catch (IOException e) {
            throw notWritable(layout, e);
        }
    }

    private static InvalidInputException notWritable(OutputLayout layout, IOException e) {
        return new InvalidInputException("Cannot write results: '--out' is " + layout.root()
                + "; expected a writable directory (" + e.getMessage() + ")");
    }
}
