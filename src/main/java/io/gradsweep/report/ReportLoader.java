package io.gradsweep.report;

import io.gradsweep.InvalidInputException;
import io.gradsweep.analysis.ResultRow;
import io.gradsweep.analysis.ResultSql;
import io.gradsweep.analysis.SparkResults;
import io.gradsweep.report.ReportData.Histogram;
import io.gradsweep.report.ReportData.LayerProfile;
import io.gradsweep.report.ReportData.LayerTrace;
import io.gradsweep.report.ReportData.LossCurve;
import io.gradsweep.report.ReportData.SmallGradients;
import io.gradsweep.report.ReportData.Trial;
import io.gradsweep.spec.GridAxis;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;

/**
 * The report's data: a few SQL queries over the result views, collected into {@link ReportData}. The SQL runs on
 * DuckDB and Spark alike ({@link ResultSql}).
 */
public final class ReportLoader {
    /**
     * Points per line in the per-iteration figures. Longer runs are summarised in windows of iterations (mean of
     * the means, median of the stds): raw per-iteration stds are so noisy that the layers' lines cannot be told
     * apart, and a median window keeps the level where a mean would be pulled up by spikes.
     */
    static final int POINTS = 300;

    /** Shared settings that a trial's figures name besides its grid axes. */
    private static final List<String> SETTINGS = List.of("dataset", "epochs", "batch_size");

    private static final String TRIALS = """
            SELECT trial_id, trial_index, %s, status,
                   CASE WHEN status IN ('diverged', 'failed') THEN status ELSE diagnosis END AS diagnosis,
                   coalesce(test_accuracy, train_accuracy) AS accuracy,
                   CASE WHEN test_accuracy IS NOT NULL OR test_loss IS NOT NULL THEN 'test' ELSE 'train' END AS split,
                   CASE WHEN test_loss IS NOT NULL THEN test_loss ELSE train_loss END AS loss,
                   grad_ratio, max_grad_l2
            FROM trials ORDER BY trial_index""".formatted(String.join(", ", axisColumns()));

    private static final String TRACES = """
            WITH g AS (
              SELECT trial_id, layer, iteration, mean, std, weight_mean, weight_std, %s AS l2,
                     CAST(greatest(1, ceil((max(iteration) OVER (PARTITION BY trial_id) + 1) / %d)) AS BIGINT)
                       AS span
              FROM gradients WHERE param = 'W' AND trial_id IN (%s))
            SELECT trial_id, layer, min(iteration) AS iteration, avg(mean) AS mean, median(std) AS std,
                   avg(weight_mean) AS weight_mean, avg(weight_std) AS weight_std, first(span) AS span,
                   median(l2) AS l2, sum(CASE WHEN l2 IS NULL THEN 1 ELSE 0 END) AS l2_non_finite
            FROM g GROUP BY trial_id, layer, floor(iteration / span)
            ORDER BY trial_id, layer, iteration""";

    private static final String LOSSES = """
            SELECT trial_id, epoch, train_loss, test_loss FROM epochs WHERE trial_id IN (%s)
            ORDER BY trial_id, epoch""";

    /** Median over trials of std(dW) per layer at each trial's first and last recorded iteration, finite only. */
    private static final String PROFILES = profile("gradients", "std", "x.param = 'W' AND ");

    /**
     * The same for std(∂L/∂s) of each hidden layer (Glorot and Bengio's figure 7), from the activations table; rows
     * without it (recurrent layers, data-parallel workers, older outputs) are null and drop out.
     */
    private static final String PREACT_PROFILES = profile("activations", "preact_grad_std", "");

    /** The profile SQL over one table's per-layer {@code std} column; {@code filter} ends in AND, or is empty. */
    private static String profile(String table, String std, String filter) {
        return """
                WITH bounds AS (
                  SELECT trial_id, min(iteration) AS first, max(iteration) AS last FROM %1$s GROUP BY trial_id),
                g AS (
                  SELECT x.trial_id, x.layer, x.%2$s AS std, x.iteration = b.first AS at_init
                  FROM %1$s x JOIN bounds b ON x.trial_id = b.trial_id
                  WHERE %3$s(x.iteration = b.first OR x.iteration = b.last)
                    AND NOT isnan(x.%2$s) AND x.%2$s < CAST('Infinity' AS DOUBLE))
                SELECT t.activation, t.depth, g.layer, min(t.trial_index) AS first_index,
                       median(CASE WHEN g.at_init THEN g.std END) AS init_std,
                       median(CASE WHEN NOT g.at_init THEN g.std END) AS end_std
                FROM g JOIN trials t ON t.trial_id = g.trial_id
                GROUP BY t.activation, t.depth, g.layer""".formatted(table, std, filter);
    }

