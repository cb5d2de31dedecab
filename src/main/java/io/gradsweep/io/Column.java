package io.gradsweep.io;

import java.util.function.Function;

/** One column of a table: its SQL-facing name and type, and how to read its value from a row object. */
public record Column<T>(String name, Type type, boolean nullable, Function<T, Object> getter) {

    /** The column types gradsweep uses: DOUBLE for statistics, INT/BIGINT for counters, STRING for names, BOOLEAN for switches. */
    public enum Type { DOUBLE, INT, BIGINT, STRING, BOOLEAN }

    public static <T> Column<T> required(String name, Type type, Function<T, Object> getter) {
        return new Column<>(name, type, false, getter);
    }

    public static <T> Column<T> optional(String name, Type type, Function<T, Object> getter) {
        return new Column<>(name, type, true, getter);
    }
}
