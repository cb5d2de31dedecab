package io.gradsweep.train;

import io.gradsweep.data.Split;
import io.gradsweep.spec.TrialConfig;
import java.util.List;

/**
 * An engine: trains trials and records them through their {@link TrialRecorder}s, which it binds to the parameter
 * layout it builds. A trial that diverges stops (its recorder says so) while the others go on. Failure is not the
 * engine's business: an exception simply propagates, and {@link TrialRun} turns it into failed outcomes for every
 * trial still training, once, for every engine.
 */
public interface Trainer {
    /**
     * Refuses, with an {@link IllegalArgumentException}, trials that this engine cannot train together: that is the
     * caller's mistake, not the trials' failure, so {@link TrialRun} checks it before it trains anything. By default
     * an engine trains one trial at a time.
     */
    default void requireTrainable(List<TrialConfig> trials) {
        if (trials.size() != 1) {
            throw new IllegalArgumentException("Cannot train " + trials.size() + " trials together with "
                    + getClass().getSimpleName() + "; expected one trial at a time");
        }
    }

    /** Trains {@code trials} (one trial, or a group the engine accepts) on {@code data}. */
    void train(List<TrialRecorder> trials, Split data);
}
