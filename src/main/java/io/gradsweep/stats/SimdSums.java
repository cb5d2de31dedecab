package io.gradsweep.stats;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link LaneSums} on Java's Vector API: eight floats per load, widened to two vectors of four doubles (lanes 0-3
 * and 4-7), so each lane's adds and products are those of the scalar loop, bit for bit. Loaded only where the
 * {@code jdk.incubator.vector} module is present.
 */
final class SimdSums {
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_256;
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_256;

    private SimdSums() {
    }

    /** Whether this CPU runs 256-bit vectors natively; without them the Vector API is far slower than scalar. */
    static boolean supported() {
        return FloatVector.SPECIES_PREFERRED.vectorBitSize() >= FLOATS.vectorBitSize();
    }

    static double[] of(float[] v, int offset, int length) {
        DoubleVector sumLow = DoubleVector.zero(DOUBLES);
        DoubleVector sumHigh = sumLow;
        DoubleVector absLow = sumLow;
        DoubleVector absHigh = sumLow;
        DoubleVector sqLow = sumLow;
        DoubleVector sqHigh = sumLow;
        FloatVector max = FloatVector.zero(FLOATS);
        int i = offset;
        int blocks = offset + (length & ~(LaneSums.LANES - 1));
        for (; i < blocks; i += LaneSums.LANES) {
            FloatVector f = FloatVector.fromArray(FLOATS, v, i);
            DoubleVector low = (DoubleVector) f.convertShape(VectorOperators.F2D, DOUBLES, 0);
            DoubleVector high = (DoubleVector) f.convertShape(VectorOperators.F2D, DOUBLES, 1);
            sumLow = sumLow.add(low);
            sumHigh = sumHigh.add(high);
            absLow = absLow.add(low.abs());
            absHigh = absHigh.add(high.abs());
            sqLow = sqLow.add(low.mul(low));
            sqHigh = sqHigh.add(high.mul(high));
            max = max.max(f.abs());
        }
        // The vector max propagates NaN where the scalar loop skips it; Moments.of reports NaN either way.
        float largest = max.reduceLanes(VectorOperators.MAX);
        return LaneSums.tail(v, i, offset + length, combine(sumLow, sumHigh), combine(absLow, absHigh),
                combine(sqLow, sqHigh), largest);
    }

    private static double combine(DoubleVector low, DoubleVector high) {
        return LaneSums.combine(low.lane(0), low.lane(1), low.lane(2), low.lane(3),
                high.lane(0), high.lane(1), high.lane(2), high.lane(3));
    }
}
