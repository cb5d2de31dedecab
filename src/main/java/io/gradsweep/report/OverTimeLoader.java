package io.gradsweep.report;

import io.gradsweep.analysis.ResultRow;
import io.gradsweep.analysis.ResultSql;
import io.gradsweep.report.ReportData.Band;
import io.gradsweep.report.ReportData.EpochMetric;
import io.gradsweep.report.ReportData.LayerMetric;
import io.gradsweep.report.ReportData.LayerSeries;
import io.gradsweep.report.ReportData.Trial;
import io.gradsweep.spec.GridAxis;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The SQL of the over-time figures ({@link OverTimeFigures}): every aggregate is computed by the engine, so a sweep
 * of any size hands back a few thousand points. Runs on DuckDB and Spark SQL alike.
 */
final class OverTimeLoader {
    /** Non-finite values (a diverged trial's) would make a median NaN: they are left out. */
    static final String FINITE = "CASE WHEN isnan(%1$s) OR abs(%1$s) = CAST('Infinity' AS DOUBLE) THEN NULL "
            + "ELSE %1$s END";

    private static final String CURVES = """
            WITH e AS (
              SELECT trial_id, epoch, %s AS loss, %s AS accuracy FROM epochs)
            SELECT %s e.epoch,
                   median(e.loss) AS loss_median, min(e.loss) AS loss_low, max(e.loss) AS loss_high,
                   median(e.accuracy) AS accuracy_median, min(e.accuracy) AS accuracy_low,
                   max(e.accuracy) AS accuracy_high
            FROM e JOIN trials t ON t.trial_id = e.trial_id
            GROUP BY %s e.epoch ORDER BY e.epoch""";

    /**
     * One row per group, layer and window of iterations, as {@link ReportLoader}'s traces: windows are the same
     * for every trial (the sweep's last iteration over {@link ReportLoader#POINTS}), so medians pool like with like.
     */
    private static final String WINDOWED = """
            WITH w AS (
              SELECT trial_id, layer, iteration, %s,
                     CAST(greatest(1, ceil((max(iteration) OVER () + 1) / %d)) AS BIGINT) AS span
              FROM %s)
            SELECT t.activation, t.depth, w.layer, min(w.iteration) AS x, %s
            FROM w JOIN trials t ON t.trial_id = w.trial_id
            GROUP BY t.activation, t.depth, w.layer, floor(w.iteration / w.span) ORDER BY x""";

    private static final String STD_PER_EPOCH = """
            SELECT t.activation, t.depth, g.layer, g.epoch AS x, median(%s) AS grad_std
            FROM gradients g JOIN trials t ON t.trial_id = g.trial_id
            WHERE g.param = 'W'
            GROUP BY t.activation, t.depth, g.layer, g.epoch ORDER BY x""";

    /**
     * Per recurrent group, line and time step, as {@link ReportData.TimestepProfile}: each recorded iteration's
     * ratios to its own last step, so that the lines of a growing or shrinking loss compare. NULLIF: a last-step l2
     * of 0 gives NULL on both engines (and no ANSI division error on Spark).
     */
    private static final String TIMESTEPS = """
            WITH s AS (
              SELECT g.trial_id, g.epoch, g.iteration, g.t,
                     g.l2 / NULLIF(max(CASE WHEN g.t = tr.sequence_length - 1 THEN g.l2 END)
                         OVER (PARTITION BY g.trial_id, g.iteration), 0) AS ratio,
                     min(g.iteration) OVER (PARTITION BY g.trial_id) AS first_iteration
              FROM timestep_gradients g JOIN trials tr ON tr.trial_id = g.trial_id
              WHERE g.layer = 0),
            l AS (
              SELECT trial_id, %d AS line, t, ratio FROM s WHERE iteration = first_iteration
              UNION ALL
              SELECT trial_id, epoch AS line, t, ratio FROM s)
            SELECT tr.model, tr.sequence_length, l.line, l.t, median(%s) AS ratio, min(tr.trial_index) AS first
            FROM l JOIN trials tr ON tr.trial_id = l.trial_id
            GROUP BY tr.model, tr.sequence_length, l.line, l.t
            ORDER BY first, tr.model, tr.sequence_length, l.line, l.t""";

    private OverTimeLoader() {
    }

