package io.gradsweep.report;

import io.gradsweep.report.ReportData.LayerTrace;
import io.gradsweep.report.ReportData.LossCurve;
import io.gradsweep.report.ReportData.Trial;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The classic per-trial figures over training: mean and std of each layer's weight gradient next to the loss, and
 * the weights' own mean and std. Lines are coloured dark (first hidden layer) to light (output layer).
 */
final class TrialFigures {
    /** Deep nets would drown the legend: at most this many layers are drawn, evenly spread, ends included. */
    static final int MAX_LAYERS = 9;

    private static final String ITERATION = "iteration (minibatch updates)";

    /** The series of iterations where some layer's gradient norm was NaN or infinite. */
    static final String NON_FINITE = "not finite";

    private TrialFigures() {
    }

    /** Four panels, two by two: mean gradient, gradient std (log y), gradient L2 norm (log y), loss per epoch. */
    static byte[] gradients(Trial trial, List<LayerTrace> traces, LossCurve loss) {
        List<LayerTrace> shown = pickLayers(traces);
        XYChart mean = ChartStyle.xy("Mean gradient per layer", ITERATION, "mean of ∂L/∂W");
        XYChart std = ChartStyle.xy("Gradient std per layer", ITERATION, "std of ∂L/∂W (log scale)");
        std.getStyler().setYAxisLogarithmic(true);
        addLayers(mean, shown, trial.depth(), LayerTrace::gradMean);
        addLayers(std, shown, trial.depth(), LayerTrace::gradStd);
        return ChartStyle.grid(List.of(mean, std, gradL2(trial, traces), loss(loss)), 2);
    }

    /**
     * The tutorials' exploding-gradient plot: ‖∂L/∂W‖₂ of each layer over training (log y). Where any layer's norm
     * stopped being finite, a red × sits on the panel's top line, so an explosion reads as where the lines end.
     */
    static XYChart gradL2(Trial trial, List<LayerTrace> traces) {
        XYChart c = ChartStyle.xy("Gradient L2 norm per layer", ITERATION, "‖∂L/∂W‖₂ (log scale)");
        c.getStyler().setYAxisLogarithmic(true);
        addLayers(c, pickLayers(traces), trial.depth(), LayerTrace::gradL2);
        SortedSet<Double> broken = new TreeSet<>();
        for (LayerTrace t : traces) { // every layer, drawn or not: an explosion in a hidden one counts
            for (int i = 0; i < t.iteration().length; i++) {
                if (t.gradNonFinite()[i] > 0) {
                    broken.add(t.iteration()[i]);
                }
            }
        }
        double top = c.getSeriesMap().values().stream().mapToDouble(XYSeries::getYMax).max()
                .orElse(1);
        if (!broken.isEmpty()) {
            double[] xs = broken.stream().mapToDouble(Double::doubleValue).toArray();
            double[] ys = new double[xs.length];
            Arrays.fill(ys, top);
            XYSeries x = c.addSeries(NON_FINITE, xs, ys);
            x.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            x.setMarker(SeriesMarkers.CROSS);
            x.setMarkerColor(new Color(0xD62728));
        }
        return c;
    }

    /** Two panels: mean and std of the weights per layer. */
    static byte[] weights(Trial trial, List<LayerTrace> traces) {
        List<LayerTrace> shown = pickLayers(traces);
        XYChart mean = ChartStyle.xy("Weight mean per layer", ITERATION, "mean of W");
        boolean log = ChartStyle.spansDecades(shown.stream().map(LayerTrace::weightStd).toList());
        XYChart std = ChartStyle.xy("Weight std per layer", ITERATION, "std of W" + (log ? " (log scale)" : ""));
        std.getStyler().setYAxisLogarithmic(log);
        addLayers(mean, shown, trial.depth(), LayerTrace::weightMean);
        addLayers(std, shown, trial.depth(), LayerTrace::weightStd);
        return ChartStyle.png(List.of(mean, std));
    }

    private static XYChart loss(LossCurve loss) {
        List<double[]> values = new ArrayList<>();
        if (loss != null) {
            values.add(loss.trainLoss());
            if (loss.testLoss() != null) {
                values.add(loss.testLoss());
            }
        }
        boolean log = ChartStyle.spansDecades(values);
        XYChart c = ChartStyle.xy("Loss after each epoch", "epoch",
                "cross-entropy loss (nats)" + (log ? ", log scale" : ""));
        c.getStyler().setYAxisLogarithmic(log);
        if (loss != null) {
            ChartStyle.line(c, "train", loss.epoch(), loss.trainLoss(), ChartStyle.CATEGORICAL[0], false);
            if (loss.testLoss() != null) {
                ChartStyle.line(c, "test", loss.epoch(), loss.testLoss(), ChartStyle.CATEGORICAL[1], true);
            }
        }
        ChartStyle.finish(c, true);
        ChartStyle.noteIfEmpty(c, "no finite loss recorded");
        return c;
    }

    private static void addLayers(XYChart c, List<LayerTrace> shown, int depth,
                                  Function<LayerTrace, double[]> values) {
        if (shown.size() > 5) { // more names than fit under a panel: a column on its right, as in the sweep figures
            ChartStyle.legendOnRight(c);
        }
        for (int i = 0; i < shown.size(); i++) {
            LayerTrace t = shown.get(i);
            Color color = ChartStyle.sequential(i, shown.size());
            ChartStyle.line(c, layerName(t.layer(), depth), t.iteration(), values.apply(t), color, false);
        }
        ChartStyle.finish(c, true);
        boolean log = c.getStyler().isYAxisLogarithmic();
        ChartStyle.noteIfEmpty(c, log ? "no positive finite values" : "no finite values");
    }

    static String layerName(int layer, int depth) {
        if (layer == depth) {
            return "output";
        }
        return "layer " + layer + (layer == 0 && depth > 1 ? " (first)" : "");
    }

    /** All layers when few, else MAX_LAYERS spread evenly from the first hidden layer to the output layer. */
    static List<LayerTrace> pickLayers(List<LayerTrace> traces) {
        return spread(traces, MAX_LAYERS);
    }

    /** All items when at most {@code max}, else {@code max} of them spread evenly, both ends included. */
    static <T> List<T> spread(List<T> items, int max) {
        if (items.size() <= max) {
            return items;
        }
        List<T> picked = new ArrayList<>();
        for (int i = 0; i < max; i++) {
            T t = items.get((int) Math.round((double) i * (items.size() - 1) / (max - 1)));
            if (!picked.contains(t)) {
                picked.add(t);
            }
        }
        return picked;
    }
}
