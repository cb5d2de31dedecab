package io.gradsweep.vector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.convolution.Convolution;

/**
 * The group's Java col2im against libnd4j's, the call DL4J's ConvolutionLayer makes: every pixel bit for bit. The
 * patch values span three orders of magnitude, so a pixel's nine terms summed in any other order than libnd4j's
 * round differently somewhere in the map.
 */
class CnnCol2imTest {
    @Test
    void col2imSumsEveryPixelAsLibnd4jDoes() {
        CnnShape s = new CnnShape(VectorCnnExactnessTest.cnn("true", "relu", "sgd", "none", 39).subList(0, 2), 10);
        int rows = 5;
        CnnPasses p = new CnnPasses(s, rows);
        Random random = new Random(3);
        for (int l = 1; l < s.blocks; l++) {
            float[] values = new float[(int) p.patches().length()];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) random.nextGaussian() * (1 + random.nextInt(1000));
            }
            p.patches().data().asNioFloat().put(values);
            INDArray patches = CnnPasses.view(p.patches(), 0, 'f', CnnShape.KERNEL, CnnShape.KERNEL, s.in[l],
                    s.outSide[l], s.outSide[l], (long) s.trials * rows).permute(5, 2, 1, 0, 4, 3);
            INDArray libnd4j = p.eps[l - 1].ulike();
            Convolution.col2im(patches, libnd4j, s.stride[l], s.stride[l], s.pad[l], s.pad[l], s.inSide[l],
                    s.inSide[l], 1, 1);
            INDArray java = p.eps[l - 1].ulike();
            p.col2im(s, l, java);
            int[] expected = bits(libnd4j.data().asFloat());
            assertThat(bits(java.data().asFloat())).as("block %d", l).containsExactly(expected);
            assertThat(libnd4j.sumNumber().doubleValue()).isNotZero();
        }
    }

    private static int[] bits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }
}
