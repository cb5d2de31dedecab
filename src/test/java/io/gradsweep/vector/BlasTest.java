package io.gradsweep.vector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Each {@link Blas} product against the ND4J call DL4J's dense layers make for it, bit for bit, on one trial's
 * slice of a three-trial buffer. The training tests only see a product that rounds differently after it has
 * drifted through many steps; here it shows at once. Which orientation of a product OpenBLAS rounds like depends on
 * the kernels it picks for the CPU (on Haswell kernels z = x W and z^T = W^T x differ), so a mismatch here on a
 * new machine names the product to fix.
 */
class BlasTest {
    private static final int[] ROWS = {1, 2, 3, 4, 7, 8, 16, 17, 33, 100};

    @ParameterizedTest
    @CsvSource({"2, 40", "40, 24", "24, 4", "3, 3", "1, 7", "5, 1", "48, 1", "300, 1", "784, 48", "48, 16",
            "16, 10", "64, 64", "200, 3"})
    void everyProductIsTheOneDl4jComputes(int in, int out) {
        Random random = new Random(in * 1000L + out);
        for (int rows : ROWS) {
            for (int t = 0; t < 3; t += 2) {
                float[] x = values(random, rows * in, true);
                float[] params = values(random, in * out + out, false);
                float[] delta = values(random, rows * out, false);
                String at = "in=" + in + " out=" + out + " rows=" + rows + " trial=" + t;

                // DL4J: input.mmuli(W, z) into c-order activations; Nd4j.gemm(input, delta, dW, true, false);
                // W.mmuli(delta^T, epsNext) into an f-order [in, rows] array, which it then transposes.
                INDArray w = array(params).get(NDArrayIndex.interval(0, (long) in * out)).reshape('f', in, out);
                INDArray input = array(x).reshape('c', rows, in);
                INDArray d = array(delta).reshape('c', rows, out);
                INDArray z = Nd4j.createUninitialized(DataType.FLOAT, new long[] {rows, out}, 'c');
                input.mmuli(w, z);
                INDArray dw = Nd4j.create(DataType.FLOAT, new long[] {in, out}, 'f');
                Nd4j.gemm(input, d, dw, true, false, 1.0, 0.0);
                INDArray eps = Nd4j.createUninitialized(DataType.FLOAT, new long[] {in, rows}, 'f');
                w.mmuli(d.transpose(), eps);

                int xs = rows * in;
                int ps = in * out + out;
                int ds = rows * out;
                INDArray xg = group(x, t);
                INDArray pg = group(params, t);
                INDArray dg = group(delta, t);
                INDArray zg = Nd4j.create(DataType.FLOAT, 3L * ds);
                INDArray dwg = Nd4j.create(DataType.FLOAT, 3L * ps);
                INDArray epsg = Nd4j.create(DataType.FLOAT, 3L * xs);
                Blas.forward(Blas.pointer(xg), t * xs, Blas.pointer(pg), t * ps, Blas.pointer(zg), t * ds, rows,
                        in, out);
                Blas.weightGradient(Blas.pointer(dg), t * ds, Blas.pointer(xg), t * xs, Blas.pointer(dwg),
                        t * ps, rows, in, out);
                Blas.inputGradient(Blas.pointer(dg), t * ds, Blas.pointer(pg), t * ps, Blas.pointer(epsg),
                        t * xs, rows, in, out);

                // The engine's z is column-major, as ND4J's before its copy into c order: compare as f-order.
                assertThat(slice(zg, t * ds, ds)).as("forward " + at).containsExactly(flat(z, 'f'));
                assertThat(slice(dwg, t * ps, in * out)).as("weight gradient " + at).containsExactly(flat(dw, 'f'));
                assertThat(slice(epsg, t * xs, xs)).as("input gradient " + at).containsExactly(flat(eps, 'f'));
            }
        }
    }

    /**
     * The conv products read the im2col matrix column-major [m, patch], the transpose of DL4J's c-order im2col2d,
     * with the transposed flag: both must still give ND4J's values for DL4J's calls, {@code im2col2d.mmul(W)} and
     * {@code gemm(im2col2d, delta2d, dW, true, true)}, bit for bit, at the shipped CNN's shapes (batch 32 at 14 x 14
     * positions: the stem's 9-value patches, the blocks' 72) and small odd ones.
     */
    @ParameterizedTest
    @CsvSource({"6272, 72, 8", "6272, 9, 8", "1568, 36, 4", "100, 27, 3", "5, 72, 8", "3136, 144, 16"})
    void theConvProductsOnTransposedPatchesAreDl4jsOnItsCOrderOnes(int m, int patch, int out) {
        Random random = new Random(m * 31L + patch * 7L + out);
        for (int t = 0; t < 3; t += 2) {
            float[] col = values(random, m * patch, true);
            float[] w = values(random, patch * out, false);
            float[] delta = values(random, out * m, false);
            String at = "m=" + m + " patch=" + patch + " out=" + out + " trial=" + t;

            INDArray im2col2d = array(col).reshape('c', m, patch);
            INDArray w2d = array(w).reshape('f', patch, out);
            INDArray z = Nd4j.createUninitialized(DataType.FLOAT, new long[] {m, out}, 'c');
            im2col2d.mmuli(w2d, z);
            INDArray dw = Nd4j.create(DataType.FLOAT, new long[] {patch, out}, 'f');
            Nd4j.gemm(im2col2d, array(delta).reshape('c', out, m), dw, true, true, 1.0, 0.0);

            int cs = m * patch;
            INDArray colg = group(flat(im2col2d, 'f'), t);
            INDArray wg = group(w, t);
            INDArray dg = group(delta, t);
            INDArray zg = Nd4j.create(DataType.FLOAT, 3L * m * out);
            INDArray dwg = Nd4j.create(DataType.FLOAT, 3L * patch * out);
            Blas.convForward(Blas.pointer(colg), (long) t * cs, Blas.pointer(wg), (long) t * patch * out,
                    Blas.pointer(zg), (long) t * m * out, m, patch, out);
            Blas.convWeightGradient(Blas.pointer(colg), (long) t * cs, Blas.pointer(dg), (long) t * out * m,
                    Blas.pointer(dwg), (long) t * patch * out, m, patch, out);

            assertThat(slice(zg, t * m * out, m * out)).as("conv forward " + at).containsExactly(flat(z, 'f'));
            assertThat(slice(dwg, t * patch * out, patch * out)).as("conv weight gradient " + at)
                    .containsExactly(flat(dw, 'f'));
        }
    }

    /** Gaussian values; the inputs, like relu outputs, about half zeros. */
    private static float[] values(Random random, int n, boolean relu) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
            if (relu && v[i] < 0) {
                v[i] = 0;
            }
        }
        return v;
    }

    private static INDArray array(float[] v) {
        return Nd4j.create(v, new long[] {v.length}, DataType.FLOAT);
    }

    /** {@code v} as trial {@code t}'s slice of a buffer of three. */
    private static INDArray group(float[] v, int t) {
        float[] all = new float[3 * v.length];
        System.arraycopy(v, 0, all, t * v.length, v.length);
        return array(all);
    }

    private static float[] slice(INDArray a, int from, int length) {
        float[] v = new float[length];
        System.arraycopy(a.toFloatVector(), from, v, 0, length);
        return v;
    }

    private static float[] flat(INDArray a, char order) {
        return Nd4j.toFlattened(order, a).toFloatVector();
    }
}
