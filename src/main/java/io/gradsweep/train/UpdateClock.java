package io.gradsweep.train;

/**
 * Receives the time of every minibatch update of an engine, statistics included, evaluation not: for benchmarks.
 */
@FunctionalInterface
public interface UpdateClock {
    UpdateClock NONE = nanos -> { };

    /** Nanoseconds from any origin: wall time unless a benchmark reads another clock, e.g. the thread's CPU. */
    default long now() {
        return System.nanoTime();
    }

    void update(long nanos);
}
