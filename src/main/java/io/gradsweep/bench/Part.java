package io.gradsweep.bench;

import io.gradsweep.InvalidInputException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The parts of a benchmark run, in the order they run; {@code --skip} names them in lower case. RNN: the SimpleRnn
 * and LSTM rows on the adding problem.
 */
public enum Part {
    CIRCLES, MNIST, RNN, TORCH, ENGINES, SWEEP, WRITER, HEAP;

    /** The name {@code --skip} takes. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The parts named, e.g. by {@code --skip}; an unknown name is invalid input. */
    public static Set<Part> parse(List<String> labels) {
        Set<Part> parts = EnumSet.noneOf(Part.class);
        for (String label : labels) {
            parts.add(Arrays.stream(values()).filter(p -> p.label().equals(label)).findFirst()
                    .orElseThrow(() -> new InvalidInputException("Cannot run benchmark: '--skip' is '" + label
                            + "'; expected one of " + Arrays.stream(values()).map(Part::label)
                            .collect(Collectors.joining(", ")))));
        }
        return parts;
    }
}
