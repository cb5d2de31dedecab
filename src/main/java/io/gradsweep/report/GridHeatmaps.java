package io.gradsweep.report;

import io.gradsweep.InvalidInputException;
import io.gradsweep.analysis.AnalysisParam;
import io.gradsweep.report.ReportData.Trial;
import io.gradsweep.spec.GridAxis;
import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.style.HeatMapStyler;

/**
 * Two heatmaps over two grid axes: mean accuracy, and the median vanishing ratio (grad_ratio, first/last hidden
 * layer gradient std) on a log colour scale, red where gradients vanish and blue where they grow.
 */
public final class GridHeatmaps {
    /**
     * Axes tried in this order when none are given: the first two with more than one value win. Activation x
     * initializer is the classic vanishing-gradient picture, so initializer comes second; the rest follow in
     * {@link GridAxis} order.
     */
    static final List<String> PREFERRED = Stream.concat(Stream.of(GridAxis.ACTIVATION, GridAxis.INITIALIZER),
            Arrays.stream(GridAxis.values())).map(GridAxis::column).distinct().toList();

    private GridHeatmaps() {
    }

    /**
     * One cell per (row value, column value); null where no trial has a value.
     *
     * @param rows    values of the row axis, in grid order
     * @param columns values of the column axis, in grid order
     */
    record Grid(String rowAxis, String columnAxis, List<String> rows, List<String> columns, Double[][] accuracy,
                Double[][] gradRatio) {
    }

    /** Validates --axes; cheap, so the command calls it before starting Spark. Empty means "choose for me". */
    public static void check(List<String> requested) {
        for (String axis : requested) {
            if (!PREFERRED.contains(axis)) {
                throw new InvalidInputException("Cannot draw heatmaps: '--axes' is '" + axis + "'; expected one of "
                        + String.join(", ", PREFERRED));
            }
        }
        if (!requested.isEmpty() && (requested.size() != 2 || requested.get(0).equals(requested.get(1)))) {
            throw new InvalidInputException("Cannot draw heatmaps: '--axes' is '" + String.join(",", requested)
                    + "'; expected two different axes, e.g. activation,initializer");
        }
    }

    static List<String> chooseAxes(List<Trial> trials, List<String> requested) {
        check(requested);
        if (!requested.isEmpty()) {
            return requested;
        }
        // a sampled numeric axis gets a scatter of its own (ContinuousAxes), not a heatmap column per value
        List<String> axes = new ArrayList<>(PREFERRED.stream().filter(a -> values(trials, a).size() > 1
                && !ContinuousAxes.continuous(trials, a)).toList());
        PREFERRED.stream().filter(a -> !axes.contains(a)).forEach(axes::add);
        return axes.subList(0, 2);
    }

    static Grid aggregate(List<Trial> trials, String rowAxis, String columnAxis) {
        return aggregate(trials, rowAxis, columnAxis, values(trials, rowAxis), values(trials, columnAxis));
    }

