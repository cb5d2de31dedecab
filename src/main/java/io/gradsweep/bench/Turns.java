package io.gradsweep.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

/**
 * Measures several arms side by side on a shared machine: one discarded round first (JIT compilation, class
 * loading, Spark's first start would otherwise fall on whichever arm runs first), then rounds in which the arms
 * take turns going first, so that none gets the warm JVM or a quiet spell of the machine to itself.
 */
public final class Turns {
    private Turns() {
    }

    /** {@code repeats} samples per arm, in the order of {@code arms}. */
    public static <K> Map<K, double[]> measure(List<K> arms, int repeats, ToDoubleFunction<K> run) {
        Map<K, double[]> samples = new LinkedHashMap<>();
        runs(arms, repeats, run::applyAsDouble).forEach((arm, results) ->
                samples.put(arm, results.stream().mapToDouble(Double::doubleValue).toArray()));
        return samples;
    }

    /** The same for measurements with more than one number: {@code repeats} results per arm, round by round. */
    public static <K, T> Map<K, List<T>> runs(List<K> arms, int repeats, Function<K, T> run) {
        arms.forEach(run::apply);
        Map<K, List<T>> results = new LinkedHashMap<>();
        arms.forEach(a -> results.put(a, new ArrayList<>()));
        for (int r = 0; r < repeats; r++) {
            for (int i = 0; i < arms.size(); i++) {
                K arm = arms.get((r + i) % arms.size());
                results.get(arm).add(run.apply(arm));
            }
        }
        return results;
    }

    /**
     * Warm-up rounds of every arm until one spends at most {@code maxShare} of its wall time in JIT compilation, or
     * {@code maxRounds}; returns the rounds run. On two cores the compiler threads compete with a local[2] sweep's
     * tasks but use the idle core of a local[1] one: one warm-up round left C2 at 40% of the machine for 20 s.
     */
    public static <K> int warmUp(List<K> arms, ToDoubleFunction<K> run, LongSupplier compileMillis,
                                 LongSupplier wallMillis, double maxShare, int maxRounds) {
        for (int round = 1; round <= maxRounds; round++) {
            long compiled = compileMillis.getAsLong();
            long began = wallMillis.getAsLong();
            arms.forEach(run::applyAsDouble);
            long wall = Math.max(1, wallMillis.getAsLong() - began);
            if (compileMillis.getAsLong() - compiled <= maxShare * wall) {
                return round;
            }
        }
        return maxRounds;
    }
}
