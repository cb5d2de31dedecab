package io.gradsweep.stats;

/**
 * A recurrent layer's outputs for one trial, read in place from any strided layout: the value of example r at step
 * i and unit j is {@code values[offset + r * rowStride + i * stepStride + j * unitStride]}. Its sums run in the
 * order of the DL4J engine's [examples][steps][units] rows (r, then i, then j), so a vector group's step buffer
 * gives bit for bit the statistics of the transposed copy it no longer makes.
 */
public record SequenceView(float[] values, int offset, int rows, int steps, int units, int rowStride,
                           int stepStride, int unitStride) {

    public SequenceView {
        if (rows <= 0 || steps <= 0 || units <= 0) {
            throw new IllegalArgumentException("Cannot view a sequence: rows, steps and units are " + rows + ", "
                    + steps + ", " + units + "; expected all positive");
        }
        long last = offset + (long) (rows - 1) * rowStride + (long) (steps - 1) * stepStride
                + (long) (units - 1) * unitStride;
        if (offset < 0 || rowStride < 0 || stepStride < 0 || unitStride < 0 || last >= values.length) {
            throw new IllegalArgumentException("Cannot view a sequence: its last value is at " + last
                    + "; expected one below the array's length " + values.length);
        }
    }

    /** A contiguous [rows][steps][units] block at {@code offset}, as the DL4J engine hands its outputs over. */
    public static SequenceView rowMajor(float[] values, int offset, int rows, int steps, int units) {
        return new SequenceView(values, offset, rows, steps, units, steps * units, units, 1);
    }

    public int length() {
        return rows * steps * units;
    }

    /** The mean squared deviation from {@code mean}, summed in the same order as the sums. */
    double meanSquaredDeviation(double mean) {
        double dev = 0;
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < steps; i++) {
                int at = offset + r * rowStride + i * stepStride;
                for (int j = 0; j < units; j++) {
                    double d = values[at + j * unitStride] - mean;
                    dev += d * d;
                }
            }
        }
        return dev / length();
    }

    /** The fraction of units that are exactly zero for every example at every step. */
    double deadFraction() {
        int dead = 0;
        for (int j = 0; j < units; j++) {
            boolean zero = true;
            for (int r = 0; r < rows && zero; r++) {
                int at = offset + r * rowStride + j * unitStride;
                for (int i = 0; i < steps && zero; i++) {
                    zero = values[at + i * stepStride] == 0f;
                }
            }
            dead += zero ? 1 : 0;
        }
        return (double) dead / units;
    }
}
