package io.gradsweep.tabular;

import java.io.Closeable;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;

/** Rows of one part file, one at a time, so a table is never held twice in memory. */
interface RowReader extends Closeable {
    /** The file's columns; empty for a CSV file without even a header line. */
    TableSchema schema();

    /** Moves to the next row; false at the end of the file. */
    boolean next() throws IOException;

    /** A cell of the current row: a String (CSV, Parquet BINARY), a Number, a Boolean, or null. */
    Object value(int column);

    /** Where the current row is, for messages: "line 7 of data/t.csv" or "row 6 of data/t.parquet". */
    String where();

    static RowReader open(String format, TableFiles.Part part, Configuration conf) throws IOException {
        return format.equals("csv") ? new CsvRows(part, conf) : new ParquetRows(part, conf);
    }
}
