package io.gradsweep.analysis;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.gradsweep.InvalidInputException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes a query result as CSV, JSON Lines or Parquet, whichever engine computed it. CSV and JSON stream rows
 * into one file (or stdout), which is what a human or a notebook wants from a query; Parquet is a directory of part
 * files, written by the engine itself.
 */
public final class QueryOutput {
    public static final List<String> FORMATS = List.of("table", "csv", "json", "parquet");

    private static final CsvMapper CSV = new CsvMapper();
    private static final ObjectMapper JSON = new ObjectMapper();

    private QueryOutput() {
    }

    /** Validates a --format/--to pair before any engine starts. */
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

    /** {@code --to} is never replaced, so that a typo cannot clobber results; checked before the query runs. */
    public static void checkAbsent(String to, Configuration conf) throws IOException {
        Path path = new Path(to);
        if (path.getFileSystem(conf).exists(path)) {
            throw new InvalidInputException("Cannot write query result: '--to' is " + to
                    + "; expected a path that does not exist yet");
        }
    }

    /** Opens {@code to} (any Hadoop path), which must not exist, for a CSV or JSON result. */
    public static PrintWriter create(String to, Configuration conf) throws IOException {
        checkAbsent(to, conf);
        Path path = new Path(to);
        FileSystem fs = path.getFileSystem(conf);
        Writer w = new BufferedWriter(new OutputStreamWriter(fs.create(path, false), StandardCharsets.UTF_8));
        return new PrintWriter(w);
    }

    /**
     * RFC 4180 by jackson-dataformat-csv, with Unix line ends: a header, then one line per row; null is an empty
     * field, and numbers keep every digit ({@link #text}).
     */
    public static long csv(List<String> columns, Iterator<Object[]> rows, Writer out) throws IOException {
        CsvSchema schema = CsvSchema.emptySchema().withLineSeparator("\n");
        long n = 0;
        try (SequenceWriter w = CSV.writer(schema).without(
                com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValues(out)) {
            w.write(columns); // the header, written as a row so that an empty result still has one
            for (; rows.hasNext(); n++) {
                Object[] r = rows.next();
                List<String> fields = new ArrayList<>(r.length);
                for (Object v : r) {
                    fields.add(v == null ? "" : text(v)); // Jackson would drop a null element
                }
                w.write(fields);
            }
        }
        out.flush();
        return n;
    }

    /** JSON Lines by Jackson, one object per row; null values are left out, as Spark's own encoder does. */
    public static long json(List<String> columns, Iterator<Object[]> rows, PrintWriter out) throws IOException {
        long n = 0;
        for (; rows.hasNext(); n++) {
            Object[] r = rows.next();
            Map<String, Object> object = new LinkedHashMap<>();
            for (int i = 0; i < r.length; i++) {
                if (r[i] != null) {
                    object.put(columns.get(i), r[i]);
                }
            }
            out.println(JSON.writeValueAsString(object));
        }
        out.flush();
        return n;
    }

    /**
     * A value as text, every digit kept: a double as the shortest decimal that reads back as the same double
     * ({@link Double#toString}), an exact decimal (what round() returns on decimals) as written, in plain notation.
     */
    public static String text(Object v) {
        if (v instanceof BigDecimal b) {
            return b.toPlainString();
        }
        return String.valueOf(v);
    }
}
