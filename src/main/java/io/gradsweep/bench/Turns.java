package io.gradsweep.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        arms.forEach(run::applyAsDouble);
        Map<K, double[]> samples = new LinkedHashMap<>();
        arms.forEach(a -> samples.put(a, new double[repeats]));
        for (int r = 0; r < repeats; r++) {
            for (int i = 0; i < arms.size(); i++) {
                K arm = arms.get((r + i) % arms.size());
                samples.get(arm)[r] = run.applyAsDouble(arm);
            }
        }
        return samples;
    }
}
