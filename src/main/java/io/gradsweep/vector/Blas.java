package io.gradsweep.vector;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasColMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The three per-trial matrix products of a dense layer, as direct OpenBLAS calls on the group's native buffers.
 *
 * <p>ND4J's batched matmul spends ~4 us of bookkeeping per [K] slice of a tiny net, ten times the product itself;
 * calling {@code cblas_sgemm} slice by slice costs a fraction of that. Each call is the one DL4J's layers make
 * (weights column-major, activations row-major), down to which operand is A and which is B, so the results are
 * DL4J's bit for bit: OpenBLAS's Haswell kernels round a product and its transpose (z = xW and z^T = W^T x^T)
 * differently, and a row-major call is the transposed column-major one. Operands are given as base (non-view)
 * arrays plus element offsets; one pointer per array is repositioned per call, so nothing is allocated.
 */
final class Blas {
    private Blas() {
    }

    /** A reusable pointer to a base array's first element. */
    static FloatPointer pointer(INDArray base) {
        if (base.isView() || base.offset() != 0) {
            throw new IllegalArgumentException("a base array is needed, not a view");
        }
        return new FloatPointer(base.data().addressPointer());
    }

    /**
     * z[rows, out] = x[rows, in] * w^T, with w row-major [out, in] (DL4J's column-major [in, out]); z is written
     * column-major, as ND4J's mmul computes it before copying it into the layer's c-order activations.
     */
    static void forward(FloatPointer x, long xAt, FloatPointer w, long wAt, FloatPointer z, long zAt, int rows,
                        int in, int out) {
        cblas_sgemm(CblasColMajor, CblasTrans, CblasNoTrans, rows, out, in, 1f, x.position(xAt), in,
                w.position(wAt), in, 0f, z.position(zAt), rows);
    }

    /**
     * dw[out, in] = delta[rows, out]^T * x[rows, in]: DL4J's column-major weight gradient. ND4J derives the BLAS
     * call from the operands' strides; a single-column delta counts as contiguous along the minibatch and so
     * selects the NN kernel rather than NT, whose sums round differently.
     */
    static void weightGradient(FloatPointer delta, long deltaAt, FloatPointer x, long xAt, FloatPointer dw,
                               long dwAt, int rows, int in, int out) {
        if (out == 1) {
            cblas_sgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, in, 1, rows, 1f, x.position(xAt), in,
                    delta.position(deltaAt), rows, 0f, dw.position(dwAt), in);
        } else {
            cblas_sgemm(CblasColMajor, CblasNoTrans, CblasTrans, in, out, rows, 1f, x.position(xAt), in,
                    delta.position(deltaAt), out, 0f, dw.position(dwAt), in);
        }
    }

    /** eps[rows, in] = delta[rows, out] * w[out, in]: the gradient with respect to the layer's input. */
    static void inputGradient(FloatPointer delta, long deltaAt, FloatPointer w, long wAt, FloatPointer eps,
                              long epsAt, int rows, int in, int out) {
        cblas_sgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, in, rows, out, 1f, w.position(wAt), in,
                delta.position(deltaAt), out, 0f, eps.position(epsAt), in);
    }

    /**
     * A column-major product C = op(A) op(B) + beta C, each operand transposed or not as {@code transA} and
     * {@code transB} say: the call ND4J's gemm makes for DL4J's recurrent layers, whose operands are f- or c-order
     * blocks (see {@link BatchedRnn}).
     */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, FloatPointer a, long aAt, int lda,
                     FloatPointer b, long bAt, int ldb, float beta, FloatPointer c, long cAt, int ldc) {
        cblas_sgemm(CblasColMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans, m, n, k,
                1f, a.position(aAt), lda, b.position(bAt), ldb, beta, c.position(cAt), ldc);
    }

    /**
     * A conv layer's z[m, out] = im2col2d[m, patch] * W[patch, out] (z column-major), the product {@link #forward}
     * makes for DL4J's c-order im2col2d, with the im2col matrix stored column-major instead. Only the operand's
     * storage and so OpenBLAS's packing routine differ (its NN rather than TN driver): the packed panels, the
     * kernel and its order of summation are the same, so the values are, which the CNN exactness suites check.
     */
    static void convForward(FloatPointer col, long colAt, FloatPointer w, long wAt, FloatPointer z, long zAt, int m,
                            int patch, int out) {
        cblas_sgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, m, out, patch, 1f, col.position(colAt), m,
                w.position(wAt), patch, 0f, z.position(zAt), m);
    }

    /**
     * A conv layer's weight gradient dW^T[patch, out] = im2col2d[m, patch]^T * delta2d[out, m]^T, as ND4J runs
     * DL4J's {@code gemm(im2col2d, delta2d, dW2df, true, true)}: delta2d c-order, dW column-major, and the im2col
     * matrix column-major [m, patch] as {@link #convForward} reads it (so the transposed flag here, where DL4J's
     * c-order matrix takes none).
     */
    static void convWeightGradient(FloatPointer col, long colAt, FloatPointer delta, long deltaAt, FloatPointer dw,
                                   long dwAt, int m, int patch, int out) {
        cblas_sgemm(CblasColMajor, CblasTrans, CblasNoTrans, patch, out, m, 1f, col.position(colAt), m,
                delta.position(deltaAt), m, 0f, dw.position(dwAt), patch);
    }

    /**
     * A conv layer's patch gradient eps[patch, m] (column-major) = W2d[patch, out] * delta2d[out, m], DL4J's
     * {@code w2d.mmul(delta2d)}; ND4J's own call costs 100 times this one for the shipped CNN's shapes.
     */
    static void convInputGradient(FloatPointer w, long wAt, FloatPointer delta, long deltaAt, FloatPointer eps,
                                  long epsAt, int m, int patch, int out) {
        cblas_sgemm(CblasColMajor, CblasNoTrans, CblasTrans, patch, m, out, 1f, w.position(wAt), patch,
                delta.position(deltaAt), m, 0f, eps.position(epsAt), patch);
    }
}
