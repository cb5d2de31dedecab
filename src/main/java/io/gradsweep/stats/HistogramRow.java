package io.gradsweep.stats;

import java.util.ArrayList;
import java.util.List;

/**
 * One bin of a weight or gradient distribution. Bins are fixed and identical for every trial, so counts can be
 * summed across trials in SQL: {@code sign} is -1, 0 (exact zeros) or +1, and {@code bin} indexes |value| by
 * decade, [1e-10 * 10^(bin-1), 1e-10 * 10^bin), with bin 0 below 1e-10 and bin 14 at or above 1e3.
 * {@code afterEpochs} is 0 for the initial state and k after k epochs; gradient histograms are taken from the first
 * minibatch (0) and the last minibatch of each epoch (k).
 */
public record HistogramRow(String trialId, int afterEpochs, int layer, String param, String kind, int sign, int bin,
                           Double binLo, Double binHi, long count) {
    public static final int BINS = 15;
    static final double SMALLEST = 1e-10;

    /** Lower edge of a bin of |value|; null for the open-ended bin 0. */
    public static Double lower(int bin) {
        return bin == 0 ? null : SMALLEST * Math.pow(10, bin - 1);
    }

    /** Upper edge of a bin of |value|; null for the open-ended last bin. */
    public static Double upper(int bin) {
        return bin == BINS - 1 ? null : SMALLEST * Math.pow(10, bin);
    }

    static int binOf(double magnitude) {
        if (magnitude < SMALLEST) {
            return 0;
        }
        // Clamped as a double: an infinite value would overflow the int cast; it belongs to the top bin.
        double b = 1 + Math.floor(Math.log10(magnitude / SMALLEST));
        return (int) Math.min(BINS - 1, b);
    }

    /** The non-empty bins of {@code scale * v[offset .. offset+length)}; NaN values are counted nowhere. */
    public static List<HistogramRow> of(String trialId, int afterEpochs, int layer, String param, String kind,
                                        float[] v, int offset, int length, double scale) {
        long[][] counts = new long[2][BINS];
        long zeros = 0;
        for (int i = offset; i < offset + length; i++) {
            double x = v[i] * scale;
            if (x == 0) {
                zeros++;
            } else if (!Double.isNaN(x)) {
                counts[x < 0 ? 0 : 1][binOf(Math.abs(x))]++;
            }
        }
        List<HistogramRow> rows = new ArrayList<>();
        if (zeros > 0) {
            rows.add(new HistogramRow(trialId, afterEpochs, layer, param, kind, 0, 0, 0.0, 0.0, zeros));
        }
        for (int s = 0; s < 2; s++) {
            for (int b = 0; b < BINS; b++) {
                if (counts[s][b] > 0) {
                    rows.add(new HistogramRow(trialId, afterEpochs, layer, param, kind, s == 0 ? -1 : 1, b,
                            lower(b), upper(b), counts[s][b]));
                }
            }
        }
        return rows;
    }
}
