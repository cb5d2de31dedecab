package io.gradsweep.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Fault injection for tests and failure drills, off unless one of these JVM properties is set (executors read them
 * from {@code spark.executor.extraJavaOptions}); each lists trial ids, comma-separated:
 * <ul>
 *   <li>{@value #FAIL_TRIALS}: the trial throws as it starts, like a trial whose training crashed; it is recorded
 *       as {@code failed} and the sweep goes on;</li>
 *   <li>{@value #FAIL_DURING}: {@code id:update} entries; training throws once the trial has made that many
 *       updates, inside the engine, like a crash deep in DL4J or the vector engine; the trials still training are
 *       recorded as {@code failed}, with what they recorded so far and the exception's trace;</li>
 *   <li>{@value #TASK_FAIL_TRIALS}: the whole task fails at that trial, like a lost disk, so Spark retries it;</li>
 *   <li>{@value #SLOW_TRIALS}: {@code id:millis} entries; the trial sleeps that long before training;</li>
 *   <li>{@value #WORKER_FAIL_TRIALS}: {@code id:round} entries for data-parallel trials; the first attempt of
 *       worker 1's task in that averaging round fails, so Spark retries it;</li>
 *   <li>{@value #HALT_IN_COMMIT}: {@code id:table} entries; the JVM that commits the batch holding that trial halts
 *       (no shutdown hooks, as {@code kill -9} would) right after the batch's part of that table is published, so
 *       the batch is left half committed: the crash that the commit order and {@code --resume} must survive.</li>
 * </ul>
 */
public final class Faults {
    public static final String FAIL_TRIALS = "gradsweep.fault.fail-trials";
    public static final String FAIL_DURING = "gradsweep.fault.fail-during";
    public static final String TASK_FAIL_TRIALS = "gradsweep.fault.task-fail-trials";
    public static final String SLOW_TRIALS = "gradsweep.fault.slow-trials";
    public static final String WORKER_FAIL_TRIALS = "gradsweep.fault.worker-fail-trials";
    public static final String HALT_IN_COMMIT = "gradsweep.fault.halt-in-commit";

    private Faults() {
    }

    /** Called where the trial starts, inside the trainer's failure handling. */
    public static void beforeTrial(String trialId) {
        if (listed(FAIL_TRIALS).containsKey(trialId)) {
            throw new IllegalStateException("injected failure for trial " + trialId + " (" + FAIL_TRIALS + ")");
        }
        if (listed(TASK_FAIL_TRIALS).containsKey(trialId)) {
            throw new UncheckedIOException(new IOException("injected task failure (" + TASK_FAIL_TRIALS + ")"));
        }
        String sleep = listed(SLOW_TRIALS).get(trialId);
        if (sleep != null) {
            try {
                Thread.sleep(Long.parseLong(sleep));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Called by every engine before each update (data-parallel: each epoch) with the updates done so far. */
    public static void duringTraining(String trialId, long updates) {
        String at = listed(FAIL_DURING).get(trialId);
        if (at != null && updates >= Long.parseLong(at)) {
            throw new IllegalStateException("injected failure of trial " + trialId + " after " + updates
                    + " updates (" + FAIL_DURING + ")");
        }
    }

    /** Called where a data-parallel worker's task starts training its round. */
    public static void beforeWorker(String trialId, int round, int worker, int attempt) {
        if (worker == 1 && attempt == 0 && String.valueOf(round).equals(listed(WORKER_FAIL_TRIALS).get(trialId))) {
            throw new IllegalStateException("injected failure of worker 1 in round " + round + " of trial " + trialId
                    + " (" + WORKER_FAIL_TRIALS + ")");
        }
    }

    /** Called by a batch's commit after it published its part of {@code table}. */
    public static void afterPublish(List<String> trialIds, String table) {
        Map<String, String> halts = listed(HALT_IN_COMMIT);
        for (String id : trialIds) {
            if (table.equals(halts.get(id))) {
                System.err.println("[gradsweep] injected halt after publishing " + table + " of the batch of trial "
                        + id + " (" + HALT_IN_COMMIT + ")");
                System.err.flush();
                Runtime.getRuntime().halt(137);
            }
        }
    }

    private static Map<String, String> listed(String property) {
        String value = System.getProperty(property, "").strip(); // cheap when unset: engines call it every update
        if (value.isEmpty()) {
            return Map.of();
        }
        return Arrays.stream(value.split(",")).map(String::strip)
                .collect(Collectors.toMap(s -> s.split(":")[0], s -> s.contains(":") ? s.split(":")[1] : "",
                        (a, b) -> a));
    }
}
