package io.gradsweep.ui;

import io.gradsweep.InvalidInputException;
import io.gradsweep.spec.GridAxis;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answers of the explorer's JSON endpoints, as maps and lists for Jackson. Every request's values are checked
 * here: the sweep against the committed sweeps, axes against the grid axes, the metric against {@link Metric};
 * anything else is an {@link InvalidInputException} (HTTP 400) in the team's message form.
 */
final class Explorer {
    private final LiveResults results;
    private final Progress progress;

    Explorer(LiveResults results, Progress progress) {
        this.results = results;
        this.progress = progress;
    }

    /** The cheap poll: committed parts, the views' version, and done/total/ETA of the sweep being run. */
    Map<String, Object> progress() throws SQLException {
        LiveResults.State state = results.state();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("parts", state.parts());
        answer.put("version", state.version());
        answer.put("error", state.error());
        answer.put("live", progress.of(done()));
        return answer;
    }

    /** Trials committed per sweep. */
    private Map<String, Long> done() throws SQLException {
        Map<String, Long> done = new LinkedHashMap<>();
        List<Map<String, Object>> rows = results.read(c -> c == null ? List.<Map<String, Object>>of()
                : UiSql.rows(c, UiSql.SWEEPS, List.of()));
        for (Map<String, Object> r : rows) {
            done.put((String) r.get("sweep"), ((Number) r.get("trials")).longValue());
        }
        return done;
    }

    /** Each sweep with its trial count, and counts by status and by diagnosis. */
    List<Map<String, Object>> sweeps() throws SQLException {
        return results.read(c -> {
            List<Map<String, Object>> sweeps = new ArrayList<>();
            if (c == null) {
                return sweeps;
            }
            Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
            for (Map<String, Object> r : UiSql.rows(c, UiSql.SWEEPS, List.of())) {
                Map<String, Object> s = new LinkedHashMap<>(r);
                s.put("status", new LinkedHashMap<String, Object>());
                s.put("diagnosis", new LinkedHashMap<String, Object>());
                byName.put((String) r.get("sweep"), s);
                sweeps.add(s);
            }
            counts(c, byName, "status", "status");
            counts(c, byName, "diagnosis", UiSql.DIAGNOSIS);
            return sweeps;
        });
    }

    @SuppressWarnings("unchecked")
    private static void counts(Connection c, Map<String, Map<String, Object>> byName, String key, String column)
            throws SQLException {
        for (Map<String, Object> r : UiSql.rows(c, UiSql.sweepCounts(column), List.of())) {
            ((Map<String, Object>) byName.get((String) r.get("sweep")).get(key)).put(String.valueOf(r.get("value")),
                    r.get("n"));
        }
    }

    /** Every grid axis with its values in the sweep, in axis order. */
    List<Map<String, Object>> axes(String sweep) throws SQLException {
        return results.read(c -> {
            Connection db = require(c, sweep);
            List<Map<String, Object>> axes = new ArrayList<>();
            for (String axis : GridAxis.columns()) {
                List<Object> values = UiSql.rows(db, UiSql.axisValues(axis), List.of(sweep)).stream()
                        .map(r -> r.get("value")).toList();
                axes.add(Map.of("axis", axis, "values", values));
            }
            return axes;
        });
    }

    /** Heatmap cells of the trials matching {@code filters}, over axes {@code x} and {@code y}. */
    Map<String, Object> grid(String sweep, String x, String y, String metric, Map<String, String> filters)
            throws SQLException {
        Metric m = Metric.of(metric == null ? "accuracy" : metric);
        String xa = axis("x", x);
        String ya = axis("y", y);
        Map<String, String> f = filters(filters);
        List<Object> params = params(sweep, f);
        List<Map<String, Object>> cells = results.read(c -> UiSql.rows(require(c, sweep),
                UiSql.grid(xa, ya, m, f), params));
        return Map.of("x", xa, "y", ya, "metric", m.spelling(), "cells", cells);
    }

    /** The trials matching {@code filters}: those of one cell when they hold the cell's x and y. */
    List<Map<String, Object>> trials(String sweep, Map<String, String> filters) throws SQLException {
        Map<String, String> f = filters(filters);
        List<Object> params = params(sweep, f);
        return results.read(c -> UiSql.rows(require(c, sweep), UiSql.cell(f), params));
    }

    /** One trial's series: the trial row, its per-layer curves, epochs, distributions and time steps. */
    Map<String, Object> trial(String sweep, String id) throws SQLException {
        if (id == null) {
            throw new InvalidInputException("Cannot show trial: 'id' is missing; expected a trial id of sweep '"
                    + sweep + "'");
        }
        return results.read(c -> TrialSeries.of(require(c, sweep), sweep, id));
    }

    private static String axis(String what, String name) {
        if (name == null || !GridAxis.columns().contains(name)) {
            throw new InvalidInputException("Cannot draw heatmap: '" + what + "' is '" + name + "'; expected one of "
                    + String.join(", ", GridAxis.columns()));
        }
        return name;
    }

    private static Map<String, String> filters(Map<String, String> filters) {
        filters.keySet().forEach(a -> axis("filter", a));
        return filters;
    }

    private static List<Object> params(String sweep, Map<String, String> filters) {
        List<Object> params = new ArrayList<>();
        params.add(sweep);
        params.addAll(filters.values());
        return params;
    }

    /** The connection, once {@code sweep} is known to be one of the committed sweeps. */
    private static Connection require(Connection c, String sweep) throws SQLException {
        List<String> names = c == null ? List.of() : UiSql.rows(c, UiSql.SWEEPS, List.of()).stream()
                .map(r -> (String) r.get("sweep")).toList();
        if (!names.contains(sweep)) {
            throw new InvalidInputException("Cannot show sweep: 'sweep' is '" + sweep + "'; expected one of "
                    + (names.isEmpty() ? "(none committed yet)" : String.join(", ", names)));
        }
        return c;
    }
}
