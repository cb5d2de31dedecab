package io.gradsweep.train;

/** The cluster, not the trial, failed: the sweep fails and its committed trials survive for --resume. */
public final class ClusterFailure extends RuntimeException {
    public ClusterFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
