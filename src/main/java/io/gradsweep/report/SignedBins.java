package io.gradsweep.report;

import io.gradsweep.stats.HistogramRow;
import java.util.ArrayList;
import java.util.List;

/**
 * The x axis of the distribution figures: the histograms table's (sign, bin) pairs laid out as one signed log axis,
 * from the most negative decade through exact zeros to the most positive one. The number line runs left to right,
 * so the negative side lists its decades from large to small.
 */
final class SignedBins {
    /** Positions on the axis: every bin of |value| once per sign, plus the zeros in the middle. */
    static final int COUNT = 2 * HistogramRow.BINS + 1;
    static final int ZERO = HistogramRow.BINS;

    /**
     * Gradients smaller than this count as vanished in the per-epoch view: an update of lr × 1e-6 (1e-9 at the
     * usual lr 1e-3) is below float32 resolution for weights of order 1, so such entries no longer train.
     */
    static final double SMALL = 1e-6;

    private SignedBins() {
    }

    static int index(int sign, int bin) {
        if (bin < 0 || bin >= HistogramRow.BINS) {
            throw new IllegalArgumentException("histogram bin " + bin + " outside 0.." + (HistogramRow.BINS - 1));
        }
        return sign == 0 ? ZERO : sign < 0 ? ZERO - 1 - bin : ZERO + 1 + bin;
    }

    /**
     * One label per position: the decade's edge nearest zero with the sign, so "1e-3" is [1e-3, 1e-2) and "-1e-3"
     * is (-1e-2, -1e-3]; the open ends read "<1e-10", "≥1e3" and their mirror images ">-1e-10", "≤-1e3".
     */
    static List<String> labels() {
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            labels.add(label(i));
        }
        return labels;
    }

    static String label(int index) {
        if (index == ZERO) {
            return "0";
        }
        int bin = Math.abs(index - ZERO) - 1;
        boolean negative = index < ZERO;
        if (bin == 0) {
            return (negative ? ">-" : "<") + decade(HistogramRow.upper(0));
        }
        String edge = (negative ? "-" : "") + decade(HistogramRow.lower(bin));
        return bin < HistogramRow.BINS - 1 ? edge : (negative ? "≤" : "≥") + edge;
    }

    /** How many bins of |value| lie wholly below {@code edge}, which must be one of the bin edges. */
    static int binsBelow(double edge) {
        for (int b = 0; b < HistogramRow.BINS - 1; b++) {
            if (Math.abs(HistogramRow.upper(b) / edge - 1) < 1e-9) {
                return b + 1;
            }
        }
        throw new IllegalArgumentException(edge + " is not a histogram bin edge");
    }

    /** 1e-6, 0.001, 1, 100, 1e3: short enough to sit under a bar. */
    private static String decade(double v) {
        int e = (int) Math.round(Math.log10(v));
        return switch (e) {
            case -2 -> "0.01";
            case -1 -> "0.1";
            case 0 -> "1";
            case 1 -> "10";
            case 2 -> "100";
            default -> "1e" + e;
        };
    }
}
