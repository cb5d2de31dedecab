package io.gradsweep.analysis;

import io.gradsweep.InvalidInputException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Writes a query result as CSV, JSON Lines or Parquet. CSV and JSON stream through the driver into one file (or
 * stdout), which is what a human or a notebook wants from a query; Parquet is written by Spark as a directory of
 * part files, which scales to results as large as the input.
 */
public final class QueryOutput {
    public static final List<String> FORMATS = List.of("table", "csv", "json", "parquet");

    private QueryOutput() {
    }

    /** Validates a --format/--to pair before any Spark work. */
    public static void check(String format, String to) {
        if (!FORMATS.contains(format)) {
            throw new InvalidInputException("Cannot write query result: '--format' is '" + format
                    + "'; expected one of " + String.join(", ", FORMATS));
        }
        if (format.equals("parquet") && to == null) {
            throw new InvalidInputException("Cannot write query result: '--to' is missing; expected a path for "
                    + "--format parquet");
        }
        if (format.equals("table") && to != null) {
            throw new InvalidInputException("Cannot write query result: '--format' is 'table'; expected one of "
                    + "csv, json, parquet with --to");
        }
    }

    /**
     * Writes {@code result} to {@code to} (any Hadoop path; never replaced, so a typo cannot clobber results), or
     * to {@code console} when {@code to} is null.
     */
    public static long write(Dataset<Row> result, String format, String to, PrintWriter console) throws IOException {
        if (to == null) {
            return format.equals("csv") ? csv(result, console) : json(result, console);
        }
        Path path = new Path(to);
        FileSystem fs = path.getFileSystem(result.sparkSession().sparkContext().hadoopConfiguration());
        if (fs.exists(path)) {
            throw new InvalidInputException("Cannot write query result: '--to' is " + to
                    + "; expected a path that does not exist yet");
        }
        if (format.equals("parquet")) {
            result.write().parquet(to);
            return result.sparkSession().read().parquet(to).count();
        }
        try (Writer w = new BufferedWriter(new OutputStreamWriter(fs.create(path, false), StandardCharsets.UTF_8))) {
            PrintWriter out = new PrintWriter(w);
            long rows = format.equals("csv") ? csv(result, out) : json(result, out);
            out.flush();
            return rows;
        }
    }

    /** RFC 4180 quoting with Unix line ends: a header, then one line per row; null is an empty field. */
    static long csv(Dataset<Row> result, PrintWriter out) {
        String[] names = result.columns();
        for (int i = 0; i < names.length; i++) {
            out.print((i > 0 ? "," : "") + csvField(names[i]));
        }
        out.print("\n");
        long rows = 0;
        for (Iterator<Row> it = result.toLocalIterator(); it.hasNext(); rows++) {
            Row r = it.next();
            for (int i = 0; i < names.length; i++) {
                out.print((i > 0 ? "," : "") + (r.isNullAt(i) ? "" : csvField(r.get(i).toString())));
            }
            out.print("\n");
        }
        out.flush();
        return rows;
    }

    static String csvField(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    /** JSON Lines, one object per row, by Spark's own JSON encoder (nulls are left out, as Spark does). */
    static long json(Dataset<Row> result, PrintWriter out) {
        long rows = 0;
        for (Iterator<String> it = result.toJSON().toLocalIterator(); it.hasNext(); rows++) {
            out.println(it.next());
        }
        out.flush();
        return rows;
    }
}
