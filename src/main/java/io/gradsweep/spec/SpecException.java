package io.gradsweep.spec;

import io.gradsweep.InvalidInputException;
import java.util.Collection;

/**
 * An invalid sweep spec. The message always names the key path, the offending value and, where there is a closed
 * set, the valid choices, so a user can fix the YAML without reading code.
 */
public final class SpecException extends InvalidInputException {
    private final String keyPath;

    public SpecException(String keyPath, String message) {
        super(message);
        this.keyPath = keyPath;
    }

    public String keyPath() {
        return keyPath;
    }

    /** "Cannot parse spec: 'grid.activation[1]' is 'sigmoidd'; expected one of sigmoid, tanh, relu". */
    public static SpecException choice(String keyPath, Object value, Collection<String> choices) {
        return new SpecException(keyPath, "Cannot parse spec: '" + keyPath + "' is " + show(value)
                + "; expected one of " + String.join(", ", choices));
    }

    /** Same form for open-ended expectations: "...; expected a positive integer". */
    public static SpecException expected(String keyPath, Object value, String expectation) {
        return new SpecException(keyPath, "Cannot parse spec: '" + keyPath + "' is " + show(value)
                + "; expected " + expectation);
    }

    static String show(Object value) {
        if (value == null) {
            return "missing";
        }
        return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
    }
}
