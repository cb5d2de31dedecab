package io.gradsweep.report;

import io.gradsweep.report.ReportData.Trial;
import io.gradsweep.spec.GridAxis;
import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Numeric axes with too many values for a heatmap cell each, as a sampled learning rate or dropout has: each trial
 * is one point of a scatter of accuracy and of grad_ratio against the axis, on a log x axis when the values span
 * more than two decades (a log-uniform axis), one colour per combination of the other axes that vary.
 */
final class ContinuousAxes {
    /** More distinct values than this and a heatmap is unreadable: a sampled axis, not a grid one. */
    static final int MAX_CELLS = 12;
    private static final List<String> NUMERIC = List.of(GridAxis.LEARNING_RATE.column(), GridAxis.DROPOUT.column());

    private ContinuousAxes() {
    }

    /** The numeric axes of these trials with more than {@link #MAX_CELLS} distinct values, in axis order. */
    static List<String> of(List<Trial> trials) {
        return NUMERIC.stream().filter(a -> GridHeatmaps.values(trials, a).size() > MAX_CELLS).toList();
    }

    static boolean continuous(List<Trial> trials, String axis) {
        return of(trials).contains(axis);
    }

    static byte[] png(List<Trial> trials, String axis) {
        List<String> others = GridHeatmaps.PREFERRED.stream().filter(a -> !a.equals(axis) && !a.equals("seed")
                && GridHeatmaps.values(trials, a).size() > 1).toList();
        Map<String, List<Trial>> series = new LinkedHashMap<>();
        for (Trial t : trials) {
            String key = others.isEmpty() ? "all trials" : String.join(", ",
                    others.stream().map(a -> a + " " + t.axis(a)).toList());
            series.computeIfAbsent(key, k -> new ArrayList<>()).add(t);
        }
        boolean logX = ChartStyle.spansDecades(List.of(trials.stream().mapToDouble(t -> x(t, axis)).toArray()));
        XYChart accuracy = panel("Accuracy against " + axis, axis, "accuracy", logX, false);
        XYChart ratio = panel("grad_ratio against " + axis, axis, "grad_ratio (log scale)", logX, true);
        int i = 0;
        for (Map.Entry<String, List<Trial>> e : series.entrySet()) {
            Color color = ChartStyle.CATEGORICAL[i++ % ChartStyle.CATEGORICAL.length];
            scatter(accuracy, e.getKey(), e.getValue(), axis, Trial::accuracy, color);
            scatter(ratio, e.getKey(), e.getValue(), axis, Trial::gradRatio, color);
        }
        ChartStyle.noteIfEmpty(accuracy, "no trial has an accuracy");
        ChartStyle.noteIfEmpty(ratio, "no trial has a positive grad_ratio (depth 1?)");
        return ChartStyle.png(List.of(accuracy, ratio));
    }

    private static double x(Trial t, String axis) {
        return Double.parseDouble(t.axis(axis));
    }

    private static XYChart panel(String title, String axis, String yTitle, boolean logX, boolean logY) {
        XYChart c = ChartStyle.xy(title, axis + (logX ? " (log scale)" : ""), yTitle);
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        c.getStyler().setXAxisLogarithmic(logX);
        c.getStyler().setYAxisLogarithmic(logY);
        c.getStyler().setXAxisDecimalPattern(logX ? "0E0" : "0.###");
        if (logY) {
            c.getStyler().setYAxisDecimalPattern("0E0");
        } else {
            c.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        }
        return c;
    }

    /** Only drawable points: finite, and positive on a log axis; nothing when none is left. */
    private static void scatter(XYChart c, String name, List<Trial> trials, String axis,
                                java.util.function.Function<Trial, Double> y, Color color) {
        boolean logX = c.getStyler().isXAxisLogarithmic();
        boolean logY = c.getStyler().isYAxisLogarithmic();
        List<double[]> points = new ArrayList<>();
        for (Trial t : trials) {
            Double v = y.apply(t);
            double xv = x(t, axis);
            if (v != null && Double.isFinite(v) && Double.isFinite(xv) && (!logY || v > 0) && (!logX || xv > 0)) {
                points.add(new double[] {xv, v});
            }
        }
        if (points.isEmpty()) {
            return;
        }
        XYSeries s = c.addSeries(name, points.stream().mapToDouble(p -> p[0]).toArray(),
                points.stream().mapToDouble(p -> p[1]).toArray());
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setMarkerColor(color);
    }
}
