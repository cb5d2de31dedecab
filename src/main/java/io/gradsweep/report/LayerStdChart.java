package io.gradsweep.report;

import io.gradsweep.report.ReportData.LayerProfile;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Gradient std against layer index, one line per activation: at initialisation and at the end of training. Drawn
 * for ∂L/∂W and, where recorded, for ∂L/∂s.
 */
final class LayerStdChart {
    private LayerStdChart() {
    }

    static byte[] png(List<LayerProfile> profiles) {
        return png(profiles, "layer index (0 = first hidden layer; highest = output layer)",
                "median std of ∂L/∂W (log scale)");
    }

    static byte[] png(List<LayerProfile> profiles, String xLabel, String yLabel) {
        XYChart init = panel("At initialisation (first recorded iteration)", xLabel, yLabel);
        XYChart end = panel("End of training (last recorded iteration)", xLabel, yLabel);
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (int i = 0; i < profiles.size(); i++) {
            LayerProfile p = profiles.get(i);
            var color = ChartStyle.CATEGORICAL[i % ChartStyle.CATEGORICAL.length];
            for (XYSeries s : new XYSeries[] {ChartStyle.line(init, p.group(), p.layer(), p.initStd(), color, false),
                ChartStyle.line(end, p.group(), p.layer(), p.endStd(), color, false)}) {
                if (s != null) { // few points per line: mark each layer
                    s.setMarker(SeriesMarkers.CIRCLE);
                }
            }
            for (double[] s : List.of(p.initStd(), p.endStd())) {
                for (double v : s) {
                    if (Double.isFinite(v) && v > 0) {
                        min = Math.min(min, v);
                        max = Math.max(max, v);
                    }
                }
            }
        }
        // One y range for both panels, whole decades, so the two can be compared at a glance.
        if (max > 0) {
            for (XYChart c : List.of(init, end)) {
                c.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(min))));
                c.getStyler().setYAxisMax(Math.pow(10, Math.ceil(Math.log10(max))));
            }
        }
        ChartStyle.finish(init, false);
        ChartStyle.finish(end, false);
        ChartStyle.noteIfEmpty(init, "no positive finite values");
        ChartStyle.noteIfEmpty(end, "no positive finite values");
        return ChartStyle.png(List.of(init, end));
    }

    private static XYChart panel(String title, String xLabel, String yLabel) {
        XYChart c = ChartStyle.xy(title, xLabel, yLabel);
        c.getStyler().setYAxisLogarithmic(true);
        c.getStyler().setMarkerSize(7);
        return c;
    }
}
