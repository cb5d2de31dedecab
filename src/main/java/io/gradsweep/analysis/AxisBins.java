package io.gradsweep.analysis;

import io.gradsweep.InvalidInputException;
import java.util.Map;

/**
 * How an analysis groups a continuous axis into bins, for sampled sweeps where every trial has its own value: a
 * learning rate on a log scale ({@code bins} per decade), a dropout rate linearly ({@code bins} equal bins of
 * [0, 1]). A bin is labelled by its lower edge. The expressions use only what Spark SQL and DuckDB share; the edge
 * is nudged by 1e-9 of a bin so that a value on an edge (0.001 at one bin per decade) lands in its own bin on both
 * engines whatever the last bit of their log10, and rounded to 12 decimals so both print the same label.
 */
final class AxisBins {
    /** The binnable axes and the scale of each. */
    static final Map<String, Scale> BINNABLE = Map.of("learning_rate", Scale.LOG, "dropout", Scale.LINEAR);

    enum Scale { LOG, LINEAR }

    private AxisBins() {
    }

    /** The SQL that gives the axis's value: the bare column, or its bin's lower edge when binning applies. */
    static String expression(String column, double bins) {
        Scale scale = BINNABLE.get(column);
        if (bins == 0 || scale == null) {
            return column;
        }
        String k = "CAST(" + bins + " AS DOUBLE)"; // a bare 0.5 is a DECIMAL to Spark
        return switch (scale) {
            case LOG -> "round(power(10, CAST(floor(log10(" + column + ") * " + k + " + 1e-9) AS DOUBLE) / " + k
                    + "), 12)";
            case LINEAR -> "round(CAST(floor(" + column + " * " + k + " + 1e-9) AS DOUBLE) / " + k + ", 12)";
        };
    }

    /**
     * Refuses bins that would bin nothing, or a negative count.
     *
     * @throws InvalidInputException naming 'bins', its value and the axes it applies to
     */
    static void check(String analysis, double bins, String rows, String columns) {
        String expected = "expected 0 (no binning), or a positive number with 'rows' or 'columns' one of "
                + String.join(", ", BINNABLE.keySet().stream().sorted().toList());
        if (bins < 0 || bins > 0 && !BINNABLE.containsKey(rows) && !BINNABLE.containsKey(columns)) {
            throw new InvalidInputException("Cannot run analysis '" + analysis + "': 'bins' is "
                    + AnalysisParam.plain(bins) + " with rows=" + rows + " and columns=" + columns + "; " + expected);
        }
    }
}
