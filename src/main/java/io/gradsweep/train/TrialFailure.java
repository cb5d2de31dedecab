package io.gradsweep.train;

import java.io.PrintWriter;
import java.io.Serializable;
import java.io.StringWriter;

/**
 * Why a trial failed: {@code message} is the exception's one-line {@code toString()} (the trials table's
 * {@code error} column), {@code trace} its full stack trace with every cause ({@code error_trace}), so a failure
 * deep inside DL4J or the vector engine can be located from the results alone.
 */
public record TrialFailure(String message, String trace) implements Serializable {

    public TrialFailure {
        if (message == null || trace == null) {
            throw new IllegalArgumentException("a trial failure needs a message and a trace");
        }
    }

    public static TrialFailure of(Throwable e) {
        StringWriter trace = new StringWriter();
        try (PrintWriter out = new PrintWriter(trace)) {
            e.printStackTrace(out);
        }
        return new TrialFailure(e.toString(), trace.toString());
    }
}
