package io.gradsweep.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import java.io.IOException;
import java.util.regex.Pattern;

/** Jackson's YAML parse errors as spec errors: a line for broken YAML, a key path where one is known. */
final class YamlErrors {
    /**
     * YAML 1.1's non-finite floats. Jackson 2.15 types them as floats and then fails to convert them, so they fail
     * the whole document, not the key that holds them, and the spec's own range check never sees them.
     */
    private static final Pattern NON_FINITE = Pattern.compile("[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");

    private YamlErrors() {
    }

    static SpecException of(JsonProcessingException e) {
        if (e.getProcessor() instanceof JsonParser p) {
            String text = text(p);
            String key = keyPath(p.getParsingContext());
            if (text != null && NON_FINITE.matcher(text).matches() && !key.isEmpty()) {
                return new SpecException(key, "Cannot parse spec: '" + key + "' is " + text + "; expected a finite "
                        + "number (quote " + text + " if it is meant as text)");
            }
        }
        return new SpecException("", "Cannot parse spec: invalid YAML: " + e.getOriginalMessage()
                + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()));
    }

    private static String text(JsonParser p) {
        try {
            return p.getText();
        } catch (IOException e) {
            return null;
        }
    }

    /** The spec's spelling of where the parser stands: {@code grid.learning_rate[0]}. */
    static String keyPath(JsonStreamContext context) {
        StringBuilder path = new StringBuilder();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                path.insert(0, "[" + c.getCurrentIndex() + "]");
            } else if (c.getCurrentName() != null) {
                path.insert(0, (c.getParent() == null || c.getParent().inRoot() ? "" : ".") + c.getCurrentName());
            }
        }
        return path.toString();
    }
}
