package io.gradsweep.analysis;

import io.gradsweep.io.Column;
import io.gradsweep.io.OutputLayout;
import io.gradsweep.io.Table;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The CREATE VIEW of one table in DuckDB: the committed files of each chosen sweep, with the sweep's name as a
 * VARCHAR {@code sweep} column, cast to the table's schema from {@link io.gradsweep.io.Tables}. A column that a
 * sweep's files lack (they were written by an older gradsweep) reads as NULL, and a table no sweep wrote is an empty
 * view with the full schema, as in Spark (see {@link ResultViews}).
 */
final class DuckViews {
    private DuckViews() {
    }

    static String create(Connection c, OutputLayout layout, Table<?> table, List<String> sweeps,
                         Configuration conf) throws IOException, SQLException {
        List<String> parts = new ArrayList<>();
        for (String s : sweeps) {
            List<String> files = new ArrayList<>();
            for (Path p : layout.committedFiles(table, s, conf)) {
                files.add(DuckResults.literal(DuckResults.local(p, conf)));
            }
            if (!files.isEmpty()) {
                String source = "read_parquet([" + String.join(", ", files) + "], union_by_name = true)";
                parts.add("SELECT " + projection(table, present(c, source)) + ", " + DuckResults.literal(s)
                        + " AS sweep FROM " + source);
            }
        }
        if (parts.isEmpty()) { // a table no chosen sweep wrote: empty, with the full schema
            parts.add("SELECT " + projection(table, Set.of()) + ", CAST(NULL AS VARCHAR) AS sweep WHERE false");
        }
        return "CREATE VIEW " + table.name() + " AS " + String.join(" UNION ALL ", parts);
    }

    private static Set<String> present(Connection c, String source) throws SQLException {
        Set<String> names = new HashSet<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM " + source)) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private static String projection(Table<?> table, Set<String> present) {
        return table.columns().stream().map(col -> "CAST(" + (present.contains(col.name()) ? "\"" + col.name() + "\""
                : "NULL") + " AS " + type(col.type()) + ") AS \"" + col.name() + "\"")
                .collect(Collectors.joining(", "));
    }

    static String type(Column.Type t) {
        return switch (t) {
            case DOUBLE -> "DOUBLE";
            case INT -> "INTEGER";
            case BIGINT -> "BIGINT";
            case STRING -> "VARCHAR";
            case BOOLEAN -> "BOOLEAN";
        };
    }

}
