package io.gradsweep.tabular;

/**
 * A table that cannot be read as asked. Errors about a spec key carry the key, value and expectation, so the spec
 * parser can report them in its own keyed form; errors about a cell name the file, line or row, and column.
 */
public final class TableException extends RuntimeException {
    private final String key;
    private final transient Object value;
    private final String expectation;

    private TableException(String message, String key, Object value, String expectation) {
        super(message);
        this.key = key;
        this.value = value;
        this.expectation = expectation;
    }

    /** "Cannot read dataset: 'dataset.path' is 'x.csv'; expected an existing ...". */
    static TableException keyed(String key, Object value, String expectation) {
        return new TableException("Cannot read dataset: '" + key + "' is " + (value == null ? "missing" : show(value))
                + "; expected " + expectation,
                key, value, expectation);
    }

    /** "Cannot read dataset: 'x1' at line 7 of data/t.csv is 'abc'; expected a number". */
    static TableException cell(String column, String where, Object value, String expectation) {
        return new TableException("Cannot read dataset: '" + column + "' at " + where + " is " + show(value)
                + "; expected " + expectation, null, null, null);
    }

    static TableException other(String message) {
        return new TableException("Cannot read dataset: " + message, null, null, null);
    }

    /** The spec key at fault, such as {@code dataset.path}; null when the data itself is at fault. */
    public String key() {
        return key;
    }

    public Object value() {
        return value;
    }

    public String expectation() {
        return expectation;
    }

    static String show(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return s.isEmpty() ? "empty" : "'" + s + "'";
        }
        return String.valueOf(value);
    }
}
