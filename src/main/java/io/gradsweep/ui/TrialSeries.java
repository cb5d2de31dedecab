package io.gradsweep.ui;

import io.gradsweep.InvalidInputException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One trial's drill-down, shaped for charts: rows of the same line (a layer; a layer and iteration for time
 * steps; a kind, layer and moment for histograms) become one object of columns, {@code {"layer": 0, "iteration":
 * [...], "std": [...]}}, which is what a chart library plots.
 */
final class TrialSeries {
    private TrialSeries() {
    }

    static Map<String, Object> of(Connection c, String sweep, String id) throws SQLException {
        List<Object> key = List.of(sweep, id);
        List<Map<String, Object>> trial = UiSql.rows(c, UiSql.TRIAL, key);
        if (trial.isEmpty()) {
            throw new InvalidInputException("Cannot show trial: 'id' is '" + id + "'; expected a trial id of sweep '"
                    + sweep + "'");
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("trial", trial.get(0));
        answer.put("points", UiSql.POINTS);
        answer.put("gradients", lines(UiSql.rows(c, UiSql.GRADIENTS, key), "layer"));
        answer.put("activations", lines(UiSql.rows(c, UiSql.ACTIVATIONS, key), "layer"));
        answer.put("epochs", columns(UiSql.rows(c, UiSql.EPOCHS, key)));
        answer.put("histograms", lines(UiSql.rows(c, UiSql.HISTOGRAMS, key), "kind", "layer", "after_epochs"));
        answer.put("timesteps", lines(UiSql.rows(c, UiSql.TIMESTEPS, key), "layer", "iteration"));
        return answer;
    }

    /** Consecutive rows with equal {@code keys} as one line: the keys once, every other column as a list. */
    static List<Map<String, Object>> lines(List<Map<String, Object>> rows, String... keys) {
        List<Map<String, Object>> lines = new ArrayList<>();
        List<Map<String, Object>> current = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            if (!current.isEmpty() && !sameKeys(current.get(0), r, keys)) {
                lines.add(line(current, keys));
                current = new ArrayList<>();
            }
            current.add(r);
        }
        if (!current.isEmpty()) {
            lines.add(line(current, keys));
        }
        return lines;
    }

    private static boolean sameKeys(Map<String, Object> a, Map<String, Object> b, String[] keys) {
        for (String k : keys) {
            if (!java.util.Objects.equals(a.get(k), b.get(k))) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, Object> line(List<Map<String, Object>> rows, String[] keys) {
        Map<String, Object> line = new LinkedHashMap<>();
        for (String k : keys) {
            line.put(k, rows.get(0).get(k));
        }
        Map<String, Object> rest = columns(rows);
        for (String k : keys) {
            rest.remove(k);
        }
        line.putAll(rest);
        return line;
    }

    /** Rows as one list per column. */
    static Map<String, Object> columns(List<Map<String, Object>> rows) {
        Map<String, Object> columns = new LinkedHashMap<>();
        if (rows.isEmpty()) {
            return columns;
        }
        for (String column : rows.get(0).keySet()) {
            List<Object> values = new ArrayList<>(rows.size());
            rows.forEach(r -> values.add(r.get(column)));
            columns.put(column, values);
        }
        return columns;
    }
}
