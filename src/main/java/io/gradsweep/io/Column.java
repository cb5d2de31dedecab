package io.gradsweep.io;

import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

/**
 * One column of a table: its SQL-facing name and type, and how to read its value from a row object.
 *
 * <p>Required numeric columns may read their value unboxed ({@code asDouble} for DOUBLE, {@code asLong} for INT and
 * BIGINT). A gradient row has eleven statistics, and boxing each was a sixth of all the memory a vector group's
 * task allocated. {@code getter} is always there, boxing where the column has a primitive reader.
 */
public record Column<T>(String name, Type type, boolean nullable, Function<T, Object> getter,
                        ToDoubleFunction<T> asDouble, ToLongFunction<T> asLong) {

    /** The column types gradsweep uses: DOUBLE for statistics, INT/BIGINT for counters, STRING for names, BOOLEAN for switches. */
    public enum Type { DOUBLE, INT, BIGINT, STRING, BOOLEAN }

    public Column {
        boolean integral = type == Type.INT || type == Type.BIGINT;
        if ((asDouble != null && (nullable || type != Type.DOUBLE)) || (asLong != null && (nullable || !integral))) {
            throw new IllegalArgumentException("column " + name + ": a primitive reader needs a required "
                    + (asDouble != null ? "DOUBLE" : "INT or BIGINT") + " column, not " + type
                    + (nullable ? " (nullable)" : ""));
        }
    }

    public static <T> Column<T> required(String name, Type type, Function<T, Object> getter) {
        return new Column<>(name, type, false, getter, null, null);
    }

    public static <T> Column<T> optional(String name, Type type, Function<T, Object> getter) {
        return new Column<>(name, type, true, getter, null, null);
    }

    public static <T> Column<T> requiredDouble(String name, ToDoubleFunction<T> value) {
        return new Column<>(name, Type.DOUBLE, false, r -> value.applyAsDouble(r), value, null);
    }

    public static <T> Column<T> requiredInt(String name, ToIntFunction<T> value) {
        return new Column<>(name, Type.INT, false, r -> value.applyAsInt(r), null, r -> value.applyAsInt(r));
    }

    public static <T> Column<T> requiredLong(String name, ToLongFunction<T> value) {
        return new Column<>(name, Type.BIGINT, false, r -> value.applyAsLong(r), null, value);
    }
}