    static List<Band> curves(ResultSql db, List<Trial> trials, Facets facets) {
        List<String> keys = facets.columns();
        String select = IntStream.range(0, keys.size()).mapToObj(i -> "t." + keys.get(i) + " AS k" + i + ", ")
                .collect(Collectors.joining());
        String group = keys.stream().map(k -> "t." + k + ", ").collect(Collectors.joining());
        String sql = CURVES.formatted(FINITE.formatted("coalesce(test_loss, train_loss)"),
                FINITE.formatted("coalesce(test_accuracy, train_accuracy)"), select, group);
        Map<List<String>, List<ResultRow>> byKey = new LinkedHashMap<>();
        for (ResultRow r : db.rows(sql)) {
            List<String> key = IntStream.range(0, keys.size()).mapToObj(i -> GridAxis.textOf(r.get("k" + i)))
                    .toList();
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        List<Band> bands = new ArrayList<>();
        for (EpochMetric m : EpochMetric.values()) {
            String p = m.name().toLowerCase(java.util.Locale.ROOT);
            byKey.keySet().stream().sorted(gridOrder(trials, keys)).forEach(key -> {
                List<ResultRow> rows = byKey.get(key);
                List<String> line = facets.panel() == null ? key : key.subList(0, key.size() - 1);
                bands.add(new Band(m, Facets.lineName(line), facets.panel() == null ? null : key.get(key.size() - 1),
                        ReportLoader.column(rows, "epoch"), ReportLoader.column(rows, p + "_median"),
                        ReportLoader.column(rows, p + "_low"), ReportLoader.column(rows, p + "_high")));
            });
        }
        return bands;
    }

    static List<LayerSeries> layers(ResultSql db, List<Trial> trials) {
        List<LayerSeries> series = new ArrayList<>();
        series.addAll(grouped(db, trials, WINDOWED.formatted("saturated_fraction, dead_fraction, "
                + FINITE.formatted("mean") + " AS act_mean, " + FINITE.formatted("std") + " AS act_std",
                ReportLoader.POINTS, "activations", "avg(w.saturated_fraction) AS saturated, "
                        + "avg(w.dead_fraction) AS dead, avg(w.act_mean) AS act_mean, avg(w.act_std) AS act_std"),
                List.of(LayerMetric.SATURATED, LayerMetric.DEAD, LayerMetric.ACT_MEAN, LayerMetric.ACT_STD)));
        series.addAll(grouped(db, trials, WINDOWED.formatted(FINITE.formatted("update_ratio") + " AS update_ratio",
                ReportLoader.POINTS, "gradients WHERE param = 'W'", "median(w.update_ratio) AS update_ratio"),
                List.of(LayerMetric.UPDATE_RATIO)));
        series.addAll(grouped(db, trials, STD_PER_EPOCH.formatted(FINITE.formatted("g.std")),
                List.of(LayerMetric.GRAD_STD)));
        return series;
    }

    /**
     * The time-step profiles of a sweep's recurrent trials, groups in grid order; empty without any (the table's
     * view is empty then).
     */
    static List<ReportData.TimestepProfile> timesteps(ResultSql db) {
        Map<List<Object>, List<ResultRow>> byLine = new LinkedHashMap<>();
        String sql = TIMESTEPS.formatted(ReportData.TimestepProfile.FIRST, FINITE.formatted("l.ratio"));
        for (ResultRow r : db.rows(sql)) {
            byLine.computeIfAbsent(List.of(r.getString(0), r.getInt(1), r.getInt(2)), k -> new ArrayList<>()).add(r);
        }
        List<ReportData.TimestepProfile> profiles = new ArrayList<>();
        byLine.forEach((key, rows) -> profiles.add(new ReportData.TimestepProfile((String) key.get(0),
                (Integer) key.get(1), (Integer) key.get(2), ReportLoader.column(rows, "t"),
                ReportLoader.column(rows, "ratio"))));
        return profiles;
    }

    /** Rows of (activation, depth, layer, x, one column per metric) as series; all-null ones are left out. */
    private static List<LayerSeries> grouped(ResultSql db, List<Trial> trials, String sql, List<LayerMetric> metrics) {
        boolean severalDepths = trials.stream().map(Trial::depth).distinct().count() > 1;
        List<String> order = trials.stream().sorted(Comparator.comparingInt(Trial::index))
                .map(t -> group(t.axis("activation"), t.depth(), severalDepths)).distinct().toList();
        Map<String, List<ResultRow>> byLine = new LinkedHashMap<>();
        for (ResultRow r : db.rows(sql)) {
            byLine.computeIfAbsent(group(r.getString(0), r.getInt(1), severalDepths) + "\u0000" + r.getInt(2),
                    k -> new ArrayList<>()).add(r);
        }
        List<LayerSeries> series = new ArrayList<>();
        for (LayerMetric m : metrics) {
            String column = m.name().toLowerCase(java.util.Locale.ROOT);
            byLine.forEach((key, rows) -> {
                if (rows.stream().anyMatch(r -> r.get(column) != null)) {
                    series.add(new LayerSeries(m, key.substring(0, key.indexOf('\u0000')), rows.get(0).getInt(1),
                            rows.get(0).getInt(2),
                            ReportLoader.column(rows, "x"), ReportLoader.column(rows, column)));
                }
            });
        }
        series.sort(Comparator.comparing((LayerSeries s) -> s.metric()).thenComparing(s -> order.indexOf(s.group()))
                .thenComparingInt(LayerSeries::layer));
        return series;
    }

    static String group(String activation, int depth, boolean severalDepths) {
        return activation + (severalDepths ? ", depth " + depth : "");
    }

    /** Keys in the order their values first appear in the grid, axis by axis. */
    private static Comparator<List<String>> gridOrder(List<Trial> trials, List<String> axes) {
        List<List<String>> values = axes.stream().map(a -> GridHeatmaps.values(trials, a)).toList();
        Comparator<List<String>> c = (a, b) -> 0;
        for (int i = 0; i < axes.size(); i++) {
            int k = i;
            c = c.thenComparingInt(key -> values.get(k).indexOf(key.get(k)));
        }
        return c;
    }
}
