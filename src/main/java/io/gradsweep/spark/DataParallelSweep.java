package io.gradsweep.spark;

import io.gradsweep.SweepFailedException;
import io.gradsweep.data.Split;
import io.gradsweep.exec.TrialBatch;
import io.gradsweep.io.BatchOutput;
import io.gradsweep.io.OutputLayout;
import io.gradsweep.spec.DataParallel;
import io.gradsweep.spec.DatasetSpec;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.train.DataParallelTrainer;
import io.gradsweep.train.ClusterFailure;
import io.gradsweep.train.TrialOutcome;
import io.gradsweep.train.TrialRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Runs the trials of a {@code train.mode: data-parallel} sweep one after another from the driver, each across the
 * whole cluster. Each trial is its own batch under the usual commit protocol, so a killed sweep keeps its finished
 * trials and {@code --resume} retrains only the one that was interrupted.
 */
final class DataParallelSweep {
    private final JavaSparkContext jsc;
    private final PrintWriter out;

    DataParallelSweep(JavaSparkContext jsc, PrintWriter out) {
        this.jsc = jsc;
        this.out = out;
    }

    List<TrialOutcome> run(String sweep, List<TrialConfig> trials, OutputLayout layout, Configuration hadoop)
            throws IOException {
        DataParallel dp = trials.get(0).train().dataParallel();
        say("sweep '%s': %d data-parallel trials, one after another, each on %d workers (minibatch %d per "
                + "worker, parameters averaged every %d) on %s", sweep, trials.size(), dp.workers(),
                dp.batchSizePerWorker(), dp.averagingFrequency(), jsc.master());
        long examples = trials.get(0).dataset().trainSize();
        if (dp.skippedMinibatches(examples) > 0) {
            say("note: DL4J's parameter averaging trains %d of the %d minibatches of each epoch (%d round(s) of %d "
                    + "workers x %d); make workers x averaging_frequency divide %d to use them all",
                    dp.minibatches(examples) - dp.skippedMinibatches(examples), dp.minibatches(examples),
                    dp.rounds(examples), dp.workers(), dp.averagingFrequency(), dp.minibatches(examples));
        }
        DataParallelTrainer trainer = new DataParallelTrainer(Dl4jSpark.cluster(jsc), line -> say("%s", line));
        Map<DatasetSpec, Split> data = new HashMap<>();
        List<TrialOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < trials.size(); i++) {
            TrialConfig t = trials.get(i);
            say("trial %d/%d %s start: %s", i + 1, trials.size(), t.trialId(), t.canonical());
            Split split = data.computeIfAbsent(t.dataset(), d -> Split.of(d, hadoop));
            String key = new TrialBatch(t.index(), List.of(List.of(t))).key();
            try (BatchOutput output = new BatchOutput(layout, sweep, key, "driver", hadoop)) {
                TrialOutcome outcome = TrialRun.run(trainer, List.of(t), split, x -> output).get(0);
                output.trial(outcome);
                output.commit();
                outcomes.add(outcome);
                say("trial %d/%d %s %s in %.1f s", i + 1, trials.size(), t.trialId(), outcome.status(),
                        outcome.wallMs() / 1e3);
            } catch (ClusterFailure e) {
                throw new SweepFailedException("Sweep '" + sweep + "' failed in trial " + t.trialId() + ": "
                        + e.getMessage() + "\nCommitted trials are kept; finish the sweep with --resume.", e);
            }
        }
        return outcomes;
    }

    private void say(String format, Object... args) {
        out.printf("[gradsweep] " + format + "%n", args);
        out.flush();
    }
}
