package io.gradsweep.spec;

import java.util.Arrays;
import java.util.function.Function;

/** Lookups of the closed sets a spec names: activations, clipping modes, optimizers, engines. */
final class Terms {
    private Terms() {
    }

    /** The constant spelled {@code name}; anything else is refused with every valid spelling. */
    static <E extends Enum<E>> E fromName(E[] values, Function<E, String> spelling, String key, String name) {
        for (E e : values) {
            if (spelling.apply(e).equals(name)) {
                return e;
            }
        }
        throw SpecException.choice(key, name, Arrays.stream(values).map(spelling).toList());
    }
}
