package io.gradsweep.stats;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Copies of ND4J arrays into Java arrays for the statistics, as one bulk read of the native buffer where the array
 * covers its whole buffer. ND4J's {@code toFloatVector} reads element by element through an indexer (on the
 * 784-256x11-10 net that cost more than the statistics themselves), and {@code Nd4j.toFlattened} runs a native op
 * with its allocations (on the 2-5-5-5-5-1 net a tenth of an update). The values are the same floats either way.
 */
public final class HostCopy {
    private HostCopy() {
    }

    /** A vector's elements in order, e.g. the flat parameter, gradient or update vector. */
    public static float[] vector(INDArray v) {
        return vector(v, null);
    }

    /**
     * As {@link #vector(INDArray)}, into {@code reuse} when it has the vector's length. On an MNIST-sized net each
     * copy is a 3.4 MB array, which G1 allocates as a humongous object: three per recorded iteration caused most
     * of the collections in a benchmark run, so a listener keeps its buffers.
     */
    public static float[] vector(INDArray v, float[] reuse) {
        if (!v.isVectorOrScalar()) {
            throw new IllegalArgumentException("not a vector: " + v.shapeInfoToString());
        }
        if (!whole(v)) {
            return v.toFloatVector();
        }
        return bulk(v, reuse != null && reuse.length == v.length() ? reuse : new float[(int) v.length()]);
    }

    /** A 2-D array's elements in row-major order, whatever its own ordering: [rows, cols] as rows one after another. */
    public static float[] rowMajor(INDArray a) {
        if (a.rank() == 2 && whole(a)) {
            int rows = (int) a.size(0);
            int cols = (int) a.size(1);
            long[] stride = a.stride();
            if (stride[0] == cols && stride[1] == 1) {
                return bulk(a);
            }
            if (stride[0] == 1 && stride[1] == rows) {
                return transposed(bulk(a), rows, cols);
            }
        }
        return Nd4j.toFlattened('c', a).toFloatVector();
    }

    /** Whether the array is exactly its float buffer, from the first element to the last, with nothing shared. */
    private static boolean whole(INDArray a) {
        return a.dataType() == DataType.FLOAT && a.offset() == 0 && a.data().length() == a.length();
    }

    private static float[] bulk(INDArray a) {
        return bulk(a, new float[(int) a.length()]);
    }

    private static float[] bulk(INDArray a, float[] out) {
        a.data().asNioFloat().get(out);
        return out;
    }

    /** Column-major [rows, cols] to row-major. */
    private static float[] transposed(float[] colMajor, int rows, int cols) {
        float[] out = new float[colMajor.length];
        for (int c = 0; c < cols; c++) {
            for (int r = 0; r < rows; r++) {
                out[r * cols + c] = colMajor[c * rows + r];
            }
        }
        return out;
    }
}
