package io.gradsweep.vector;

import io.gradsweep.data.Split;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.stats.Diagnosis;
import io.gradsweep.train.Faults;
import io.gradsweep.train.TrialOutcome;
import io.gradsweep.train.TrialSink;
import io.gradsweep.train.TrialTrainer;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a group of compatible trials (see {@link Groups}) as one batched computation, on one thread, writing
 * through one {@link TrialSink} per trial exactly the rows that {@code TrialTrainer} writes for each of them.
 *
 * <p>Failure semantics are TrialTrainer's, per trial: a trial that {@link Faults} fails at its start is recorded as
 * failed and left out; a trial that diverges stops while the rest go on; an exception during training fails the
 * trials still running. An I/O error from a sink fails the task, as it does for a DL4J trial.
 */
public final class VectorTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(VectorTrainer.class);
    private final TrialTrainer.UpdateClock clock;

    public VectorTrainer() {
        this(nanos -> { });
    }

    /** {@code clock} receives the wall time of every group update, statistics included, evaluation not. */
    public VectorTrainer(TrialTrainer.UpdateClock clock) {
        this.clock = clock;
    }

    /** Outcomes in the order of {@code trials}; each trial's wall time is its share of the group's, by iterations. */
    public List<TrialOutcome> train(List<TrialConfig> trials, Split data, Function<TrialConfig, TrialSink> sinks) {
        Groups.requireOneGroup(trials);
        long start = System.nanoTime();
        Map<TrialConfig, TrialOutcome> failed = new HashMap<>();
        List<TrialRecorder> running = new ArrayList<>();
        List<TrialConfig> admitted = new ArrayList<>();
        for (TrialConfig t : trials) {
            try {
                Faults.beforeTrial(t.trialId());
                admitted.add(t);
            } catch (UncheckedIOException e) {
                // A task-level failure: name the trial, as a task failing inside TrialTrainer would be named.
                throw new UncheckedIOException("Cannot run trial " + t.trialId() + ": " + e.getMessage(),
                        e.getCause());
            } catch (RuntimeException e) {
                LOG.warn("Trial {} failed: {}", t.trialId(), e.toString());
                Diagnosis nothing = new Diagnosis(t.stats());
                failed.put(t, new TrialOutcome(t, TrialOutcome.FAILED, null, null, null, null, 0, 0,
                        nothing.classify(), nothing.medianRatio(), nothing.maxL2(), e.toString()));
            }
        }
        ParamSpace space = admitted.isEmpty() ? null : Groups.space(admitted, data.train());
        for (int k = 0; k < admitted.size(); k++) {
            running.add(new TrialRecorder(admitted.get(k), sinks.apply(admitted.get(k)), space.layout(k)));
        }
        String error = null;
        if (!running.isEmpty()) {
            try {
                new GroupRun(running, data, space, clock).execute();
            } catch (UncheckedIOException e) {
                throw e; // the sink could not write: fail the task so Spark retries it, rather than blame the trials
            } catch (RuntimeException | OutOfMemoryError e) {
                LOG.warn("Group of {} trials failed: {}", running.size(), e.toString());
                error = e.toString();
            }
        }
        return outcomes(trials, failed, running, error, System.nanoTime() - start);
    }

    private static List<TrialOutcome> outcomes(List<TrialConfig> trials, Map<TrialConfig, TrialOutcome> failed,
                                               List<TrialRecorder> running, String error, long nanos) {
        long total = Math.max(1, running.stream().mapToLong(TrialRecorder::iterations).sum());
        Map<TrialConfig, TrialOutcome> byTrial = new HashMap<>(failed);
        for (TrialRecorder r : running) {
            long wallMs = nanos / 1_000_000 * Math.max(1, r.iterations()) / total;
            String status = r.diverged() ? TrialOutcome.DIVERGED : error != null ? TrialOutcome.FAILED
                    : TrialOutcome.OK;
            byTrial.put(r.config(), r.outcome(status, status.equals(TrialOutcome.FAILED) ? error : null, wallMs));
        }
        return trials.stream().map(byTrial::get).toList();
    }
}
