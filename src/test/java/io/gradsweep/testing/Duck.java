package io.gradsweep.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** DuckDB as the independent second engine that reads what gradsweep wrote. */
public final class Duck {
    private Duck() {
    }

    /** The first column of the first row, as a double. */
    public static double scalar(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            if (!rs.next()) {
                throw new AssertionError("no rows from: " + sql);
            }
            return rs.getDouble(1);
        }
    }

    /** Every row, each as its column values in order (JDBC's own types: Integer, Long, Double, String, null). */
    public static List<List<Object>> rows(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            List<List<Object>> rows = new ArrayList<>();
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    /** {@code read_parquet} over one table of a results directory, all sweeps, with the sweep column. */
    public static String table(Object outDir, String table) {
        return "read_parquet('" + outDir + "/" + table + "/*/*.parquet', hive_partitioning = true)";
    }
}
