package io.gradsweep.ui;

import io.gradsweep.analysis.DuckResults;
import io.gradsweep.spec.GridAxis;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every statement the explorer runs, in one place. Values from a request (sweep, trial id, axis values) are JDBC
 * parameters; the only names spliced into SQL are grid axes, each first checked against {@link GridAxis#columns()},
 * and metric expressions, which come from {@link Metric}, never from the request.
 */
final class UiSql {
    /** Points per line at most: longer series are averaged in windows of consecutive recorded iterations. */
    static final int POINTS = 400;

    /** The status where a trial did not finish, else its diagnosis: what a trial "is" in counts and colours. */
    static final String DIAGNOSIS = "CASE WHEN status IN ('diverged', 'failed') THEN status ELSE diagnosis END";

    static final String SWEEPS = "SELECT sweep, count(*) AS trials FROM trials GROUP BY sweep ORDER BY sweep";

    /** Trials per sweep and value of {@code column} (a fixed expression of this class, e.g. {@link #DIAGNOSIS}). */
    static String sweepCounts(String column) {
        return "SELECT sweep, " + column + " AS value, count(*) AS n FROM trials GROUP BY 1, 2 ORDER BY 1, 2";
    }

    static final String TRIAL = "SELECT * FROM trials WHERE sweep = ? AND trial_id = ?";

    /**
     * One series of a trial, downsampled: rows are numbered by recorded iteration, and each window of {@code per}
     * consecutive iterations becomes one point at its first iteration (mean of each value; median of stds, whose
     * spikes would pull a mean up). With at most {@link #POINTS} iterations every window holds one row, so the
     * points are the recorded values themselves.
     */
    private static String series(String table, String where, String values) {
        return """
                WITH r AS (
                  SELECT *, dense_rank() OVER (ORDER BY iteration) - 1 AS k FROM %1$s
                  WHERE sweep = ? AND trial_id = ?%2$s),
                w AS (SELECT CAST(greatest(1, ceil(count(DISTINCT iteration) / %3$d)) AS BIGINT) AS per FROM r)
                SELECT layer, min(iteration) AS iteration, %4$s
                FROM r, w GROUP BY layer, k // per ORDER BY layer, iteration""".formatted(table, where, POINTS,
                values);
    }

    static final String GRADIENTS = series("gradients", " AND param = 'W'",
            "avg(mean) AS mean, median(std) AS std");

    static final String ACTIVATIONS = series("activations", "", "avg(saturated_fraction) AS saturated, "
            + "avg(dead_fraction) AS dead, avg(preact_grad_mean) AS preact_mean, "
            + "median(preact_grad_std) AS preact_std");

    static final String EPOCHS = "SELECT epoch, train_loss, train_accuracy, test_loss, test_accuracy FROM epochs "
            + "WHERE sweep = ? AND trial_id = ? ORDER BY epoch";

    /** W and ∂L/∂W distributions of each layer at the start and after the last epoch, as fractions per bin. */
    static final String HISTOGRAMS = """
            WITH h AS (
              SELECT *, max(after_epochs) OVER (PARTITION BY kind) AS last FROM histograms
              WHERE sweep = ? AND trial_id = ? AND param = 'W')
            SELECT kind, layer, after_epochs, sign, bin, min(bin_lo) AS bin_lo, max(bin_hi) AS bin_hi,
                   sum(count) / sum(sum(count)) OVER (PARTITION BY kind, layer, after_epochs) AS fraction
            FROM h WHERE after_epochs = 0 OR after_epochs = last
            GROUP BY kind, layer, after_epochs, sign, bin ORDER BY kind, layer, after_epochs, sign, bin""";

    /** ‖∂L/∂h_t‖ per time step at the first and the last recorded iteration (recurrent trials only). */
    static final String TIMESTEPS = """
            WITH s AS (
              SELECT *, min(iteration) OVER () AS first, max(iteration) OVER () AS last FROM timestep_gradients
              WHERE sweep = ? AND trial_id = ?)
            SELECT layer, iteration, t, l2 FROM s WHERE iteration = first OR iteration = last
            ORDER BY layer, iteration, t""";

    private UiSql() {
    }

    /** {@code coalesce(CAST(axis AS VARCHAR), 'null')}: the text an axis value is shown, filtered and keyed by. */
    static String text(String axis) {
        return "coalesce(CAST(\"" + axis(axis) + "\" AS VARCHAR), 'null')";
    }

    /** The distinct values of one axis in the sweep, in the column's own order. */
    static String axisValues(String axis) {
        return "SELECT " + text(axis) + " AS value FROM trials WHERE sweep = ? GROUP BY \"" + axis(axis) + "\" "
                + "ORDER BY \"" + axis(axis) + "\" NULLS LAST";
    }

    /** The WHERE clause of a sweep and axis values, one parameter per filter, in the map's order. */
    static String where(Map<String, String> filters) {
        StringBuilder sql = new StringBuilder(" WHERE sweep = ?");
        filters.keySet().forEach(a -> sql.append(" AND ").append(text(a)).append(" = ?"));
        return sql.toString();
    }

    /** One row per (x, y) pair that has trials: count, the metric's value and the commonest diagnosis. */
    static String grid(String x, String y, Metric metric, Map<String, String> filters) {
        return "SELECT " + text(x) + " AS x, " + text(y) + " AS y, count(*) AS n, " + metric.sql() + " AS value, "
                + "mode(" + DIAGNOSIS + ") AS diagnosis FROM trials" + where(filters) + " GROUP BY 1, 2";
    }

    /** The trials matching every filter (the cell's x and y among them). */
    static String cell(Map<String, String> filters) {
        return "SELECT trial_id, trial_index, " + String.join(", ", GridAxis.columns().stream()
                .map(a -> "\"" + a + "\"").toList()) + ", status, " + DIAGNOSIS + " AS diagnosis, "
                + Metric.ACCURACY.row() + " AS accuracy, " + Metric.LOSS.row() + " AS loss, grad_ratio FROM trials"
                + where(filters) + " ORDER BY trial_index LIMIT 1000";
    }

    /** A grid axis's column; anything else is refused before it can reach SQL. */
    static String axis(String name) {
        if (!GridAxis.columns().contains(name)) {
            throw new IllegalArgumentException("not a grid axis: " + name);
        }
        return name;
    }

    /** Every row as column → value; NaN and infinities become null, which JSON has and JavaScript draws as gaps. */
    static List<Map<String, Object>> rows(Connection c, String sql, List<?> params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<String> columns = DuckResults.columns(rs);
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Object[] v = DuckResults.values(rs, columns.size());
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 0; i < v.length; i++) {
                        row.put(columns.get(i), v[i] instanceof Double d && !Double.isFinite(d) ? null : v[i]);
                    }
                    rows.add(row);
                }
                return rows;
            }
        }
    }
}
