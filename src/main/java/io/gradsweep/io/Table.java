package io.gradsweep.io;

import java.util.List;

/**
 * A table's single schema definition. The Parquet schema is derived from it in {@link ParquetSchemas} and the Spark
 * schema in the spark package, so the two can never drift apart.
 */
public record Table<T>(String name, List<Column<T>> columns) {
    public Table {
        columns = List.copyOf(columns);
    }

    public List<String> columnNames() {
        return columns.stream().map(Column::name).toList();
    }
}
