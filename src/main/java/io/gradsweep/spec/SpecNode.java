package io.gradsweep.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/** A YAML node that knows its key path, so every validation error can name exactly where it happened. */
final class SpecNode {
    private static final String NUMBER = "[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?";
    private static final ObjectMapper DEFAULTS = new ObjectMapper();
    private final JsonNode node;
    private final String path;

    SpecNode(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /** A default value standing in for an absent key, under that key's path. */
    static SpecNode of(Object value, String path) {
        return new SpecNode(DEFAULTS.valueToTree(value), path);
    }

    String path() {
        return path;
    }

    /** A mapping whose keys must all be in {@code allowed}; the first unknown key is reported with the choices. */
    SpecNode object(Set<String> allowed) {
        if (node == null || !node.isObject()) {
            throw SpecException.expected(path, describe(), "a mapping with keys " + String.join(", ", allowed));
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String key = names.next();
            if (!allowed.contains(key)) {
                throw new SpecException(child(key), "Cannot parse spec: '" + child(key)
                        + "' is an unknown key; expected one of " + String.join(", ", allowed));
            }
        }
        return this;
    }

    SpecNode get(String key) {
        return new SpecNode(node == null ? null : node.get(key), child(key));
    }

    boolean present() {
        return node != null && !node.isNull();
    }

    /** True for the scalar text {@code text}, such as a keyword that stands in for a list. */
    boolean is(String text) {
        return present() && node.isTextual() && node.asText().equals(text);
    }

    String string() {
        if (!present() || !(node.isTextual() || node.isNumber() || node.isBoolean())) {
            throw SpecException.expected(path, describe(), "a string");
        }
        return node.asText();
    }

    String string(String fallback) {
        return present() ? string() : fallback;
    }

    /** Any number of digits: one too long for a long is out of range, not malformed, and Long.MAX_VALUE is in. */
    long integer(long min, long max) {
        String text = present() && (node.isIntegralNumber() || node.isTextual()) ? node.asText().strip() : null;
        Long v = text != null && text.matches("[+-]?\\d+") ? parseLong(text) : null;
        if (v == null || v < min || v > max) {
            throw SpecException.expected(path, value(), "an integer in [" + min + ", " + max + "]");
        }
        return v;
    }

    /** Null past the long range; leading zeros are stripped first so that a long run of them cannot be slow. */
    private static Long parseLong(String digits) {
        String sign = digits.startsWith("-") ? "-" : "";
        String magnitude = digits.replaceFirst("^[+-]?0*(?=\\d)", "");
        if (magnitude.length() > 19) {
            return null;
        }
        try {
            return Long.parseLong(sign + magnitude);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    long integer(long min, long max, long fallback) {
        return present() ? integer(min, max) : fallback;
    }

    /** YAML true/false (also as text, since quoted booleans are common in hand-written lists). */
    boolean bool() {
        String text = present() && (node.isBoolean() || node.isTextual()) ? node.asText().strip() : "";
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw SpecException.expected(path, value(), "true or false");
        };
    }

    /** Whether this node is a YAML sequence. */
    boolean isList() {
        return present() && node.isArray();
    }

    /** Items of a sequence. */
    int size() {
        return isList() ? node.size() : 0;
    }

    SpecNode item(int i) {
        return new SpecNode(node.get(i), path + "[" + i + "]");
    }

    /** A finite number; YAML's "1e-3" arrives as text (YAML 1.1 floats need a dot), so text is parsed too. */
    double number(double min, double max, boolean minExclusive, String expectation) {
        String text = present() && (node.isNumber() || node.isTextual()) ? node.asText().strip() : null;
        if (text == null || !text.matches(NUMBER)) {
            throw SpecException.expected(path, value(), expectation);
        }
        double v = Double.parseDouble(text);
        if (!Double.isFinite(v) || v < min || v > max || (minExclusive && v == min)) {
            throw SpecException.expected(path, value(), expectation);
        }
        return v;
    }

    double number(double min, double max, boolean minExclusive, String expectation, double fallback) {
        return present() ? number(min, max, minExclusive, expectation) : fallback;
    }

    /**
     * A non-empty list (a lone scalar counts as a list of one) whose items are parsed by {@code item}; items must be
     * distinct by {@code toString()}, since duplicates would produce duplicate trials.
     */
    <T> List<T> list(BiFunction<SpecNode, String, T> item) {
        if (!present()) {
            throw SpecException.expected(path, null, "a non-empty list");
        }
        List<SpecNode> items = new ArrayList<>();
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                items.add(new SpecNode(node.get(i), path + "[" + i + "]"));
            }
        } else {
            items.add(new SpecNode(node, path + "[0]"));
        }
        if (items.isEmpty()) {
            throw SpecException.expected(path, "[]", "a non-empty list");
        }
        List<T> out = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>(); // by text, to the first index: lists of features can be long
        for (SpecNode n : items) {
            T value = item.apply(n, n.path);
            Integer dup = seen.putIfAbsent(value.toString(), out.size());
            if (dup != null) {
                throw SpecException.expected(n.path, value.toString(), "a value distinct from " + path + "[" + dup + "]");
            }
            out.add(value);
        }
        return out;
    }

    private String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** The offending value as the user wrote it: numbers bare, text quoted by the message builder. */
    private Object value() {
        return present() && node.isNumber() ? node.numberValue() : describe();
    }

    private String describe() {
        if (!present()) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        return node.isContainerNode() ? (node.isArray() ? "a list" : "a mapping") : node.toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}
