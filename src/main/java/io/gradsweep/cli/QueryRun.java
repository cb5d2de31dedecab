package io.gradsweep.cli;

import io.gradsweep.analysis.Analysis;
import io.gradsweep.analysis.QueryOutput;
import io.gradsweep.analysis.ResultViews;
import io.gradsweep.analysis.Sessions;
import io.gradsweep.analysis.SqlQueries;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.Arrays;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The Spark half of {@code query}, kept out of the picocli class so the bare jar can list commands. */
final class QueryRun {
    private QueryRun() {
    }

    /** @param bound a canned analysis, or null to run {@code sql} */
    record Request(String out, String sweep, String master, String sql, Analysis.Bound bound, String format,
                   String to, int maxRows) {
    }

    static void run(Request q, PrintWriter console) throws IOException {
        try (Sessions session = Sessions.open(q.master(), "gradsweep query")) {
            ResultViews.register(session.spark(), q.out(), q.sweep());
            Dataset<Row> result = q.bound() != null ? SqlQueries.analysis(session.spark(), q.bound())
                    : SqlQueries.sql(session.spark(), q.sql());
            if (q.format().equals("table")) {
                printTable(result, q.maxRows(), console);
            } else {
                long rows = QueryOutput.write(result, q.format(), q.to(), console);
                if (q.to() != null) {
                    console.printf("Wrote %d rows to %s (%s)%n", rows, q.to(), q.format());
                }
            }
            console.flush();
        }
    }

    private static void printTable(Dataset<Row> result, int maxRows, PrintWriter console) {
        Row[] rows = maxRows > 0 ? (Row[]) result.take(maxRows + 1) : (Row[]) result.collect();
        TextTable table = new TextTable(result.columns());
        int shown = maxRows > 0 ? Math.min(rows.length, maxRows) : rows.length;
        for (Row r : Arrays.copyOf(rows, shown)) {
            Object[] cells = new Object[r.length()];
            for (int i = 0; i < cells.length; i++) {
                cells[i] = cell(r.get(i));
            }
            table.add(cells);
        }
        console.print(table);
        console.println(rows.length > shown
                ? "(first " + shown + " rows; --max-rows 0 prints all, --format csv writes all)"
                : "(" + shown + (shown == 1 ? " row)" : " rows)"));
    }

    /** Six significant digits for reading; csv, json and parquet keep every digit. */
    static String cell(Object v) {
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (!Double.isFinite(d)) {
                return Double.toString(d);
            }
            String s = String.format(java.util.Locale.ROOT, "%.6g", d);
            int e = s.indexOf('e');
            String mantissa = e < 0 ? s : s.substring(0, e);
            if (mantissa.contains(".")) {
                mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
            }
            return e < 0 ? mantissa : mantissa + s.substring(e);
        }
        if (v instanceof BigDecimal b) {
            return b.stripTrailingZeros().toPlainString();
        }
        return v == null ? "null" : v.toString();
    }
}
