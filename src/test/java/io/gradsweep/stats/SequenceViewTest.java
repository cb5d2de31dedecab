package io.gradsweep.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gradsweep.spec.Activation;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SequenceViewTest {
    private static final int STEPS = 7;
    private static final int TRIALS = 3;
    private static final int UNITS = 5;
    private static final int ROWS = 4;

    /**
     * A vector group's [T][K][units][m] step buffer read in place must give, bit for bit, the row of the DL4J
     * engine's [m][steps][units] copy: the same sums in the same order, so the same mean and std.
     */
    @Test
    void aStepBufferReadInPlaceGivesTheRowOfItsRowMajorCopy() {
        Random r = new Random(3);
        for (Activation.Function activation : List.of(Activation.Function.TANH, Activation.Function.RELU,
                Activation.Function.SIGMOID)) {
            for (double shift : new double[] {0, 3}) { // 3: outputs near saturation, the std's second pass
                float[] buffer = new float[STEPS * TRIALS * UNITS * ROWS];
                for (int i = 0; i < buffer.length; i++) {
                    double z = shift + r.nextGaussian();
                    buffer[i] = (float) switch (activation) {
                        case RELU -> Math.max(0, z - shift);
                        case SIGMOID -> 1 / (1 + Math.exp(-z));
                        default -> Math.tanh(z);
                    };
                    // Some values 40 binades down: their sums in double then round, so any other order of
                    // summation would show in the last bits.
                    buffer[i] *= i % 3 == 0 ? 1e-12f : 1f;
                }
                for (int k = 0; k < TRIALS; k++) {
                    if (activation == Activation.Function.RELU) {
                        killUnit(buffer, k, 2);
                    }
                    SequenceView view = new SequenceView(buffer, k * UNITS * ROWS, ROWS, STEPS, UNITS, 1,
                            TRIALS * UNITS * ROWS, ROWS);
                    ActivationRow inPlace = ActivationRow.ofSequence("t", 1, 2, 0, view, activation);
                    assertThat(inPlace).isEqualTo(ActivationRow.of("t", 1, 2, 0, rowMajor(buffer, k), UNITS,
                            activation));
                    if (activation == Activation.Function.RELU) {
                        assertThat(inPlace.deadFraction()).isGreaterThanOrEqualTo(1.0 / UNITS);
                    }
                }
            }
        }
    }

    @Test
    void aRowMajorViewIsTheArrayItself() {
        float[] a = new float[2 * ROWS * STEPS * UNITS];
        Random r = new Random(4);
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) Math.tanh(r.nextGaussian());
        }
        int half = a.length / 2;
        assertThat(ActivationRow.ofSequence("t", 0, 0, 1,
                SequenceView.rowMajor(a, half, ROWS, STEPS, UNITS), Activation.Function.TANH))
                .isEqualTo(ActivationRow.of("t", 0, 0, 1, a, half, half, UNITS, Activation.Function.TANH));
    }

    @Test
    void aViewPastTheArrayIsRefusedWithItsExtent() {
        assertThatThrownBy(() -> SequenceView.rowMajor(new float[10], 1, 1, 2, 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot view a sequence: its last value is at 10; expected one below the array's "
                        + "length 10");
        assertThatThrownBy(() -> SequenceView.rowMajor(new float[10], 0, 0, 2, 5))
                .hasMessage("Cannot view a sequence: rows, steps and units are 0, 2, 5; expected all positive");
    }

    /** Unit j of trial k outputs zero for every example at every step. */
    private static void killUnit(float[] buffer, int k, int j) {
        for (int i = 0; i < STEPS; i++) {
            for (int m = 0; m < ROWS; m++) {
                buffer[((i * TRIALS + k) * UNITS + j) * ROWS + m] = 0f;
            }
        }
    }

    /** Trial k's values copied out as the DL4J engine lays them: [rows][steps][units]. */
    private static float[] rowMajor(float[] buffer, int k) {
        float[] rows = new float[ROWS * STEPS * UNITS];
        for (int m = 0; m < ROWS; m++) {
            for (int i = 0; i < STEPS; i++) {
                for (int j = 0; j < UNITS; j++) {
                    rows[(m * STEPS + i) * UNITS + j] = buffer[((i * TRIALS + k) * UNITS + j) * ROWS + m];
                }
            }
        }
        return rows;
    }
}
