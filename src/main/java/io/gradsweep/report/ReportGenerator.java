package io.gradsweep.report;

import io.gradsweep.analysis.BestTrial;
import io.gradsweep.report.ReportData.LayerTrace;
import io.gradsweep.report.ReportData.LossCurve;
import io.gradsweep.report.ReportData.Trial;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Draws a report from {@link ReportData} (no Spark here) into a directory: {@code index.html}, which embeds every
 * chart and so can be sent on its own, and the same charts as PNG files for slides and papers.
 */
public final class ReportGenerator {
    private static final List<String> TRIAL_COLUMNS = List.of("trial_id", "activation", "depth", "width",
            "initializer", "optimizer", "learning_rate", "clipping", "seed", "status", "accuracy", "grad_ratio",
            "max_grad_l2");

    private ReportGenerator() {
    }

    /** The files written: the page first, then the PNGs in page order. */
    public record Written(Path html, List<Path> images) {
    }

    public static Written write(ReportData data, ReportOptions options) throws IOException {
        return write(data, options, ReportTarget.check(options.to()));
    }

    /** Writes into {@code target}, which the caller checked before loading {@code data}. */
    public static Written write(ReportData data, ReportOptions options, ReportTarget target) throws IOException {
        List<String> axes = GridHeatmaps.chooseAxes(data.trials(), options.axes());
        Facets facets = Facets.of(data.trials(), options.axes());
        List<Trial> chosen = TrialSelection.choose(data.trials(), options.trials());

        HtmlPage page = new HtmlPage("gradsweep report: " + data.sweep());
        try (Figures figures = new Figures(page)) {
            return write(data, target, chosen, axes, facets, page, figures);
        }
    }

