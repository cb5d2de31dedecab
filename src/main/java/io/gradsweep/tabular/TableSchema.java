package io.gradsweep.tabular;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The columns of a table, in file order. CSV columns are untyped text, checked cell by cell as they are read;
 * Parquet columns carry a type, so an unusable column is rejected before any row is read.
 */
public record TableSchema(List<Column> columns) {
    /** Parquet's physical types a feature may have; a label may also be a string (BINARY). */
    public static final String NUMERIC_TYPES = "INT32, INT64, FLOAT, DOUBLE or BOOLEAN";

    /**
     * @param type    how messages describe the column's type, e.g. {@code BINARY (STRING)}; "text" for CSV
     * @param numeric whether its cells can become features
     * @param label   whether its cells can become class labels
     */
    public record Column(String name, String type, boolean numeric, boolean label) {
    }

    public TableSchema {
        columns = List.copyOf(columns);
    }

    public List<String> names() {
        return columns.stream().map(Column::name).toList();
    }

    /** The column of that name; null when there is none. */
    public Column column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
    }

    public int indexOf(String name) {
        return names().indexOf(name);
    }

    /**
     * The positions of {@code names}, -1 for a name there is none of. One map for all of them: a lookup per name
     * through {@link #indexOf} made a table of 10^5 columns take minutes.
     */
    public int[] indexesOf(List<String> names) {
        Map<String, Integer> at = byName();
        return names.stream().mapToInt(n -> at.getOrDefault(n, -1)).toArray();
    }

    /** Column positions by name, for lookups of many columns. */
    public Map<String, Integer> byName() {
        Map<String, Integer> at = new HashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            at.putIfAbsent(columns.get(i).name(), i);
        }
        return at;
    }

    /** "a, b, c" for messages; long lists are cut, since a wide table would otherwise flood the terminal. */
    public static String list(List<String> names) {
        int shown = 40;
        if (names.size() <= shown) {
            return String.join(", ", names);
        }
        return String.join(", ", names.subList(0, shown)) + " and " + (names.size() - shown) + " more";
    }
}
