package io.gradsweep.report;

import io.gradsweep.report.ReportData.LayerMetric;
import io.gradsweep.report.ReportData.Trial;
import java.util.List;
import org.knowm.xchart.XYChart;

/** The report's over-time figures ({@link OverTimeFigures}) with their headings and captions. */
final class OverTimeSection {
    private OverTimeSection() {
    }

    static void write(HtmlPage page, Figures figures, ReportData data, Facets facets) {
        curves(page, figures, data, facets);
        layers(page, figures, data, "activations-over-time.png", "activations", "Saturation and dead units over time",
                List.of(LayerMetric.SATURATED, LayerMetric.DEAD), "From the activations table: per hidden layer, "
                + "the mean over the group's trials (and the window's iterations) of saturated_fraction (sigmoid, "
                + "tanh, softsign: outputs within 1% of the activation's bounds) or, for relu, of dead_fraction "
                + "(units that output 0 for every example of the minibatch). Glorot and Bengio's figure 2: saturated "
                + "top layers, or layers whose units die, stop passing gradient back.");
        meanAndStd(page, figures, data);
        timesteps(page, figures, data);
        layers(page, figures, data, "update-ratio.png", "update-ratio", "Update ratio over time",
                List.of(LayerMetric.UPDATE_RATIO), "The median over the group's trials of update_ratio = "
                + "‖applied update of W‖ / ‖W‖ per layer (log scale). Around 1e-3 is the usual rule of thumb "
                + "(dashed); far below, a layer barely learns; far above, it is unstable.");
        layers(page, figures, data, "grad-std-per-epoch.png", "grad-std-epochs", "Gradient std per layer over epochs",
                List.of(LayerMetric.GRAD_STD), "The classic vanishing-gradient plot: the median over the group's "
                + "trials and the epoch's recorded iterations of std(∂L/∂W) per layer (log scale). Lines that sit "
                + "decades apart, the first hidden layer lowest, mean gradients vanish on their way back.");
    }

    private static void curves(HtmlPage page, Figures figures, ReportData data, Facets facets) {
        if (data.curves().isEmpty()) {
            return;
        }
        String split = data.trials().stream().map(Trial::split).filter("test"::equals).findFirst().orElse("train");
        page.heading(2, "curves", "Loss and accuracy per epoch, by " + facets.describeLines());
        figures.add("curves.png", () -> ChartStyle.grid(OverTimeFigures.curves(data.curves(), facets, split), 2),
                "loss and accuracy per epoch");
        page.paragraph("caption", "From the epochs table, on the " + split + " set: one line per configuration ("
                + facets.describeLines() + "), the median over its trials after each epoch; the shaded band spans "
                + "their lowest to highest value. Seeds" + (facets.pooled().isEmpty() ? "" : " and "
                + String.join(", ", facets.pooled())) + " are pooled into each line"
                + (facets.panel() == null ? "." : "; one row of panels per " + facets.panel() + ", on shared axes.")
                + " Non-finite losses (diverged trials) are left out.");
    }

    private static void meanAndStd(HtmlPage page, Figures figures, ReportData data) {
        if (data.overTime().stream().noneMatch(s -> s.metric() == LayerMetric.ACT_MEAN)) {
            return;
        }
        String heading = "Activation mean and std over time";
        page.heading(2, "activation-values", heading);
        figures.add("activation-mean-std.png", () -> ChartStyle.grid(OverTimeFigures.meanAndStd(data.overTime()), 2),
                heading.toLowerCase(java.util.Locale.ROOT));
        page.paragraph("caption", "From the activations table: per hidden layer, the mean over the group's trials "
                + "(and the window's iterations) of each minibatch's mean and std of the layer's outputs, over "
                + "examples and units; non-finite values (diverged trials) are left out. Glorot and Bengio's "
                + "figure 2: in deep sigmoid nets the top hidden layer's mean falls towards 0 early in training "
                + "while the layers below stay near 0.5. One row per activation (and depth, when the sweep has "
                + "several): the mean on the left, the std on the right, each column on shared axes; lines run "
                + "from the first hidden layer (dark) to the last (light).");
    }

    private static void timesteps(HtmlPage page, Figures figures, ReportData data) {
        if (data.timesteps().isEmpty()) {
            return;
        }
        String heading = "Gradient through time";
        page.heading(2, "timesteps", heading);
        figures.add("timestep-gradients.png", () -> {
            List<XYChart> panels = TimestepFigures.panels(data.timesteps());
            return ChartStyle.grid(panels, Math.min(OverTimeFigures.COLUMNS, panels.size()));
        }, "gradient through time per recurrent model and sequence length");
        page.paragraph("caption", "From the timestep_gradients table: for each input step t, the L2 norm of the "
                + "loss's gradient with respect to that step's input, relative to the last step's, per recorded "
                + "iteration; the median over the group's trials and iterations, at each trial's first recorded "
                + "update (dark) and in each epoch after it (lighter). A line that falls far below 1 towards t = 0 "
                + "is the vanishing gradient through time: the first inputs barely move the loss. One panel per "
                + "model and sequence length (other axes pooled), on one log scale (past 12 decades, log10 of "
                + "the ratio on each panel's own linear axis; exact zeros, underflow, are not drawn). With one "
                + "trial per group, the values at t = 0 are the timestep-ratio analysis's first_ratio and "
                + "median_ratio. Non-finite ratios are left out.");
    }

    private static void layers(HtmlPage page, Figures figures, ReportData data, String file, String id,
                               String heading, List<LayerMetric> metrics, String caption) {
        if (data.overTime().stream().noneMatch(s -> metrics.contains(s.metric()))) {
            return; // e.g. no activation with a saturation measure, or outputs without update ratios
        }
        page.heading(2, id, heading);
        figures.add(file, () -> {
            List<XYChart> panels = OverTimeFigures.layers(data.overTime(), metrics);
            return ChartStyle.grid(panels, Math.min(OverTimeFigures.COLUMNS, panels.size()));
        }, heading.toLowerCase(java.util.Locale.ROOT));
        page.paragraph("caption", caption + " One panel per activation (and depth, when the sweep has several), "
                + "on shared axes; lines run from the first hidden layer (dark) to the last" + (metrics.contains(
                LayerMetric.SATURATED) ? " hidden layer" : " layer, the output layer") + " (light). Runs longer "
                + "than " + ReportLoader.POINTS + " iterations are summarised in windows, the same for every trial.");
    }
}
