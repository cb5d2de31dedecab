package io.gradsweep.model;

import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras's {@code Orthogonal(gain=1)}: a Gaussian matrix orthonormalised (QR with a positive diagonal of R, which is
 * what modified Gram-Schmidt yields), so W has orthonormal columns, or rows when it is wider than tall. The Gaussian
 * draws come from ND4J's generator, which DL4J seeds with the trial seed before initialising.
 */
public final class Orthogonal implements IWeightInit {

    @Override
    public INDArray init(double fanIn, double fanOut, long[] shape, char order, INDArray paramView) {
        int rows = (int) shape[0];
        int cols = (int) shape[1];
        boolean wide = rows < cols;
        double[][] q = orthonormalColumns(wide ? cols : rows, wide ? rows : cols, Nd4j.getRandom());
        double[] flat = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                flat[i * cols + j] = wide ? q[j][i] : q[i][j];
            }
        }
        INDArray w = Nd4j.create(flat, new long[] {rows, cols}, 'c').castTo(paramView.dataType());
        paramView.assign(w.reshape(order, paramView.shape()[0], paramView.shape()[1]).dup(order));
        return paramView.reshape(order, shape);
    }

    /** An n x k (n >= k) matrix with orthonormal columns, from Gaussian draws. */
    static double[][] orthonormalColumns(int n, int k, Random rng) {
        double[][] a = new double[n][k];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                a[i][j] = rng.nextGaussian();
            }
        }
        for (int j = 0; j < k; j++) {
            for (int p = 0; p < j; p++) {
                double dot = 0;
                for (int i = 0; i < n; i++) {
                    dot += a[i][j] * a[i][p];
                }
                for (int i = 0; i < n; i++) {
                    a[i][j] -= dot * a[i][p];
                }
            }
            double norm = 0;
            for (int i = 0; i < n; i++) {
                norm += a[i][j] * a[i][j];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < n; i++) {
                a[i][j] /= norm;
            }
        }
        return a;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Orthogonal;
    }

    @Override
    public int hashCode() {
        return Orthogonal.class.hashCode();
    }
}
