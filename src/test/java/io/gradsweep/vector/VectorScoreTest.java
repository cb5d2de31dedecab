package io.gradsweep.vector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** The premise of BatchedMlp's score shortcut, checked on DL4J's own loss objects: finite pre-outputs, finite score. */
class VectorScoreTest {
    @Test
    void clippedCrossEntropiesAreFiniteForEveryFinitePreOutput() {
        float[] extremes = {-Float.MAX_VALUE, -1e30f, -88.8f, -1e-30f, 0f, 1e-30f, 88.8f, 1e30f, Float.MAX_VALUE};
        int n = extremes.length;
        INDArray binaryLabels = Nd4j.create(DataType.FLOAT, n, 1);
        binaryLabels.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n / 2)).assign(1);
        INDArray z = Nd4j.create(extremes, new long[] {n, 1}, DataType.FLOAT);
        INDArray binary = LossFunction.XENT.getILossFunction()
                .computeScoreArray(binaryLabels, z, new ActivationSigmoid(), null);
        assertThat(binary.toFloatVector()).doesNotContain(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY)
                .hasSize(n);
        INDArray rows = Nd4j.create(DataType.FLOAT, (long) n * n, 3);
        INDArray labels = Nd4j.create(DataType.FLOAT, (long) n * n, 3);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                rows.putRow(i * n + j, Nd4j.create(new float[] {extremes[i], extremes[j], 0f}));
                labels.putScalar(i * n + j, (i + j) % 3, 1);
            }
        }
        INDArray multi = LossFunction.MCXENT.getILossFunction()
                .computeScoreArray(labels, rows, new ActivationSoftmax(), null);
        assertThat(multi.toFloatVector()).doesNotContain(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY)
                .hasSize(n * n);
        for (float bad : List.of(Float.NaN, Float.POSITIVE_INFINITY)) {
            INDArray nonFinite = Nd4j.create(new float[] {bad, 0f, 0f}, new long[] {1, 3}, DataType.FLOAT);
            float score = LossFunction.MCXENT.getILossFunction().computeScoreArray(labels.getRow(0, true),
                    nonFinite, new ActivationSoftmax(), null).getFloat(0);
            assertThat(Float.isFinite(score)).as("a non-finite pre-output can make the score non-finite").isFalse();
        }
    }
}
