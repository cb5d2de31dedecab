package io.gradsweep.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

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

    /** {@code read_parquet} over one table of a results directory, all sweeps, with the sweep column. */
    public static String table(Object outDir, String table) {
        return "read_parquet('" + outDir + "/" + table + "/*/*.parquet', hive_partitioning = true)";
    }
}
