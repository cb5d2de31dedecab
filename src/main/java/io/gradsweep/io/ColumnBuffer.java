package io.gradsweep.io;

import java.util.function.Function;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.io.api.Binary;

/**
 * One column's values for a run of rows, in primitive arrays, handed to its column writer in one go. A row's value
 * is read, checked and converted into its slot here, so that a refused or failing value is caught before any of
 * the row reaches Parquet; a slot counts only once the whole row is read.
 */
final class ColumnBuffer<T> {
    private final Column<T> column;
    private final String table;
    private final double[] doubles;
    private final long[] longs;
    private final Binary[] strings;
    /** Null for a required column: every slot holds a value. */
    private final boolean[] present;

    ColumnBuffer(String table, Column<T> column, int capacity) {
        this.table = table;
        this.column = column;
        Column.Type type = column.type();
        this.doubles = type == Column.Type.DOUBLE ? new double[capacity] : null;
        this.longs = type == Column.Type.INT || type == Column.Type.BIGINT || type == Column.Type.BOOLEAN
                ? new long[capacity] : null;
        this.strings = type == Column.Type.STRING ? new Binary[capacity] : null;
        this.present = column.nullable() ? new boolean[capacity] : null;
    }

    /** Reads {@code row}'s value into {@code slot}; a null in a required column, or a value of another type, throws. */
    void read(T row, int slot, Function<Object, Binary> utf8) {
        if (column.asDouble() != null) {
            doubles[slot] = column.asDouble().applyAsDouble(row);
            return;
        }
        if (column.asLong() != null) {
            longs[slot] = column.asLong().applyAsLong(row);
            return;
        }
        Object v = column.getter().apply(row);
        if (v == null) {
            if (present == null) {
                throw new IllegalArgumentException("column " + table + "." + column.name() + " is required");
            }
            present[slot] = false;
            return;
        }
        switch (column.type()) {
            case DOUBLE -> doubles[slot] = ((Number) v).doubleValue();
            case INT -> longs[slot] = ((Number) v).intValue();
            case BIGINT -> longs[slot] = ((Number) v).longValue();
            case BOOLEAN -> longs[slot] = (Boolean) v ? 1 : 0;
            case STRING -> strings[slot] = utf8.apply(v);
            default -> throw new IllegalStateException(column.type().toString());
        }
        if (present != null) {
            present[slot] = true;
        }
    }

    /**
     * Writes slots 0 to {@code rows - 1}, one loop per type: the dispatch on the column's type is made once per run
     * instead of once per value. A flat schema: repetition level 0, definition level 1 for a present optional value.
     */
    void writeTo(ColumnWriter w, int rows) {
        int def = present == null ? 0 : 1;
        switch (column.type()) {
            case DOUBLE -> {
                for (int r = 0; r < rows; r++) {
                    if (def == 0 || present[r]) {
                        w.write(doubles[r], 0, def);
                    } else {
                        w.writeNull(0, 0);
                    }
                }
            }
            case INT -> {
                for (int r = 0; r < rows; r++) {
                    if (def == 0 || present[r]) {
                        w.write((int) longs[r], 0, def);
                    } else {
                        w.writeNull(0, 0);
                    }
                }
            }
            case BIGINT -> {
                for (int r = 0; r < rows; r++) {
                    if (def == 0 || present[r]) {
                        w.write(longs[r], 0, def);
                    } else {
                        w.writeNull(0, 0);
                    }
                }
            }
            case BOOLEAN -> {
                for (int r = 0; r < rows; r++) {
                    if (def == 0 || present[r]) {
                        w.write(longs[r] != 0, 0, def);
                    } else {
                        w.writeNull(0, 0);
                    }
                }
            }
            case STRING -> {
                for (int r = 0; r < rows; r++) {
                    if (def == 0 || present[r]) {
                        w.write(strings[r], 0, def);
                    } else {
                        w.writeNull(0, 0);
                    }
                }
            }
            default -> throw new IllegalStateException(column.type().toString());
        }
    }
}
