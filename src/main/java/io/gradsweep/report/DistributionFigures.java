package io.gradsweep.report;

import io.gradsweep.report.ReportData.Histogram;
import io.gradsweep.report.ReportData.SmallGradients;
import io.gradsweep.report.ReportData.Trial;
import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The classic weight-histogram figure, from the histograms table: one panel per hidden layer, each showing how W (or
 * ∂L/∂W) spreads over signed decades at the start of training and at its end. Vanishing gradients show as the first
 * layers' gradients sitting in smaller decades, nearer the zero in the middle, than the last layers'. A line chart
 * adds the per-epoch share of gradient entries too small to train: TensorBoard's distribution view, reduced to the
 * one number that matters here.
 */
final class DistributionFigures {
    /** Two rows of four: enough layers to see a trend through a deep net, without shrinking the panels. */
    static final int MAX_PANELS = 8;
    static final int COLUMNS = 4;
    static final int PANEL_WIDTH = 420;
    static final int PANEL_HEIGHT = 330;

    /** The start as grey bars behind, the end as an orange outline on top: both stay readable where they overlap. */
    private static final Color START = new Color(0x9e9e9e);
    private static final Color END = ChartStyle.CATEGORICAL[1];

    private DistributionFigures() {
    }

    /** Small multiples for one trial and one kind ("weight" or "gradient"), hidden layers first to last. */
    static byte[] histograms(Trial trial, String kind, List<Histogram> all) {
        List<Histogram> mine = all.stream()
                .filter(h -> h.trialId().equals(trial.trialId()) && h.kind().equals(kind)).toList();
        if (mine.isEmpty()) {
            XYChart empty = ChartStyle.xy(kind + " distributions", "", "");
            ChartStyle.noteIfEmpty(empty, "no " + kind + " histograms recorded");
            return ChartStyle.png(List.of(empty));
        }
        int last = mine.stream().mapToInt(Histogram::afterEpochs).max().orElseThrow();
        double top = Math.min(1, Math.ceil(mine.stream().flatMapToDouble(h -> Arrays.stream(h.fraction())).max()
                .orElse(1) * 10 + 1e-9) / 10); // one y scale for all panels, so layers compare at a glance
        List<Chart<?, ?>> panels = new ArrayList<>();
        for (int layer : TrialFigures.spread(mine.stream().map(Histogram::layer).distinct().sorted().toList(),
                MAX_PANELS)) {
            panels.add(panel(mine, layer, trial.depth(), kind, last, top));
        }
        return ChartStyle.grid(panels, COLUMNS);
    }

    private static XYChart panel(List<Histogram> mine, int layer, int depth, String kind, int last, double top) {
        boolean weights = kind.equals("weight");
        XYChart c = ChartStyle.xy(TrialFigures.layerName(layer, depth) + ", " + (weights ? "W" : "∂L/∂W"),
                weights ? "weight, by signed decade" : "gradient, by signed decade", "fraction of entries",
                PANEL_WIDTH, PANEL_HEIGHT);
        // No padding around the data: the bars stand on the x axis, and ticks beyond the outer bars fall off it.
        c.getStyler().setPlotContentSize(1.0);
        c.getStyler().setXAxisMin(x(-0.5)).setXAxisMax(x(SignedBins.COUNT - 0.5));
        c.getStyler().setYAxisMin(0.0).setYAxisMax(top);
        c.getStyler().setYAxisDecimalPattern("0.0#");
        c.getStyler().setxAxisTickLabelsFormattingFunction(DistributionFigures::tickLabel);
        // The bar edges are equally spaced, and XChart would then put a tick on every edge; one invisible point at
        // a bar's centre breaks the spacing and brings back round tick steps.
        XYSeries helper = c.addSeries(" ", new double[] {0}, new double[] {0});
        helper.setMarker(SeriesMarkers.NONE);
        helper.setLineColor(new Color(0, 0, 0, 0));
        helper.setShowInLegend(false);
        double[] start = fraction(mine, layer, 0);
        XYSeries bars = bars(c, weights ? "initialisation" : "first minibatch", start);
        bars.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
        bars.setFillColor(START);
        bars.setLineColor(START);
        if (last > 0) {
            double[] end = fraction(mine, layer, last);
            String name = (weights ? "after " + last + " epochs" : "last minibatch of epoch " + last)
                    + (end == null ? ": no finite values" : "");
            XYSeries outline = bars(c, name, end);
            outline.setLineColor(END);
            outline.setLineStyle(new BasicStroke(2f));
        }
        return c;
    }

