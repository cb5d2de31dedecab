package io.gradsweep.report;

import java.util.List;

/**
 * What {@code gradsweep report} was asked for.
 *
 * @param sweep  the sweep to report on; null picks the only sweep in {@code out}
 * @param trials trial ids to draw in detail; empty picks the best and the worst of each activation
 * @param axes   the two grid axes of the heatmaps; empty picks the first two that vary
 */
public record ReportOptions(String out, String sweep, String to, List<String> trials, List<String> axes,
                            String master) {
    public ReportOptions {
        trials = List.copyOf(trials);
        axes = List.copyOf(axes);
    }
}
