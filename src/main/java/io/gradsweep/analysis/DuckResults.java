package io.gradsweep.analysis;

import io.gradsweep.InvalidInputException;
import io.gradsweep.io.OutputLayout;
import io.gradsweep.io.Table;
import io.gradsweep.io.Tables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The result views in an embedded, in-memory DuckDB, one per table ({@link DuckViews}).
 *
 * <p>Once the views exist the connection is closed off: DuckDB may then open files only under the results root
 * (and a parquet {@code --to} directory), loads and installs no extensions, and refuses any SET that would undo
 * this. The read-only check of {@link DuckReadOnly} comes on top: what it lets through can still read nothing but
 * the results.
 */
public final class DuckResults implements ResultSql {
    private final Connection connection;
    private final ResultViews.Registered registered;

    private DuckResults(Connection connection, ResultViews.Registered registered) {
        this.connection = connection;
        this.registered = registered;
    }

    /**
     * @param writable a directory a parquet result may be written into, or null
     */
    public static DuckResults open(String out, String sweep, String writable) {
        Configuration conf = new Configuration();
        ResultViews.Registered chosen = ResultViews.select(out, sweep, conf);
        Connection c = null;
        try {
            c = DriverManager.getConnection("jdbc:duckdb:");
            OutputLayout layout = OutputLayout.of(out);
            for (Table<?> table : Tables.ALL) {
                execute(c, DuckViews.create(c, layout, table, chosen.sweeps(), conf));
            }
            List<String> allowed = new ArrayList<>(List.of(local(layout.root(), conf) + "/"));
            if (writable != null) {
                allowed.add(writable + "/");
            }
            execute(c, "SET allowed_directories = [" + allowed.stream().map(DuckResults::literal)
                    .collect(Collectors.joining(", ")) + "]");
            execute(c, "SET enable_external_access = false");
            execute(c, "SET autoinstall_known_extensions = false");
            execute(c, "SET autoload_known_extensions = false");
            execute(c, "SET lock_configuration = true");
            return new DuckResults(c, chosen);
        } catch (SQLException | IOException e) {
            closeQuietly(c);
            throw new IllegalStateException("Cannot open DuckDB over " + out + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    @Override
    public ResultViews.Registered registered() {
        return registered;
    }

    public Connection connection() {
        return connection;
    }

    /** Runs a statement of this program's own (the report's); the user's go through {@link #query}. */
    @Override
    public List<ResultRow> rows(String sql) {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rows(rs);
        } catch (SQLException e) {
            throw new IllegalStateException("DuckDB failed on the report's query: " + e.getMessage(), e);
        }
    }

    /**
     * The user's statement, after the read-only check; the caller closes the statement of the result set. A
     * mistake in the SQL (syntax, an unknown column, a file outside the results) is an {@link
     * InvalidInputException} with DuckDB's own explanation.
     */
    public ResultSet query(String sql) {
        DuckReadOnly.check(connection, sql);
        return execute(sql);
    }

    /** A canned analysis, pivoted by DuckDB's PIVOT when it declares one (columns named as Spark names them). */
    public ResultSet analysis(Analysis.Bound bound) {
        DuckReadOnly.check(connection, bound.sql());
        return execute(sql(bound));
    }

    /** The user's statement, checked, ready to be wrapped (in a COPY): trailing semicolons go. */
    public String checkedSql(String sql) {
        DuckReadOnly.check(connection, sql);
        return sql.strip().replaceAll(";+$", "");
    }

    public String checkedSql(Analysis.Bound bound) {
        DuckReadOnly.check(connection, bound.sql());
        return sql(bound);
    }

    /** The SQL that runs a bound analysis: its own, or wrapped in a PIVOT. */
    static String sql(Analysis.Bound bound) {
        Analysis.Pivot p = bound.pivot();
        if (p == null) {
            return bound.sql();
        }
        String using = p.values().stream().map(v -> "first(" + v + ") AS " + v).collect(Collectors.joining(", "));
        return "SELECT * FROM (PIVOT (" + bound.sql() + "\n) ON " + p.columns() + " USING " + using + " GROUP BY "
                + p.rows() + ") ORDER BY " + p.rows();
    }

    /** Writes {@code sql}'s result (already checked) as one Parquet file in {@code dir}; returns the rows written. */
    public long copyParquet(String checkedSql, String dir) {
        try (Statement st = connection.createStatement()) {
            st.execute("COPY (" + checkedSql + "\n) TO " + literal(dir + "/part-00000.parquet") + " (FORMAT parquet)");
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM read_parquet("
                    + literal(dir + "/part-00000.parquet") + ")")) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw userError(e);
        }
    }

    private ResultSet execute(String sql) {
        try {
            Statement st = connection.createStatement();
            try {
                return st.executeQuery(sql);
            } catch (SQLException e) {
                st.close();
                throw e;
            }
        } catch (SQLException e) {
            throw userError(e);
        }
    }

    /** DuckDB's classes of mistakes in a statement; anything else (an I/O failure...) is not the user's to fix. */
    private static final List<String> USER_ERRORS = List.of("Parser Error", "Binder Error", "Catalog Error",
            "Conversion Error", "Invalid Input Error", "Permission Error", "Out of Range Error", "Not implemented Error",
            "Syntax Error");

    static RuntimeException userError(SQLException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage().strip();
        if (message.startsWith("Permission Error")) {
            return new InvalidInputException("Cannot run query: 'SQL' reads a file outside the results ("
                    + message.lines().findFirst().orElse(message) + "); expected only the views, one of "
                    + String.join(", ", ReadOnlySql.viewNames()));
        }
        if (USER_ERRORS.stream().anyMatch(message::startsWith)) {
            return new InvalidInputException("Cannot run query: " + message + "\nViews: "
                    + String.join(", ", ReadOnlySql.viewNames()) + " (see docs/analysis.md)");
        }
        return new IllegalStateException("DuckDB failed: " + message, e);
    }

    /** Every row, numbers as Long where DuckDB gives a 128-bit integer that fits (sums, count_if). */
    public static List<ResultRow> rows(ResultSet rs) throws SQLException {
        List<String> columns = columns(rs);
        List<ResultRow> rows = new ArrayList<>();
        while (rs.next()) {
            rows.add(new ResultRow(columns, values(rs, columns.size())));
        }
        return rows;
    }

    public static List<String> columns(ResultSet rs) throws SQLException {
        ResultSetMetaData m = rs.getMetaData();
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= m.getColumnCount(); i++) {
            names.add(m.getColumnLabel(i));
        }
        return names;
    }

    public static Object[] values(ResultSet rs, int columns) throws SQLException {
        Object[] v = new Object[columns];
        for (int i = 0; i < columns; i++) {
            Object x = rs.getObject(i + 1);
            if (x instanceof BigInteger b && b.bitLength() < 64) {
                x = b.longValue();
            } else if (x != null && !(x instanceof Number || x instanceof String || x instanceof Boolean)) {
                x = x.toString(); // arrays, structs, dates: as DuckDB prints them
            }
            v[i] = x;
        }
        return v;
    }

    /** The absolute local path of a path or file: URI. */
    public static String localPath(String p, Configuration conf) throws IOException {
        return local(new Path(p), conf);
    }

    static String local(Path p, Configuration conf) throws IOException {
        return FileSystem.getLocal(conf).makeQualified(p).toUri().getPath().replaceAll("/+$", "");
    }

    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // the open failed already; that failure is the one to report
            }
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