    private static Written write(ReportData data, ReportTarget target, List<Trial> chosen, List<String> axes,
                                 Facets facets, HtmlPage page, Figures figures) throws IOException {
        Path dir = target.dir();
        page.paragraph("meta", "Dataset " + data.dataset() + ". " + data.trials().size() + " trials. Status: "
                + HtmlPage.counts(data.trials(), Trial::status) + ". Diagnosis: "
                + HtmlPage.counts(data.trials(), Trial::diagnosis) + ".");
        diagnosisSection(page, data.trials());
        gridSection(page, figures, data.trials(), axes, facets.panel());
        continuousSection(page, figures, data.trials());
        OverTimeSection.write(page, figures, data, facets);
        layerSection(page, figures, data);
        trialSection(page, figures, data, chosen);
        distributionSection(page, figures, data, chosen);

        Map<String, byte[]> images = figures.drawn(); // a figure that fails does so before anything is replaced
        target.prepare();
        Path html = dir.resolve("index.html");
        Files.writeString(html, page.finish());
        List<Path> files = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : images.entrySet()) {
            files.add(Files.write(dir.resolve(e.getKey()), e.getValue()));
        }
        List<Path> all = new ArrayList<>(List.of(html));
        all.addAll(files);
        target.finish(all);
        return new Written(html, files);
    }

    private static void diagnosisSection(HtmlPage page, List<Trial> trials) {
        page.heading(2, "diagnosis", "Trials by diagnosis");
        page.paragraph("caption", "diagnosis is what the job wrote to trials.diagnosis with the sweep's own "
                + "thresholds (stats.vanishing_ratio, stats.exploding_l2, stats.stalled_margin), except that a "
                + "trial whose status is diverged reads diverged. stalled: the final accuracy is below chance (the "
                + "majority-class rate) plus the margin, or a regression loss above (1 - margin) x the loss of "
                + "predicting the mean, while the gradients show neither vanishing nor exploding. grad_ratio is the "
                + "median over recorded iterations of std(∂L/∂W first "
                + "hidden layer) / std(∂L/∂W last hidden layer); accuracy is test accuracy when the sweep has a "
                + "split, else train accuracy.");
        List<String> activations = GridHeatmaps.values(trials, "activation");
        List<String> diagnoses = trials.stream().map(Trial::diagnosis).distinct().sorted().toList();
        List<String> header = new ArrayList<>(List.of("diagnosis"));
        header.addAll(activations);
        header.add("all");
        List<List<String>> rows = new ArrayList<>();
        for (String d : diagnoses) {
            List<String> row = new ArrayList<>(List.of(d));
            activations.forEach(a -> row.add(Long.toString(trials.stream()
                    .filter(t -> t.diagnosis().equals(d) && t.axis("activation").equals(a)).count())));
            row.add(Long.toString(trials.stream().filter(t -> t.diagnosis().equals(d)).count()));
            rows.add(row);
        }
        page.table(header, rows);
        for (String d : diagnoses) {
            List<Trial> group = BestTrial.bestFirst(trials.stream().filter(t -> t.diagnosis().equals(d)).toList(),
                    Trial::score);
            page.heading(3, null, d + " (" + group.size() + ")");
            page.table(TRIAL_COLUMNS, group.stream().limit(HtmlPage.MAX_LISTED).map(ReportGenerator::row).toList());
            if (group.size() > HtmlPage.MAX_LISTED) {
                page.paragraph("caption", "... and " + (group.size() - HtmlPage.MAX_LISTED) + " more; "
                        + "gradsweep query --analysis diagnosis lists them all.");
            }
        }
    }

    private static List<String> row(Trial t) {
        return List.of(t.trialId(), t.axis("activation"), t.axis("depth"), t.axis("width"), t.axis("initializer"),
                t.axis("optimizer"), t.axis("learning_rate"), t.axis("clipping"), t.axis("seed"), t.status(),
                HtmlPage.num(t.accuracy(), "%.4f"), HtmlPage.num(t.gradRatio(), "%.3g"),
                HtmlPage.num(t.maxGradL2(), "%.3g"));
    }

    private static void gridSection(HtmlPage page, Figures figures, List<Trial> trials, List<String> axes,
                                    String panelAxis) {
        GridHeatmaps.Grid grid = GridHeatmaps.aggregate(trials, axes.get(0), axes.get(1));
        page.heading(2, "grid", "Accuracy and vanishing ratio over " + axes.get(0) + " × " + axes.get(1));
        figures.add("grid-heatmaps.png", () -> GridHeatmaps.png(grid), "heatmaps of accuracy and grad_ratio");
        page.paragraph("caption", "Left: mean accuracy over the trials of each cell (other axes and seeds pooled). "
                + "Right: log10 of the cell's median grad_ratio: -1 means first-hidden-layer gradients 10× smaller "
                + "than the last hidden layer's; red cells vanish, blue ones grow. Empty cells have no trial with a "
                + "value. "
                + "Choose the axes with --axes ROW,COLUMN."
                + (panelAxis == null ? "" : " " + panelAxis + " varies too and is pooled here; below, one row per "
                + panelAxis + "."));
        if (panelAxis != null) {
            String file = "grid-heatmaps-by-" + panelAxis + ".png";
            page.heading(3, "grid-by-" + panelAxis, "The same, one row per " + panelAxis);
            figures.add(file, () -> GridHeatmaps.smallMultiples(GridHeatmaps.byPanel(trials, axes.get(0),
                    axes.get(1), panelAxis), panelAxis, GridHeatmaps.values(trials, panelAxis)),
                    "heatmaps of accuracy and grad_ratio per " + panelAxis);
            page.paragraph("caption", "Each row holds the trials with one " + panelAxis + "; all rows share the "
                    + "cells and the colour scales, so that a cell reads the same in every row.");
        }
    }

    /** Left out unless a numeric axis has more values than a heatmap can show, as a sampled one does. */
    private static void continuousSection(HtmlPage page, Figures figures, List<Trial> trials) {
        for (String axis : ContinuousAxes.of(trials)) {
            String file = "scatter-" + axis + ".png";
            page.heading(2, "scatter-" + axis, "Accuracy and vanishing ratio against " + axis);
            figures.add(file, () -> ContinuousAxes.png(trials, axis), "accuracy and grad_ratio against " + axis);
            page.paragraph("caption", axis + " has " + GridHeatmaps.values(trials, axis).size() + " distinct values "
                    + "(a sampled axis), too many for a heatmap cell each: every trial is one point, coloured by the "
                    + "other axes that vary. The x axis is logarithmic when the values span more than two decades. "
                    + "grad_ratio below 1 means first-hidden-layer gradients smaller than the last hidden layer's.");
        }
    }

    private static void layerSection(HtmlPage page, Figures figures, ReportData data) {
        page.heading(2, "layers", "Gradient std by layer");
        figures.add("layer-std.png", () -> LayerStdChart.png(data.profiles()), "gradient std against layer index");
        page.paragraph("caption", "Median over the trials of each activation of std(∂L/∂W) per layer, at each "
                + "trial's first and last recorded iteration. A line falling towards layer 0 means gradients vanish "
                + "on their way back; non-finite values and zeros cannot be shown on a log axis and are left out.");
        if (data.preactProfiles().isEmpty()) {
            return;
        }
        figures.add("layer-preact-std.png", () -> LayerStdChart.png(data.preactProfiles(),
                "hidden layer index (0 = first)", "median std of ∂L/∂s (log scale)"),
                "pre-activation gradient std against layer index");
        page.paragraph("caption", "The same for ∂L/∂s, the gradient at each hidden layer's pre-activations "
                + "(Glorot and Bengio 2010, figure 7 and eq. 14), over every example and unit of the recorded "
                + "minibatch. Unlike ∂L/∂W it leaves out the layer inputs' scale, so the two profiles can differ.");
    }

    private static void trialSection(HtmlPage page, Figures figures, ReportData data, List<Trial> chosen) {
        page.heading(2, "trials", "Selected trials");
        page.paragraph("caption", "By default the best and the worst trial of each activation (choose with "
                + "--trials ID,ID). Gradients are those of the mean minibatch loss before clipping; lines run from "
                + "the first hidden layer (dark) to the output layer (light). A red × on top of the L2 panel marks "
                + "where some layer's gradient norm was NaN or infinite: an explosion.");
        for (Trial t : chosen) {
            List<LayerTrace> traces = data.traces().stream().filter(x -> x.trialId().equals(t.trialId())).toList();
            LossCurve loss = data.losses().stream().filter(x -> x.trialId().equals(t.trialId())).findFirst()
                    .orElse(null);
            page.heading(3, "trial-" + t.trialId(), t.trialId() + ": " + t.label());
            long window = traces.isEmpty() ? 1 : traces.get(0).window();
            page.paragraph("meta", role(t, data.trials()) + "status " + t.status() + ", diagnosis "
                    + t.diagnosis() + ", " + t.split() + " accuracy " + HtmlPage.num(t.accuracy(), "%.4f")
                    + ", grad_ratio " + HtmlPage.num(t.gradRatio(), "%.3g") + "."
                    + (window > 1 ? " Each point summarises " + window + " iterations: the mean of the means, the "
                    + "median of the gradient stds and of the finite L2 norms." : ""));
            String gradients = "trial-" + t.trialId() + "-gradients.png";
            String weights = "trial-" + t.trialId() + "-weights.png";
            figures.add(gradients, () -> TrialFigures.gradients(t, traces, loss),
                    "gradients and loss of trial " + t.trialId());
            figures.add(weights, () -> TrialFigures.weights(t, traces), "weights of trial " + t.trialId());
        }
    }

    /** Left out when the histograms table is absent or empty, as in outputs written before it existed. */
    private static void distributionSection(HtmlPage page, Figures figures, ReportData data,
                                            List<Trial> chosen) {
        List<Trial> drawn = chosen.stream().filter(t -> data.histograms().stream()
                .anyMatch(h -> h.trialId().equals(t.trialId()))).toList();
        if (drawn.isEmpty()) {
            return;
        }
        page.heading(2, "distributions", "Weight and gradient distributions");
        page.paragraph("caption", "From the histograms table, for the selected trials: one panel per hidden layer's "
                + "W (at most " + DistributionFigures.MAX_PANELS + ", evenly spread). Each bar is one decade of "
                + "|value| on one side of zero, labelled by its edge nearest zero: 1e-3 holds values in [0.001, "
                + "0.01), -1e-3 those in (-0.01, -0.001], and 0 the exact zeros. Bars give the fraction of the "
                + "tensor's entries (NaN left out). Grey: weights at initialisation, or the gradient of the first "
                + "minibatch; orange outline: after the last epoch, or the gradient of its last minibatch. Vanishing "
                + "gradients show as the first layers' gradients sitting in smaller decades, nearer 0, than the last "
                + "layers'. The line chart gives, per epoch, the share of each hidden layer's gradient entries below "
                + "1e-6 in magnitude, exact zeros (such as relu's dead units) included; it comes from one minibatch "
                + "per epoch.");
        for (Trial t : drawn) {
            page.heading(3, "distributions-" + t.trialId(), t.trialId() + ": " + t.label());
            String prefix = "trial-" + t.trialId();
            for (String kind : List.of("weight", "gradient")) {
                figures.add(prefix + "-" + kind + "-histograms.png",
                        () -> DistributionFigures.histograms(t, kind, data.histograms()),
                        kind + " distributions of trial " + t.trialId());
            }
            figures.add(prefix + "-small-gradients.png",
                    () -> DistributionFigures.smallGradients(t, data.smallGradients()),
                    "share of small gradients of trial " + t.trialId());
        }
    }

    /** "Best of 5 sigmoid trials; " when the trial ranks best (or worst) of its activation, as {@link BestTrial}. */
    private static String role(Trial t, List<Trial> all) {
        List<Trial> same = BestTrial.rank(all.stream().filter(x -> x.axis("activation").equals(t.axis("activation")))
                .toList(), Trial::score);
        if (same.size() < 2 || !t.score().ranked()) {
            return "";
        }
        String of = " of " + same.size() + " " + t.axis("activation") + " trials; ";
        return BestTrial.BY_SCORE.compare(t.score(), same.get(0).score()) == 0 ? "Best" + of
                : BestTrial.BY_SCORE.compare(t.score(), same.get(same.size() - 1).score()) == 0 ? "Worst" + of : "";
    }
}
