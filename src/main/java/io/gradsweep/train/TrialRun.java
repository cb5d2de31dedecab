package io.gradsweep.train;

import io.gradsweep.data.Split;
import io.gradsweep.spec.TrialConfig;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs trials through a {@link Trainer} and owns what happens when they fail, for every engine: a failed trial is a
 * result, not a crash (errors as data), with its exception's full trace.
 * <ul>
 *   <li>Trials the engine cannot train together are refused before anything trains (a caller's error).</li>
 *   <li>A trial that {@link Faults} fails as it starts is recorded as failed and left out of training.</li>
 *   <li>An exception during training fails every trial still training; trials that diverged before keep that.</li>
 *   <li>An I/O error (a sink could not write) or a {@link ClusterFailure} is not the trials' fault: it propagates,
 *       so that Spark retries the task or the sweep stops with its committed trials kept for --resume.</li>
 * </ul>
 */
public final class TrialRun {
    private static final Logger LOG = LoggerFactory.getLogger(TrialRun.class);

    private TrialRun() {
    }

    /**
     * Outcomes in the order of {@code trials}; each trial's wall time is its share of the run's, by iterations (all
     * of it for a trial trained alone).
     */
    public static List<TrialOutcome> run(Trainer trainer, List<TrialConfig> trials, Split data,
                                         Function<TrialConfig, TrialSink> sinks) {
        trainer.requireTrainable(trials);
        long start = System.nanoTime();
        Map<TrialConfig, TrialOutcome> failedAtStart = new HashMap<>();
        List<TrialRecorder> admitted = new ArrayList<>();
        for (TrialConfig t : trials) {
            TrialFailure failure = start(t);
            if (failure == null) {
                admitted.add(new TrialRecorder(t, sinks.apply(t)));
            } else {
                failedAtStart.put(t, TrialRecorder.failedAtStart(t, failure));
            }
        }
        TrialFailure failure = admitted.isEmpty() ? null : train(trainer, admitted, data);
        long nanos = System.nanoTime() - start;
        long total = Math.max(1, admitted.stream().mapToLong(TrialRecorder::iterations).sum());
        Map<TrialConfig, TrialOutcome> byTrial = new HashMap<>(failedAtStart);
        for (TrialRecorder r : admitted) {
            byTrial.put(r.config(), r.outcome(failure, nanos / 1_000_000 * Math.max(1, r.iterations()) / total));
        }
        return trials.stream().map(byTrial::get).toList();
    }

    /** The trial's start, where {@link Faults} may fail it; null when it may train. */
    private static TrialFailure start(TrialConfig t) {
        try {
            Faults.beforeTrial(t.trialId());
            return null;
        } catch (UncheckedIOException e) {
            // A task-level failure: name the trial, as a task failing during training would be named.
            throw new UncheckedIOException("Cannot run trial " + t.trialId() + ": " + e.getMessage(), e.getCause());
        } catch (RuntimeException e) {
            LOG.warn("Trial {} failed as it started", t.trialId(), e);
            return TrialFailure.of(e);
        }
    }

    private static TrialFailure train(Trainer trainer, List<TrialRecorder> trials, Split data) {
        try {
            trainer.train(trials, data);
            return null;
        } catch (UncheckedIOException | ClusterFailure e) {
            throw e;
        } catch (RuntimeException | OutOfMemoryError e) {
            LOG.warn("Training of {} trial(s) from {} failed", trials.size(), trials.get(0).config().trialId(), e);
            return TrialFailure.of(e);
        }
    }
}
