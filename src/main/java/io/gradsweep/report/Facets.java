package io.gradsweep.report;

import io.gradsweep.report.ReportData.Trial;
import java.util.ArrayList;
import java.util.List;

/**
 * How the over-time figures split a sweep. A configuration is one combination of the line axes (the heatmaps' two
 * axes, seed left out: seeds are what a line's median and band summarise). A third axis that varies gets one panel
 * per value (small multiples) instead of being pooled into the lines; any axis beyond that is pooled, and the page
 * says which.
 *
 * @param lines  the axes whose values make one line each, in heatmap order; empty when nothing but seed varies
 * @param panel  the axis with one panel per value, or null
 * @param pooled the other varying axes, summarised inside each line
 */
record Facets(List<String> lines, String panel, List<String> pooled) {
    /** Small multiples of more panels than this would be unreadable: such an axis is pooled instead. */
    static final int MAX_PANELS = 8;

    Facets {
        lines = List.copyOf(lines);
        pooled = List.copyOf(pooled);
    }

    static Facets of(List<Trial> trials, List<String> requestedAxes) {
        List<String> varying = GridHeatmaps.PREFERRED.stream().filter(a -> !a.equals("seed")
                && GridHeatmaps.values(trials, a).size() > 1 && !ContinuousAxes.continuous(trials, a)).toList();
        List<String> lines = GridHeatmaps.chooseAxes(trials, requestedAxes).stream().filter(varying::contains)
                .toList();
        String panel = varying.stream().filter(a -> !lines.contains(a)
                && GridHeatmaps.values(trials, a).size() <= MAX_PANELS).findFirst().orElse(null);
        List<String> shown = new ArrayList<>(lines);
        if (panel != null) {
            shown.add(panel);
        }
        // widths follows depth and width: an axis that never varies within one line of one panel is not pooled
        List<String> pooled = GridHeatmaps.PREFERRED.stream().filter(a -> !a.equals("seed")
                && GridHeatmaps.values(trials, a).size() > 1 && !shown.contains(a)
                && combinations(trials, shown) != combinations(trials, concat(shown, a))).toList();
        return new Facets(lines, panel, pooled);
    }

    private static long combinations(List<Trial> trials, List<String> axes) {
        return trials.stream().map(t -> axes.stream().map(t::axis).toList()).distinct().count();
    }

    private static List<String> concat(List<String> axes, String axis) {
        List<String> all = new ArrayList<>(axes);
        all.add(axis);
        return all;
    }

    /** The columns a SQL query groups by to get one row per line and panel. */
    List<String> columns() {
        List<String> columns = new ArrayList<>(lines);
        if (panel != null) {
            columns.add(panel);
        }
        return columns;
    }

    /** A line's name from its axis values: "sigmoid, normal(0,1)"; "all trials" when no axis but seed varies. */
    static String lineName(List<String> values) {
        return values.isEmpty() ? "all trials" : String.join(", ", values);
    }

    /** "activation × initializer", or "all trials". */
    String describeLines() {
        return lines.isEmpty() ? "all trials" : String.join(" × ", lines);
    }
}
