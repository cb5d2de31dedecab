package io.gradsweep.stats;

/**
 * {@link LaneSums}' sum and sum of squares over values that arrive one at a time in slice order (a strided
 * {@link SequenceView}), in the same order, so a layer read in place has the statistics of its values copied out.
 */
final class LaneAccumulator {
    private final double[] sums = new double[LaneSums.LANES];
    private final double[] squares = new double[LaneSums.LANES];
    private final int blocks;
    private int count;
    private double sum;
    private double sumSq;

    /** For a slice of {@code length} values. */
    LaneAccumulator(int length) {
        this.blocks = length & ~(LaneSums.LANES - 1);
    }

    void add(float f) {
        double x = f;
        if (count < blocks) {
            int lane = count & (LaneSums.LANES - 1);
            sums[lane] += x;
            squares[lane] += x * x;
        } else {
            if (count == blocks) {
                combine();
            }
            sum += x;
            sumSq += x * x;
        }
        count++;
    }

    double sum() {
        finish();
        return sum;
    }

    double sumSq() {
        finish();
        return sumSq;
    }

    /** A slice of whole blocks has no tail to trigger the combination (combining again changes nothing). */
    private void finish() {
        if (count == blocks) {
            combine();
        }
    }

    private void combine() {
        sum = LaneSums.combine(sums[0], sums[1], sums[2], sums[3], sums[4], sums[5], sums[6], sums[7]);
        sumSq = LaneSums.combine(squares[0], squares[1], squares[2], squares[3], squares[4], squares[5], squares[6],
                squares[7]);
    }
}
