package io.gradsweep;

/** A sweep that Spark gave up on (a task failed past its retries); the message names the trial. Exit code 4. */
public class SweepFailedException extends RuntimeException {
    public SweepFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
