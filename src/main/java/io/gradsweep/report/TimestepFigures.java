package io.gradsweep.report;

import io.gradsweep.report.ReportData.TimestepProfile;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;

/**
 * The vanishing gradient through time, as Bengio, Simard and Frasconi (1994) and Pascanu et al. (2013) draw it: one
 * panel per recurrent group (model and T), the gradient that reaches each input step relative to the last step's, at
 * the start of training and after each epoch.
 */
final class TimestepFigures {
    static final String FIRST_LINE = "first update";

    private TimestepFigures() {
    }

    /**
     * Beyond this many decades a log axis labels every decade into an unreadable column, so the panels plot
     * log10 of the ratio on a linear axis instead (long sequences: 1e-40 at T = 400).
     */
    static final int MAX_LOG_DECADES = 12;

    /** One panel per group, lines dark (start) to light (last epoch), at most {@link TrialFigures#MAX_LAYERS}. */
    static List<XYChart> panels(List<TimestepProfile> all) {
        boolean exponents = decades(all) > MAX_LOG_DECADES;
        List<String> groups = all.stream().map(TimestepFigures::group).distinct().toList();
        List<XYChart> charts = new ArrayList<>();
        for (String group : groups) {
            List<TimestepProfile> mine = all.stream().filter(p -> group(p).equals(group)).toList();
            List<TimestepProfile> shown = new ArrayList<>(mine.stream()
                    .filter(p -> p.line() == TimestepProfile.FIRST).toList());
            shown.addAll(TrialFigures.spread(mine.stream().filter(p -> p.line() != TimestepProfile.FIRST).toList(),
                    TrialFigures.MAX_LAYERS - shown.size()));
            // More names than fit under a panel go to a column on its right, which widens the panel.
            boolean side = shown.size() > 4;
            XYChart c = ChartStyle.xy(group + ": gradient reaching each step", "time step t", exponents
                    ? "log10 of ‖∂L/∂x_t‖ / ‖∂L/∂x_T-1‖" : "‖∂L/∂x_t‖ / ‖∂L/∂x_T-1‖ (log scale)",
                    ChartStyle.PANEL_WIDTH + (side ? 110 : 0), ChartStyle.PANEL_HEIGHT);
            if (side) {
                ChartStyle.legendOnRight(c);
            }
            c.getStyler().setYAxisLogarithmic(!exponents);
            for (int i = 0; i < shown.size(); i++) {
                TimestepProfile p = shown.get(i);
                double[] y = exponents ? log10(p.ratio()) : p.ratio();
                ChartStyle.line(c, lineName(p), p.t(), y, ChartStyle.sequential(i, shown.size()), false);
            }
            ChartStyle.finish(c, true);
            ChartStyle.noteIfEmpty(c, "no positive finite values");
            charts.add(c);
        }
        if (!exponents) {
            OverTimeFigures.share(charts, true, false); // one y range; x stays each panel's own, as T differs
        }
        return charts;
    }

    /** Decades between the smallest and the largest positive finite ratio. */
    static double decades(List<TimestepProfile> all) {
        double[] logs = all.stream().flatMapToDouble(p -> java.util.Arrays.stream(log10(p.ratio())))
                .filter(Double::isFinite).toArray();
        return logs.length == 0 ? 0 : java.util.Arrays.stream(logs).max().getAsDouble()
                - java.util.Arrays.stream(logs).min().getAsDouble();
    }

    /** log10 of each positive value; NaN for zeros (underflow) and non-finite values, which are not drawn. */
    private static double[] log10(double[] ratio) {
        double[] y = new double[ratio.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = ratio[i] > 0 && Double.isFinite(ratio[i]) ? Math.log10(ratio[i]) : Double.NaN;
        }
        return y;
    }

    static String group(TimestepProfile p) {
        return p.model() + ", T = " + p.length();
    }

    static String lineName(TimestepProfile p) {
        return p.line() == TimestepProfile.FIRST ? FIRST_LINE : "epoch " + p.line();
    }
}