    /**
     * Bars as one outline: each position's value held from its left edge to its right edge. A decade is half an x
     * unit, so XChart's round tick steps land on every fourth decade: ..., -1e-4, -1e-8, 0, 1e-8, 1e-4, 1, ...
     */
    private static XYSeries bars(XYChart c, String name, double[] fraction) {
        double[] f = fraction == null ? new double[SignedBins.COUNT] : fraction;
        double[] xs = new double[2 * f.length];
        double[] ys = new double[2 * f.length];
        for (int i = 0; i < f.length; i++) {
            xs[2 * i] = x(i - 0.5);
            xs[2 * i + 1] = x(i + 0.5);
            ys[2 * i] = f[i];
            ys[2 * i + 1] = f[i];
        }
        XYSeries s = c.addSeries(name, xs, ys);
        s.setMarker(SeriesMarkers.NONE);
        return s;
    }

    private static double x(double position) {
        return (position - SignedBins.ZERO) / 2;
    }

    /**
     * XChart asks for labels beyond the axis too, and gives up on ticks unless every label it asks for is distinct:
     * anything that is not a bar's centre gets its own number, which is never drawn at the round steps used here.
     */
    private static String tickLabel(double x) {
        double position = x * 2 + SignedBins.ZERO;
        long i = Math.round(position);
        boolean centre = Math.abs(position - i) < 1e-6 && i >= 0 && i < SignedBins.COUNT;
        return centre ? SignedBins.label((int) i) : String.format(Locale.ROOT, "%.3f", x);
    }

    /**
     * The per-epoch share of each hidden layer's |∂L/∂W| below {@link SignedBins#SMALL}, layers dark (first) to
     * light (last hidden); at most {@link TrialFigures#MAX_LAYERS} of them.
     */
    static byte[] smallGradients(Trial trial, List<SmallGradients> all) {
        List<SmallGradients> shown = TrialFigures.spread(all.stream()
                .filter(s -> s.trialId().equals(trial.trialId())).toList(), TrialFigures.MAX_LAYERS);
        XYChart c = ChartStyle.xy("Gradient entries below 1e-6", "epochs trained (0 = first minibatch)",
                "fraction of |∂L/∂W| < 1e-6");
        for (int i = 0; i < shown.size(); i++) {
            SmallGradients g = shown.get(i);
            XYSeries line = ChartStyle.line(c, TrialFigures.layerName(g.layer(), trial.depth()), g.afterEpochs(),
                    g.fraction(), ChartStyle.sequential(i, shown.size()), false);
            if (line != null && g.afterEpochs().length <= 30) { // few epochs: mark each one
                line.setMarker(SeriesMarkers.CIRCLE);
            }
        }
        c.getStyler().setYAxisMin(0.0);
        c.getStyler().setYAxisMax(1.0);
        ChartStyle.finish(c, true);
        ChartStyle.noteIfEmpty(c, "no gradient histograms recorded");
        return ChartStyle.png(List.of(c));
    }

    /** The layer's fractions at {@code afterEpochs}, or null when nothing finite was counted there. */
    private static double[] fraction(List<Histogram> mine, int layer, int afterEpochs) {
        return mine.stream().filter(h -> h.layer() == layer && h.afterEpochs() == afterEpochs)
                .map(Histogram::fraction).findFirst().orElse(null);
    }
}
