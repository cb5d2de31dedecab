package io.gradsweep.spark;

import io.gradsweep.InvalidInputException;
import io.gradsweep.io.OutputLayout;
import io.gradsweep.io.SweepState;
import io.gradsweep.io.Table;
import io.gradsweep.io.Tables;
import io.gradsweep.spark.SweepJob.Options;
import io.gradsweep.spec.TrialConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What a run does with the output its sweep already has, decided under the sweep's lock before anything trains:
 * refuse to mix runs, replace everything (--overwrite), or resume (--resume, and --repair of damaged batches).
 */
final class Reconcile {
    private final PrintWriter out;

    Reconcile(PrintWriter out) {
        this.out = out;
    }

    /**
     * Decides what to run given what the output already holds: refuse to mix runs, replace everything, or resume
     * (keep committed batches, delete leftovers of a killed driver, run the rest).
     */
    List<TrialConfig> reconcile(OutputLayout layout, String sweep, List<TrialConfig> trials, Options options,
                                Configuration conf) throws IOException {
        if (options.overwrite()) {
            SweepState old = SweepState.scan(layout, sweep, conf);
            long files = committedFiles(layout, sweep, conf);
            int attempts = stagedAttempts(layout, sweep, conf);
            layout.deleteSweep(sweep, conf);
            out.printf("[gradsweep] overwrite: deleted %d committed trials in %d batches (%d files) and %d staged "
                    + "attempts of sweep '%s'%n", old.committedTrialIds().size(), old.committedBatches().size(),
                    files, attempts, sweep);
            out.flush();
            return trials;
        }
        SweepState state = SweepState.scan(layout, sweep, conf);
        if (!options.resume()) {
            if (!state.isEmpty()) {
                throw new InvalidInputException("Cannot run sweep '" + sweep + "': results already exist in "
                        + layout.root() + "; pass --resume to finish the sweep or --overwrite to replace it");
            }
            return trials;
        }
        SortedMap<String, List<String>> duplicated = state.duplicatedTrials();
        if (!duplicated.isEmpty()) {
            throw duplicated(layout, sweep, duplicated);
        }
        Set<String> committed = state.committedTrialIds();
        Set<String> grid = trials.stream().map(TrialConfig::trialId).collect(Collectors.toSet());
        long foreign = committed.stream().filter(id -> !grid.contains(id)).count();
        if (foreign > 0) {
            throw new InvalidInputException("Cannot resume sweep '" + sweep + "': " + foreign + " committed trials "
                    + "are not in this spec's grid (was the spec changed?); expected the spec of the original run, "
                    + "or --overwrite");
        }
        repair(layout, sweep, state, options, conf); // after the refusals above: nothing is deleted for them
        int attempts = stagedAttempts(layout, sweep, conf);
        state.removeLeftovers(layout, sweep, conf);
        List<TrialConfig> todo = trials.stream().filter(t -> !committed.contains(t.trialId())).toList();
        out.printf("[gradsweep] resume: %d of %d trials already committed and skipped; %d to run; "
                + "%d leftover files of an interrupted run removed, and %d staged task attempts%n",
                trials.size() - todo.size(), trials.size(), todo.size(), state.orphans().size(), attempts);
        out.flush();
        return todo;
    }

    /** Task attempts that staged output and never committed it: one directory each under the sweep's staging. */
    static int stagedAttempts(OutputLayout layout, String sweep, Configuration conf) throws IOException {
        Path staging = layout.stagingDir(sweep);
        FileSystem fs = staging.getFileSystem(conf);
        if (!fs.exists(staging)) {
            return 0;
        }
        return (int) Arrays.stream(fs.listStatus(staging)).filter(FileStatus::isDirectory).count();
    }

    private static long committedFiles(OutputLayout layout, String sweep, Configuration conf) throws IOException {
        long n = 0;
        for (Table<?> table : Tables.ALL) {
            n += layout.committedFiles(table, sweep, conf).size();
        }
        return n;
    }

    /**
     * Damaged committed files are refused unless --repair asks to retrain their batches: the only copy of what
     * they held is gone, and retraining costs time the user should choose to spend. Deleting every table's part of
     * such a batch makes its trials uncommitted, so the resume below retrains exactly them (with the rest).
     */
    private void repair(OutputLayout layout, String sweep, SweepState state, Options options, Configuration conf)
            throws IOException {
        if (!options.repair()) {
            if (!state.damage().isEmpty()) {
                throw new InvalidInputException(state.check().refusal("resume sweep '" + sweep + "'", sweep));
            }
            return;
        }
        int batches = state.check().damagedBatches().size();
        if (batches == 0) {
            out.printf("[gradsweep] repair: all %d committed batches verify; nothing to repair%n",
                    state.committedBatches().size());
        } else {
            state.removeDamaged(layout, sweep, conf);
            out.printf("[gradsweep] repair: %d of %d committed batches do not verify; their parts are deleted in "
                    + "every table and their trials run again (%s)%n", batches,
                    batches + state.committedBatches().size(), state.damage().get(0).sentence());
        }
        out.flush();
    }

    /**
     * Resuming would keep both copies and report the sweep complete, and every count over it would be off; the
     * output cannot say which copy to keep, so the way out is to replace it.
     */
    private static InvalidInputException duplicated(OutputLayout layout, String sweep,
                                                    SortedMap<String, List<String>> files) {
        int n = files.size();
        String ids = files.keySet().stream().limit(10).map(id -> "'" + id + "'").collect(Collectors.joining(", "))
                + (n > 10 ? " and " + (n - 10) + " more" : "");
        String where = files.values().stream().flatMap(List::stream).distinct().sorted()
                .collect(Collectors.joining(", "));
        return new InvalidInputException("Cannot resume sweep '" + sweep + "': " + n + (n == 1 ? " trial is" :
                " trials are") + " committed more than once (trial id" + (n == 1 ? " " : "s ") + ids + " in " + where
                + " under " + layout.tableDir(Tables.TRIALS, sweep) + "); expected each trial in one trials file, "
                + "which two drivers writing the sweep at once break; replace the sweep with --overwrite");
    }
}
