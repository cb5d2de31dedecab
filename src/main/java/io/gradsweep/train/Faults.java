package io.gradsweep.train;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Fault injection for tests and drills, off unless the JVM property {@code gradsweep.fault.fail-trials} lists
 * trial ids (comma-separated): those trials throw as soon as they start, exactly like a trial whose training
 * crashed. Executors read it from {@code spark.executor.extraJavaOptions}.
 */
public final class Faults {
    public static final String FAIL_TRIALS = "gradsweep.fault.fail-trials";

    private Faults() {
    }

    public static void beforeTrial(String trialId) {
        String ids = System.getProperty(FAIL_TRIALS, "");
        Set<String> fail = Arrays.stream(ids.split(",")).map(String::strip).collect(Collectors.toSet());
        if (fail.contains(trialId)) {
            throw new IllegalStateException("injected failure for trial " + trialId + " (" + FAIL_TRIALS + ")");
        }
    }
}
