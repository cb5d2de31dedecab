package io.gradsweep.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.gradsweep.spec.DatasetSpec;
import org.junit.jupiter.api.Test;

class AddingTest {
    @Test
    void everySequenceHasOneMarkerInEachHalfAndTheirSumAsTarget() {
        int steps = 11; // odd: the first half is [0, 5), the second [5, 11)
        Dataset d = Adding.generate(DatasetSpec.adding(500, steps, 3, 0));
        assertThat(d.size()).isEqualTo(500);
        assertThat(d.regression()).isTrue();
        assertThat(d.numFeatures()).isEqualTo(2);
        assertThat(d.steps()).isEqualTo(steps);
        boolean[] firstSeen = new boolean[5];
        boolean[] secondSeen = new boolean[6];
        for (int i = 0; i < d.size(); i++) {
            int first = -1;
            int second = -1;
            for (int t = 0; t < steps; t++) {
                float value = d.feature(i, t);
                float marker = d.feature(i, steps + t);
                assertThat(value).isGreaterThanOrEqualTo(0f).isLessThan(1f);
                assertThat(marker).isIn(0f, 1f);
                if (marker == 1f) {
                    assertThat(second).as("example %d has at most two markers", i).isEqualTo(-1);
                    if (first < 0) {
                        first = t;
                    } else {
                        second = t;
                    }
                }
            }
            assertThat(first).as("example %d", i).isBetween(0, 4);
            assertThat(second).as("example %d", i).isBetween(5, 10);
            firstSeen[first] = true;
            secondSeen[second - 5] = true;
            assertThat(d.targets()[i]).isEqualTo(d.feature(i, first) + d.feature(i, second));
        }
        assertThat(firstSeen).as("every position of the first half is used").containsOnly(true);
        assertThat(secondSeen).containsOnly(true);
    }

    @Test
    void theSeedDeterminesTheData() {
        Dataset a = Adding.generate(DatasetSpec.adding(50, 20, 7, 0));
        Dataset b = Adding.generate(DatasetSpec.adding(50, 20, 7, 0));
        Dataset c = Adding.generate(DatasetSpec.adding(50, 20, 8, 0));
        assertThat(a.features()).isEqualTo(b.features());
        assertThat(a.targets()).isEqualTo(b.targets());
        assertThat(c.features()).isNotEqualTo(a.features());
    }

    /** The baseline every report compares with: predicting 1 (the mean target) scores Var(U1 + U2) = 1/6. */
    @Test
    void predictingTheConstantOneScoresOneSixth() {
        Dataset d = Adding.generate(DatasetSpec.adding(200_000, 4, 1, 0));
        double sum = 0;
        double sumSq = 0;
        for (float y : d.targets()) {
            sum += y;
            sumSq += (y - 1.0) * (y - 1.0);
        }
        assertThat(sum / d.size()).isCloseTo(1.0, within(0.005));
        assertThat(sumSq / d.size()).isCloseTo(1.0 / 6, within(0.002));
    }

    @Test
    void splitKeepsTargetsWithTheirSequences() {
        Split split = Split.of(DatasetSpec.adding(100, 6, 2, 0.2));
        assertThat(split.test().size()).isEqualTo(20);
        assertThat(split.train().size()).isEqualTo(80);
        for (Dataset part : new Dataset[] {split.train(), split.test()}) {
            for (int i = 0; i < part.size(); i++) {
                double marked = 0;
                for (int t = 0; t < 6; t++) {
                    marked += part.feature(i, 6 + t) * part.feature(i, t);
                }
                assertThat(part.targets()[i]).isCloseTo((float) marked, within(1e-6f));
            }
        }
    }

    @Test
    void aRegressionDatasetHasNoClasses() {
        Dataset d = Adding.generate(DatasetSpec.adding(10, 4, 1, 0));
        assertThat(d.numClasses()).isZero();
        assertThat(d.labels()).isNull();
        assertThatThrownBy(d::classCounts).isInstanceOf(IllegalStateException.class);
        assertThat(d.select(new int[] {3, 1}).targets()).containsExactly(d.targets()[3], d.targets()[1]);
    }
}
