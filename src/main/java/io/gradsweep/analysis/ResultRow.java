package io.gradsweep.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One row of a result, whichever engine computed it: the values as Java objects (String, Boolean, Integer, Long,
 * Double, BigDecimal, null). Integral numbers are read through {@link Number}, since the engines type some results
 * differently (DuckDB's sum of INTs is a 128-bit integer, Spark's a long).
 */
public record ResultRow(List<String> columns, Object[] values) {
    public ResultRow {
        columns = List.copyOf(columns);
        values = values.clone();
    }

    public static ResultRow of(List<String> columns, List<Object> values) {
        return new ResultRow(columns, values.toArray());
    }

    public Object get(int i) {
        return values[i];
    }

    public Object get(String column) {
        int i = columns.indexOf(column);
        if (i < 0) {
            throw new IllegalArgumentException("no column " + column + " in " + columns);
        }
        return values[i];
    }

    public boolean isNull(int i) {
        return values[i] == null;
    }

    public String getString(int i) {
        return (String) values[i];
    }

    public int getInt(int i) {
        return ((Number) values[i]).intValue();
    }

    public long getLong(int i) {
        return ((Number) values[i]).longValue();
    }

    public double getDouble(int i) {
        return ((Number) values[i]).doubleValue();
    }

    public List<Object> asList() {
        return new ArrayList<>(Arrays.asList(values));
    }
}