    /**
     * Each hidden layer's W and ∂L/∂W distribution at after_epochs 0 and at the trial's last after_epochs, as
     * fractions per bin: a few hundred rows per trial come back however long it trained. The contract has one row
     * per bin; summing per bin anyway keeps the fractions right should a tensor's rows ever appear twice.
     */
    private static final String HISTOGRAMS = """
            WITH h AS (
              SELECT h.trial_id, h.kind, h.layer, h.after_epochs, h.sign, h.bin, h.count,
                     max(h.after_epochs) OVER (PARTITION BY h.trial_id, h.kind) AS last
              FROM histograms h JOIN trials t ON t.trial_id = h.trial_id
              WHERE h.param = 'W' AND h.layer < t.depth AND h.trial_id IN (%s))
            SELECT trial_id, kind, layer, after_epochs, sign, bin,
                   sum(count) / sum(sum(count)) OVER (PARTITION BY trial_id, kind, layer, after_epochs) AS fraction
            FROM h WHERE after_epochs = 0 OR after_epochs = last
            GROUP BY trial_id, kind, layer, after_epochs, sign, bin
            ORDER BY trial_id, kind, layer, after_epochs, sign, bin""";

    /** Per hidden layer and after_epochs, the share of gradient entries that are 0 or in a bin below SMALL. */
    private static final String SMALL_GRADIENTS = """
            SELECT h.trial_id, h.layer, h.after_epochs,
                   sum(CASE WHEN h.sign = 0 OR h.bin < %d THEN h.count ELSE 0 END) / sum(h.count) AS fraction
            FROM histograms h JOIN trials t ON t.trial_id = h.trial_id
            WHERE h.kind = 'gradient' AND h.param = 'W' AND h.layer < t.depth AND h.trial_id IN (%s)
            GROUP BY h.trial_id, h.layer, h.after_epochs
            ORDER BY h.trial_id, h.layer, h.after_epochs""";

    private ReportLoader() {
    }

    /** Registers the views of one sweep (the only one when {@code sweep} is null) and loads what the report needs. */
    public static ReportData load(SparkSession spark, ReportOptions options) {
        return load(SparkResults.over(spark, options.out(), options.sweep()), options);
    }

    /** Loads from views registered for {@code options.sweep()}, or for every sweep when there is just one. */
    public static ReportData load(ResultSql db, ReportOptions options) {
        List<String> all = db.registered().sweeps();
        if (all.size() != 1) {
            throw new InvalidInputException("Cannot make report: '--sweep' is missing; expected one of "
                    + String.join(", ", all));
        }
        String sweep = all.get(0);
        List<Trial> trials = db.rows(TRIALS).stream().map(ReportLoader::trial).toList();
        String ids = TrialSelection.choose(trials, options.trials()).stream()
                .map(t -> "'" + t.trialId() + "'").collect(Collectors.joining(", "));
        String dataset = trials.isEmpty() ? "" : trials.get(0).axis("dataset");
        List<ReportData.Band> curves = OverTimeLoader.curves(db, trials, Facets.of(trials, options.axes()));
        List<ReportData.LayerSeries> overTime = OverTimeLoader.layers(db, trials);
        List<ReportData.TimestepProfile> timesteps = OverTimeLoader.timesteps(db);
        if (ids.isEmpty()) {
            return new ReportData(sweep, dataset, trials, List.of(), List.of(), profiles(db, trials, PROFILES),
                    List.of(), List.of(), profiles(db, trials, PREACT_PROFILES), curves, overTime, timesteps);
        }
        // Outputs written before the histograms table existed read as an empty view: the lists stay empty.
        return new ReportData(sweep, dataset, trials, traces(db, ids), losses(db, ids),
                profiles(db, trials, PROFILES), histograms(db, ids), smallGradients(db, ids),
                profiles(db, trials, PREACT_PROFILES), curves, overTime, timesteps);
    }

    private static Trial trial(ResultRow r) {
        Map<String, String> axes = new LinkedHashMap<>();
        for (String c : axisColumns()) {
            axes.put(c, GridAxis.textOf(r.get(c)));
        }
        String id = (String) r.get("trial_id");
        if (!id.matches("[0-9a-f]+")) { // ids are spliced into SQL below; the job only writes hex
            throw new IllegalStateException("unexpected trial id '" + id + "'");
        }
        return new Trial(id, ((Number) r.get("trial_index")).intValue(), axes, (String) r.get("status"),
                (String) r.get("diagnosis"), (Double) r.get("accuracy"), (String) r.get("split"),
                (Double) r.get("grad_ratio"), (Double) r.get("max_grad_l2"), (Double) r.get("loss"));
    }