    /** Over the given rows and columns, so that small multiples share their axes. */
    static Grid aggregate(List<Trial> trials, String rowAxis, String columnAxis, List<String> rows,
                          List<String> columns) {
        assert AnalysisParam.AXES.contains(rowAxis) && AnalysisParam.AXES.contains(columnAxis);
        Double[][] accuracy = new Double[rows.size()][columns.size()];
        Double[][] ratio = new Double[rows.size()][columns.size()];
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < columns.size(); c++) {
                String rv = rows.get(r);
                String cv = columns.get(c);
                List<Trial> cell = trials.stream()
                        .filter(t -> rv.equals(t.axis(rowAxis)) && cv.equals(t.axis(columnAxis))).toList();
                double[] acc = cell.stream().filter(t -> t.accuracy() != null).mapToDouble(Trial::accuracy)
                        .toArray();
                double[] gr = cell.stream().filter(t -> t.gradRatio() != null && t.gradRatio() > 0
                        && Double.isFinite(t.gradRatio())).mapToDouble(Trial::gradRatio).sorted().toArray();
                accuracy[r][c] = acc.length == 0 ? null : Arrays.stream(acc).average().orElseThrow();
                ratio[r][c] = gr.length == 0 ? null : gr.length % 2 == 1 ? gr[gr.length / 2]
                        : (gr[gr.length / 2 - 1] + gr[gr.length / 2]) / 2;
            }
        }
        return new Grid(rowAxis, columnAxis, rows, columns, accuracy, ratio);
    }

    /** Distinct values of an axis in grid order (the order of their first trial). */
    static List<String> values(List<Trial> trials, String axis) {
        return trials.stream().sorted(Comparator.comparingInt(Trial::index)).map(t -> t.axis(axis)).distinct()
                .toList();
    }

    static byte[] png(Grid g) {
        List<Number[]> accuracyCells = cells(g, g.accuracy(), false);
        List<Number[]> ratioCells = cells(g, g.gradRatio(), true);
        String ratioTitle = "Median grad_ratio, log10 (-1 = 10x smaller)";
        if (accuracyCells.isEmpty() || ratioCells.isEmpty()) {
            // XChart rejects a heatmap without cells: a sweep of failed trials, or of depth 1 (no ratio).
            return ChartStyle.png(List.of(
                    accuracyCells.isEmpty() ? empty("Mean accuracy", "no trial has an accuracy")
                            : accuracy(g, "Mean accuracy"),
                    ratioCells.isEmpty() ? empty(ratioTitle, "no trial has a grad_ratio (depth 1?)")
                            : ratio(g, ratioTitle, span(List.of(g)))));
        }
        return ChartStyle.png(List.of(accuracy(g, "Mean accuracy"), ratio(g, ratioTitle, span(List.of(g)))));
    }

    /**
     * One grid per value of {@code panelAxis} (the trials that have it), over the rows and columns of the whole
     * sweep, in grid order.
     */
    static List<Grid> byPanel(List<Trial> trials, String rowAxis, String columnAxis, String panelAxis) {
        List<String> rows = values(trials, rowAxis);
        List<String> columns = values(trials, columnAxis);
        return values(trials, panelAxis).stream().map(v -> aggregate(trials.stream()
                .filter(t -> v.equals(t.axis(panelAxis))).toList(), rowAxis, columnAxis, rows, columns)).toList();
    }

    /**
     * Small multiples: one row per value of the panel axis, mean accuracy on the left and log10 grad_ratio on the
     * right, every panel on one colour scale and titled with its value.
     */
    static byte[] smallMultiples(List<Grid> grids, String panelAxis, List<String> panelValues) {
        double span = span(grids);
        List<org.knowm.xchart.internal.chartpart.Chart<?, ?>> panels = new ArrayList<>();
        for (int i = 0; i < grids.size(); i++) {
            Grid g = grids.get(i);
            String at = ", " + panelAxis + " = " + panelValues.get(i);
            boolean noAccuracy = cells(g, g.accuracy(), false).isEmpty();
            boolean noRatio = cells(g, g.gradRatio(), true).isEmpty();
            panels.add(noAccuracy ? empty("Mean accuracy" + at, "no trial has an accuracy")
                    : accuracy(g, "Mean accuracy" + at));
            panels.add(noRatio ? empty("log10 grad_ratio" + at, "no trial has a grad_ratio")
                    : ratio(g, "Median grad_ratio, log10" + at, span));
        }
        return ChartStyle.grid(panels, 2);
    }

    /** Whole decades covering every ratio of the grids, at least one: a colour scale symmetric about 1. */
    private static double span(List<Grid> grids) {
        double span = 1;
        for (Grid g : grids) {
            for (Double[] row : g.gradRatio()) {
                for (Double v : row) {
                    span = v == null ? span : Math.max(span, Math.ceil(Math.abs(Math.log10(v))));
                }
            }
        }
        return span;
    }

    private static HeatMapChart accuracy(Grid g, String title) {
        HeatMapChart c = chart(g, title);
        c.getStyler().setMin(0).setMax(1).setHeatMapValueDecimalPattern("0.000")
                .setRangeColors(new Color[] {new Color(0xfff5eb), new Color(0xfdae6b), new Color(0x74c476)});
        c.addSeries("accuracy", g.columns(), reversed(g.rows()), cells(g, g.accuracy(), false));
        return c;
    }

    /**
     * XChart formats cell values with a DecimalFormat only, so the cells show log10 itself: -1 reads as "the first
     * layer's gradients are 10x smaller". A whole-decade range keeps the colour bar labels round.
     */
    private static HeatMapChart ratio(Grid g, String title, double span) {
        HeatMapChart c = chart(g, title);
        c.getStyler().setMin(-span).setMax(span).setHeatMapValueDecimalPattern("0.00")
                .setRangeColors(new Color[] {new Color(0xd6604d), new Color(0xf7f7f7), new Color(0x4393c3)});
        c.addSeries("log10 grad_ratio", g.columns(), reversed(g.rows()), cells(g, g.gradRatio(), true));
        return c;
    }

    private static org.knowm.xchart.XYChart empty(String title, String note) {
        org.knowm.xchart.XYChart c = ChartStyle.xy(title, "", "");
        ChartStyle.noteIfEmpty(c, note);
        return c;
    }

    /** XChart puts the first y category at the bottom; a table reads from the top. */
    private static List<String> reversed(List<String> values) {
        List<String> r = new ArrayList<>(values);
        java.util.Collections.reverse(r);
        return r;
    }

    private static HeatMapChart chart(Grid g, String title) {
        int width = Math.max(ChartStyle.PANEL_WIDTH, 160 + 110 * g.columns().size());
        int height = Math.max(ChartStyle.PANEL_HEIGHT, 140 + 48 * g.rows().size());
        HeatMapChart c = new HeatMapChartBuilder().width(width).height(height).title(title)
                .xAxisTitle(g.columnAxis()).yAxisTitle(g.rowAxis()).build();
        HeatMapStyler s = c.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setChartTitleBoxVisible(false);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setValueFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        s.setValueFontColor(Color.BLACK);
        s.setShowValue(true);
        s.setPiecewise(false);
        s.setDrawBorder(true);
        s.setPlotContentSize(1);
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        return c;
    }

    /** {column index, row index from the bottom, value} per known cell; log10 for ratios, symmetric about 1. */
    private static List<Number[]> cells(Grid g, Double[][] values, boolean log) {
        List<Number[]> cells = new ArrayList<>();
        for (int r = 0; r < g.rows().size(); r++) {
            for (int c = 0; c < g.columns().size(); c++) {
                Double v = values[r][c];
                if (v != null) {
                    cells.add(new Number[] {c, g.rows().size() - 1 - r, log ? Math.log10(v) : v});
                }
            }
        }
        return cells;
    }
}
