package io.gradsweep.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class HostCopyTest {
    private static final float[] SIX = {1, 2, 3, 4, 5, 6};

    @Test
    void rowMajorWhateverTheOrdering() {
        INDArray c = Nd4j.create(SIX, new long[] {2, 3}, DataType.FLOAT);
        INDArray f = c.dup('f');
        assertThat(f.ordering()).isEqualTo('f');
        assertThat(HostCopy.rowMajor(c)).containsExactly(SIX);
        assertThat(HostCopy.rowMajor(f)).containsExactly(SIX);
        assertThat(HostCopy.rowMajor(c.transpose())).containsExactly(1, 4, 2, 5, 3, 6);
    }

    @Test
    void viewsThatShareABufferAreCopiedElementByElement() {
        INDArray big = Nd4j.create(new float[] {0, 0, 0, 1, 2, 3, 4, 5, 6}, new long[] {3, 3}, DataType.FLOAT);
        INDArray rows = big.get(NDArrayIndex.interval(1, 3), NDArrayIndex.all());
        assertThat(HostCopy.rowMajor(rows)).containsExactly(SIX);
        INDArray cols = big.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 3));
        assertThat(HostCopy.rowMajor(cols)).containsExactly(0, 0, 2, 3, 5, 6);
        assertThat(HostCopy.vector(big.getRow(2))).containsExactly(4, 5, 6);
    }

    @Test
    void vectorsInOrderAndOnlyVectors() {
        INDArray row = Nd4j.create(SIX, new long[] {1, 6}, DataType.FLOAT);
        assertThat(HostCopy.vector(row)).containsExactly(SIX);
        assertThat(HostCopy.vector(Nd4j.create(new double[] {1.5, -2}))).containsExactly(1.5f, -2f);
        assertThatThrownBy(() -> HostCopy.vector(row.reshape(2, 3))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBufferOfTheRightLengthIsReusedAndOverwritten() {
        INDArray row = Nd4j.create(SIX, new long[] {1, 6}, DataType.FLOAT);
        float[] buffer = {9, 9, 9, 9, 9, 9};
        assertThat(HostCopy.vector(row, buffer)).isSameAs(buffer).containsExactly(SIX);
        float[] wrong = new float[5];
        assertThat(HostCopy.vector(row, wrong)).isNotSameAs(wrong).containsExactly(SIX);
        assertThat(wrong).containsOnly(0f);
        INDArray shared = Nd4j.create(new float[] {0, 0, 0, 4, 5, 6}, new long[] {2, 3}, DataType.FLOAT).getRow(1);
        float[] three = new float[3];
        assertThat(HostCopy.vector(shared, three)).containsExactly(4, 5, 6);
    }
}
