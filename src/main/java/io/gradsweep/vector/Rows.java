package io.gradsweep.vector;

import java.util.Arrays;

/** Host loops over row-major [rows, units] blocks, shared by the groups' backward passes. */
final class Rows {
    private Rows() {
    }

    /**
     * {@code sums[at + j]} = the sum over rows of column j of {@code block[from ..]} ([rows, units], row-major), from
     * zero in row order, as DL4J sums a bias gradient. The rows run in the outer loop, so that the units' sums are
     * independent chains over contiguous values rather than one dependent chain at a time over a strided column.
     */
    static void sumRows(float[] block, int from, int rows, int units, float[] sums, int at) {
        Arrays.fill(sums, at, at + units, 0f);
        for (int r = 0, row = from; r < rows; r++, row += units) {
            for (int j = 0; j < units; j++) {
                sums[at + j] += block[row + j];
            }
        }
    }
}
