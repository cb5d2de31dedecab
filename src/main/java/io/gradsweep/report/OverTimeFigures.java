package io.gradsweep.report;

import io.gradsweep.report.ReportData.Band;
import io.gradsweep.report.ReportData.EpochMetric;
import io.gradsweep.report.ReportData.LayerMetric;
import io.gradsweep.report.ReportData.LayerSeries;
import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The figures TensorBoard users and the classic tutorials expect, over training and across trials: loss and
 * accuracy per epoch, one line per configuration with its seeds as a band; and, per activation, each layer's
 * saturation or dead units, update ratio and gradient std over time. Panels of one figure share their axes. The
 * builders return the panels, so that tests can read the plotted series; {@link ChartStyle#grid} draws them.
 */
final class OverTimeFigures {
    /** Panels per row of a layer figure: three fill the page's width. */
    static final int COLUMNS = 3;

    private OverTimeFigures() {
    }

    /**
     * Rows of two panels, loss and accuracy, one row per value of the small-multiples axis (one row without one).
     * Lines are named by their configuration; each line's band (series "NAME range") spans its trials' minimum to
     * maximum.
     */
    static List<XYChart> curves(List<Band> bands, Facets facets, String split) {
        List<String> panels = bands.stream().map(Band::panel).distinct().toList();
        List<Band> loss = bands.stream().filter(b -> b.metric() == EpochMetric.LOSS).toList();
        boolean logLoss = ChartStyle.spansDecades(loss.stream().flatMap(b -> List.of(b.low(), b.high()).stream())
                .toList());
        List<String> lines = bands.stream().map(Band::line).distinct().toList(); // one colour each, in every panel
        // A row of more names than fit under a panel goes to a column on its right, which widens the panel.
        boolean side = lines.size() > 3;
        int width = ChartStyle.PANEL_WIDTH + (side ? 190 : 0);
        List<XYChart> charts = new ArrayList<>();
        for (String panel : panels) {
            String suffix = panel == null ? "" : ", " + facets.panel() + " = " + panel;
            XYChart l = ChartStyle.xy(split + " loss per epoch" + suffix, "epoch",
                    split + " loss" + (logLoss ? " (log scale)" : ""), width, ChartStyle.PANEL_HEIGHT);
            l.getStyler().setYAxisLogarithmic(logLoss);
            XYChart a = ChartStyle.xy(split + " accuracy per epoch" + suffix, "epoch", split + " accuracy", width,
                    ChartStyle.PANEL_HEIGHT);
            for (XYChart c : List.of(l, a)) {
                if (side) {
                    ChartStyle.legendOnRight(c);
                }
                EpochMetric m = c == l ? EpochMetric.LOSS : EpochMetric.ACCURACY;
                List<Band> mine = bands.stream().filter(b -> b.metric() == m && Objects.equals(b.panel(), panel))
                        .toList();
                for (Band b : mine) {
                    band(c, b, lines.indexOf(b.line()));
                }
                ChartStyle.finish(c, true);
                ChartStyle.noteIfEmpty(c, m == EpochMetric.ACCURACY ? "no accuracy (regression?)" : "no finite loss");
                charts.add(c);
            }
        }
        share(charts.stream().filter(c -> charts.indexOf(c) % 2 == 0).toList(), logLoss, true);
        share(charts.stream().filter(c -> charts.indexOf(c) % 2 == 1).toList(), false, true);
        return charts;
    }

    private static void band(XYChart c, Band b, int index) {
        Color color = ChartStyle.CATEGORICAL[index % ChartStyle.CATEGORICAL.length];
        boolean log = c.getStyler().isYAxisLogarithmic();
        List<double[]> lo = new ArrayList<>();
        List<double[]> hi = new ArrayList<>();
        for (int i = 0; i < b.epoch().length; i++) {
            if (Double.isFinite(b.low()[i]) && Double.isFinite(b.high()[i]) && (!log || b.low()[i] > 0)) {
                lo.add(new double[] {b.epoch()[i], b.low()[i]});
                hi.add(new double[] {b.epoch()[i], b.high()[i]});
            }
        }
        boolean spread = java.util.stream.IntStream.range(0, lo.size()).anyMatch(i -> lo.get(i)[1] != hi.get(i)[1]);
        if (lo.size() > 1 && spread) {
            double[] xs = new double[2 * lo.size()];
            double[] ys = new double[2 * lo.size()];
            for (int i = 0; i < lo.size(); i++) { // the upper edge left to right, then the lower edge back
                xs[i] = hi.get(i)[0];
                ys[i] = hi.get(i)[1];
                xs[xs.length - 1 - i] = lo.get(i)[0];
                ys[ys.length - 1 - i] = lo.get(i)[1];
            }
            XYSeries area = c.addSeries(b.line() + " range", xs, ys);
            area.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
            area.setFillColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 45));
            area.setLineColor(new Color(0, 0, 0, 0));
            area.setMarker(SeriesMarkers.NONE);
            area.setShowInLegend(false);
        }
        XYSeries s = ChartStyle.line(c, b.line(), b.epoch(), b.median(), color,
                index >= ChartStyle.CATEGORICAL.length);
        if (s != null) {
            s.setLineStyle(new BasicStroke(2.2f));
        }
    }

    /**
     * One panel per group (activation, and depth) with one line per layer, dark (first) to light (last), at most
     * {@link TrialFigures#MAX_LAYERS} of them. For the activations figure a group shows SATURATED where it has it,
     * else DEAD (the table has one or the other per activation).
     */
    static List<XYChart> layers(List<LayerSeries> all, List<LayerMetric> metrics) {
        List<LayerSeries> series = all.stream().filter(s -> metrics.contains(s.metric())).toList();
        List<String> groups = series.stream().map(LayerSeries::group).distinct().toList();
        LayerMetric first = metrics.get(0);
        boolean log = first == LayerMetric.UPDATE_RATIO || first == LayerMetric.GRAD_STD;
        // Legends of more names than fit under a panel go to a column on the right, in every panel alike.
        boolean side = groups.stream().mapToLong(g -> series.stream().filter(s -> s.group().equals(g))
                .map(LayerSeries::layer).distinct().count()).max().orElse(0) > 5;
        List<XYChart> charts = new ArrayList<>();
        for (String group : groups) {
            LayerMetric m = metrics.stream().filter(x -> series.stream().anyMatch(s -> s.metric() == x
                    && s.group().equals(group))).findFirst().orElseThrow();
            List<LayerSeries> mine = TrialFigures.spread(series.stream().filter(s -> s.metric() == m
                    && s.group().equals(group)).toList(), TrialFigures.MAX_LAYERS);
            XYChart c = ChartStyle.xy(group + ": " + title(m), m == LayerMetric.GRAD_STD ? "epoch"
                    : "iteration (minibatch updates)", yTitle(m), ChartStyle.PANEL_WIDTH + (side ? 110 : 0),
                    ChartStyle.PANEL_HEIGHT);
            if (side) {
                ChartStyle.legendOnRight(c);
            }
            c.getStyler().setYAxisLogarithmic(log);
            for (int i = 0; i < mine.size(); i++) {
                LayerSeries s = mine.get(i);
                ChartStyle.line(c, TrialFigures.layerName(s.layer(), s.depth()), s.x(), s.y(),
                        ChartStyle.sequential(i, mine.size()), false);
            }
            if (m == LayerMetric.UPDATE_RATIO && !c.getSeriesMap().isEmpty()) {
                reference(c, 1e-3, "1e-3");
            }
            if (m == LayerMetric.SATURATED || m == LayerMetric.DEAD) {
                c.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
            }
            ChartStyle.finish(c, true);
            ChartStyle.noteIfEmpty(c, log ? "no positive finite values" : "no values");
            charts.add(c);
        }
        share(charts, log, true);
        return charts;
    }

    /**
     * Glorot and Bengio's figure 2 as two columns: per group, the mean of each hidden layer's outputs over time
     * beside their std, each column on one shared y range.
     */
    static List<XYChart> meanAndStd(List<LayerSeries> all) {
        List<XYChart> means = layers(all, List.of(LayerMetric.ACT_MEAN));
        List<XYChart> stds = layers(all, List.of(LayerMetric.ACT_STD));
        List<XYChart> rows = new ArrayList<>();
        for (XYChart mean : means) {
            String group = mean.getTitle().substring(0, mean.getTitle().lastIndexOf(": "));
            rows.add(mean);
            stds.stream().filter(c -> c.getTitle().equals(group + ": " + title(LayerMetric.ACT_STD))).findFirst()
                    .ifPresent(rows::add);
        }
        return rows;
    }

    static String title(LayerMetric m) {
        return switch (m) {
            case SATURATED -> "saturated outputs per layer";
            case DEAD -> "dead units per layer";
            case ACT_MEAN -> "mean of outputs per layer";
            case ACT_STD -> "std of outputs per layer";
            case UPDATE_RATIO -> "update ratio ‖ΔW‖/‖W‖ per layer";
            case GRAD_STD -> "gradient std per layer and epoch";
        };
    }

    private static String yTitle(LayerMetric m) {
        return switch (m) {
            case SATURATED -> "fraction of outputs saturated";
            case DEAD -> "fraction of units dead";
            case ACT_MEAN -> "mean of the layer's outputs";
            case ACT_STD -> "std of the layer's outputs";
            case UPDATE_RATIO -> "‖ΔW‖ / ‖W‖ (log scale)";
            case GRAD_STD -> "median std of ∂L/∂W (log scale)";
        };
    }

    /** A dashed grey horizontal line across the data's x range. */
    private static void reference(XYChart c, double y, String name) {
        double lo = c.getSeriesMap().values().stream().mapToDouble(XYSeries::getXMin).min().orElse(0);
        double hi = c.getSeriesMap().values().stream().mapToDouble(XYSeries::getXMax).max().orElse(1);
        XYSeries s = ChartStyle.line(c, name, new double[] {lo, hi}, new double[] {y, y}, new Color(0x888888), true);
        s.setMarker(SeriesMarkers.NONE);
    }

    /**
     * One y range for the panels: on a log axis whole decades, else the data's range; with {@code sameX}, x from 0
     * to the widest (panels of different lengths, as the time-step figure's, keep their own x).
     */
    static void share(List<XYChart> charts, boolean log, boolean sameX) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        for (XYChart c : charts) {
            for (XYSeries s : c.getSeriesMap().values()) {
                if (s.isShowInLegend() || s.getXYSeriesRenderStyle() == XYSeries.XYSeriesRenderStyle.PolygonArea) {
                    min = Math.min(min, s.getYMin());
                    max = Math.max(max, s.getYMax());
                }
            }
            maxX = Math.max(maxX, c.getStyler().getXAxisMax() == null ? maxX : c.getStyler().getXAxisMax());
        }
        if (!(max >= min) || charts.stream().anyMatch(c -> c.getStyler().getYAxisMax() != null && !log)) {
            return; // nothing drawn, or a fixed range already (fractions)
        }
        for (XYChart c : charts) {
            if (log && min > 0) {
                c.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(min))));
                c.getStyler().setYAxisMax(Math.pow(10, Math.ceil(Math.log10(max))));
            } else if (!log) {
                c.getStyler().setYAxisMin(min).setYAxisMax(max);
            }
            if (sameX && Double.isFinite(maxX)) {
                c.getStyler().setXAxisMax(maxX);
            }
        }
    }

    /** The plotted points of a named series, for tests: x and y as drawn. */
    static double[][] points(XYChart c, String series) {
        XYSeries s = c.getSeriesMap().get(series);
        return s == null ? null : new double[][] {Arrays.copyOf(s.getXData(), s.getXData().length),
            Arrays.copyOf(s.getYData(), s.getYData().length)};
    }
}
