package io.gradsweep.cli;

import io.gradsweep.InvalidInputException;
import io.gradsweep.analysis.Analysis;
import io.gradsweep.analysis.DuckResults;
import io.gradsweep.analysis.QueryOutput;
import io.gradsweep.analysis.ResultViews;
import io.gradsweep.analysis.Sessions;
import io.gradsweep.analysis.SparkResults;
import io.gradsweep.analysis.SqlEngine;
import io.gradsweep.analysis.SqlQueries;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The engine half of {@code query}, kept out of the picocli class so the bare jar can list commands. */
final class QueryRun {
    private QueryRun() {
    }

    /** @param bound a canned analysis, or null to run {@code sql} */
    record Request(String out, String sweep, String master, String engine, String sql, Analysis.Bound bound,
                   String format, String to, int maxRows) {
    }

    static void run(Request q, PrintWriter console) throws IOException {
        SqlEngine engine = SqlEngine.choose(q.engine(), q.out());
        if (engine == SqlEngine.SPARK) {
            spark(q, console);
        } else {
            duck(q, console);
        }
        console.flush();
    }

    private static void spark(Request q, PrintWriter console) throws IOException {
        try (Sessions session = Sessions.open(q.master(), "gradsweep query")) {
            ResultViews.register(session.spark(), q.out(), q.sweep());
            Dataset<Row> result = q.bound() != null ? SqlQueries.analysis(session.spark(), q.bound())
                    : SqlQueries.sql(session.spark(), q.sql());
            List<String> columns = Arrays.asList(result.columns());
            Configuration conf = session.spark().sparkContext().hadoopConfiguration();
            if (q.format().equals("table")) {
                List<Object[]> rows = new ArrayList<>();
                Row[] taken = q.maxRows() > 0 ? (Row[]) result.take(q.maxRows() + 1) : (Row[]) result.collect();
                for (Row r : taken) {
                    rows.add(SparkResults.values(columns, r).values());
                }
                printTable(columns, rows, q.maxRows(), console);
            } else if (q.format().equals("parquet")) {
                QueryOutput.checkAbsent(q.to(), conf);
                result.write().parquet(q.to());
                wrote(session.spark().read().parquet(q.to()).count(), q, console);
            } else {
                Iterator<Row> it = result.toLocalIterator();
                Iterator<Object[]> rows = map(it, r -> SparkResults.values(columns, r).values());
                writeRows(q, console, conf, w -> q.format().equals("csv") ? QueryOutput.csv(columns, rows, w)
                        : json(result.toJSON().toLocalIterator(), w));
            }
        }
    }

    /** Spark's own JSON encoder, which knows its nested types (arrays, structs, maps). */
    private static long json(Iterator<String> lines, PrintWriter out) {
        long n = 0;
        for (; lines.hasNext(); n++) {
            out.println(lines.next());
        }
        return n;
    }

    private static void duck(Request q, PrintWriter console) throws IOException {
        Configuration conf = new Configuration();
        String writable = null;
        if (q.to() != null) {
            if (q.format().equals("parquet") && !SqlEngine.isLocal(q.to())) {
                throw new InvalidInputException("Cannot write query result: '--to' is " + q.to() + "; expected a "
                        + "local path with the duckdb engine (--engine spark writes Parquet to any Hadoop path)");
            }
            QueryOutput.checkAbsent(q.to(), conf);
            if (q.format().equals("parquet")) {
                writable = DuckResults.localPath(q.to(), conf);
            }
        }
        try (DuckResults db = DuckResults.open(q.out(), q.sweep(), writable)) {
            if (q.format().equals("parquet")) {
                String sql = q.bound() != null ? db.checkedSql(q.bound()) : db.checkedSql(q.sql());
                Files.createDirectories(java.nio.file.Path.of(writable));
                wrote(db.copyParquet(sql, writable), q, console);
                return;
            }
            ResultSet rs = q.bound() != null ? db.analysis(q.bound()) : db.query(q.sql());
            try (Statement st = rs.getStatement(); rs) {
                List<String> columns = DuckResults.columns(rs);
                Iterator<Object[]> rows = rows(rs, columns.size());
                if (q.format().equals("table")) {
                    List<Object[]> taken = new ArrayList<>();
                    while (rows.hasNext() && (q.maxRows() <= 0 || taken.size() <= q.maxRows())) {
                        taken.add(rows.next());
                    }
                    printTable(columns, taken, q.maxRows(), console);
                    return;
                }
                writeRows(q, console, conf, w -> q.format().equals("csv") ? QueryOutput.csv(columns, rows, w)
                        : QueryOutput.json(columns, rows, w));
            } catch (SQLException e) {
                throw new IllegalStateException("DuckDB failed reading the result: " + e.getMessage(), e);
            }
        }
    }

    /** Writes rows as CSV or JSON lines: to the console, or to --to and then says how many went there. */
    private interface RowWriter {
        long write(PrintWriter out) throws IOException;
    }

    private static void writeRows(Request q, PrintWriter console, Configuration conf, RowWriter rows)
            throws IOException {
        PrintWriter w = q.to() == null ? console : QueryOutput.create(q.to(), conf);
        try {
            long n = rows.write(w);
            w.flush();
            if (q.to() != null) {
                wrote(n, q, console);
            }
        } finally {
            if (w != console) {
                w.close();
            }
        }
    }

    private static void wrote(long rows, Request q, PrintWriter console) {
        console.printf("Wrote %d rows to %s (%s)%n", rows, q.to(), q.format());
    }

    /** The rows as read; a failure mid-way (a page DuckDB cannot decode) ends the command with exit 4. */
    private static Iterator<Object[]> rows(ResultSet rs, int columns) {
        return new Iterator<>() {
            Boolean ahead;

            @Override
            public boolean hasNext() {
                if (ahead == null) {
                    try {
                        ahead = rs.next();
                    } catch (SQLException e) {
                        throw new IllegalStateException("DuckDB failed reading the result: " + e.getMessage(), e);
                    }
                }
                return ahead;
            }

            @Override
            public Object[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ahead = null;
                try {
                    return DuckResults.values(rs, columns);
                } catch (SQLException e) {
                    throw new IllegalStateException("DuckDB failed reading the result: " + e.getMessage(), e);
                }
            }
        };
    }

    private static <A, B> Iterator<B> map(Iterator<A> it, java.util.function.Function<A, B> f) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public B next() {
                return f.apply(it.next());
            }
        };
    }

    /**
     * Every digit a value holds ({@link QueryOutput#text}); columns of numbers are right-aligned, so that the
     * magnitudes line up. {@code rows} holds one row more than is shown when the result was cut at maxRows.
     */
    static void printTable(List<String> columns, List<Object[]> rows, int maxRows, PrintWriter console) {
        int shown = maxRows > 0 ? Math.min(rows.size(), maxRows) : rows.size();
        TextTable table = new TextTable(columns.toArray(String[]::new));
        for (int c = 0; c < columns.size(); c++) {
            final int col = c;
            boolean numeric = rows.stream().limit(shown).anyMatch(r -> r[col] != null)
                    && rows.stream().limit(shown).allMatch(r -> r[col] == null || r[col] instanceof Number);
            if (numeric) {
                table.alignRight(c);
            }
        }
        for (Object[] r : rows.subList(0, shown)) {
            table.add(Arrays.stream(r).map(v -> v == null ? "null" : QueryOutput.text(v)).toArray());
        }
        console.print(table);
        console.println(rows.size() > shown
                ? "(first " + shown + " rows; --max-rows 0 prints all, --format csv writes all)"
                : "(" + shown + (shown == 1 ? " row)" : " rows)"));
    }
}