    /** The columns of {@link Trial#axes()}: every grid axis, then the shared settings. */
    private static List<String> axisColumns() {
        List<String> columns = new ArrayList<>(GridAxis.columns());
        columns.addAll(SETTINGS);
        return columns;
    }

    private static List<LayerTrace> traces(ResultSql db, String ids) {
        Map<String, List<ResultRow>> byLine = new LinkedHashMap<>();
        for (ResultRow r : db.rows(String.format(TRACES, OverTimeLoader.FINITE.formatted("l2"), POINTS, ids))) {
            byLine.computeIfAbsent(r.getString(0) + "/" + r.getInt(1), k -> new ArrayList<>()).add(r);
        }
        return byLine.values().stream().map(rows -> new LayerTrace(rows.get(0).getString(0), rows.get(0).getInt(1),
                rows.get(0).getLong(7), column(rows, "iteration"), column(rows, "mean"), column(rows, "std"),
                column(rows, "weight_mean"), column(rows, "weight_std"), column(rows, "l2"),
                column(rows, "l2_non_finite"))).toList();
    }

    private static List<LossCurve> losses(ResultSql db, String ids) {
        Map<String, List<ResultRow>> byTrial = new LinkedHashMap<>();
        for (ResultRow r : db.rows(String.format(LOSSES, ids))) {
            byTrial.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r);
        }
        return byTrial.values().stream().map(rows -> new LossCurve(rows.get(0).getString(0), column(rows, "epoch"),
                column(rows, "train_loss"), rows.get(0).isNull(3) ? null : column(rows, "test_loss"))).toList();
    }

    /** {@code query} is {@link #PROFILES} or {@link #PREACT_PROFILES}. */
    private static List<LayerProfile> profiles(ResultSql db, List<Trial> trials, String query) {
        boolean severalDepths = trials.stream().map(Trial::depth).distinct().count() > 1;
        Map<String, List<ResultRow>> byGroup = new LinkedHashMap<>();
        String sql = query + " ORDER BY first_index, t.depth, g.layer";
        for (ResultRow r : db.rows(sql)) {
            String group = r.getString(0) + (severalDepths ? ", depth " + r.getInt(1) : "");
            byGroup.computeIfAbsent(group, k -> new ArrayList<>()).add(r);
        }
        List<LayerProfile> profiles = new ArrayList<>();
        byGroup.forEach((group, rows) -> profiles.add(new LayerProfile(group, column(rows, "layer"),
                column(rows, "init_std"), column(rows, "end_std"))));
        return profiles;
    }

    private static List<Histogram> histograms(ResultSql db, String ids) {
        Map<String, Histogram> byTensor = new LinkedHashMap<>();
        for (ResultRow r : db.rows(String.format(HISTOGRAMS, ids))) {
            Histogram h = byTensor.computeIfAbsent(r.getString(0) + "/" + r.getString(1) + "/" + r.getInt(2) + "/"
                    + r.getInt(3), k -> new Histogram(r.getString(0), r.getString(1), r.getInt(2), r.getInt(3),
                    new double[SignedBins.COUNT]));
            h.fraction()[SignedBins.index(r.getInt(4), r.getInt(5))] = r.getDouble(6);
        }
        return List.copyOf(byTensor.values());
    }

    private static List<SmallGradients> smallGradients(ResultSql db, String ids) {
        Map<String, List<ResultRow>> byLayer = new LinkedHashMap<>();
        String sql = String.format(SMALL_GRADIENTS, SignedBins.binsBelow(SignedBins.SMALL), ids);
        for (ResultRow r : db.rows(sql)) {
            byLayer.computeIfAbsent(r.getString(0) + "/" + r.getInt(1), k -> new ArrayList<>()).add(r);
        }
        return byLayer.values().stream().map(rows -> new SmallGradients(rows.get(0).getString(0),
                rows.get(0).getInt(1), column(rows, "after_epochs"), column(rows, "fraction"))).toList();
    }

    /** A numeric column as doubles; SQL NULL becomes NaN, which the charts leave out. */
    static double[] column(List<ResultRow> rows, String name) {
        double[] v = new double[rows.size()];
        for (int i = 0; i < v.length; i++) {
            Object x = rows.get(i).get(name);
            v[i] = x == null ? Double.NaN : ((Number) x).doubleValue();
        }
        return v;
    }
}
