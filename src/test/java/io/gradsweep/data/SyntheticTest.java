package io.gradsweep.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.gradsweep.spec.DatasetSpec;
import io.gradsweep.spec.Scaling;
import io.gradsweep.spec.Term;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyntheticTest {
    static DatasetSpec spec(String name, int n, double noise, double test, Scaling scale) {
        return new DatasetSpec(name, n, noise, 0.5, 3, 7, test, scale);
    }

    @Test
    void noiselessCirclesLieOnTheirRadiiWithBalancedClasses() {
        Dataset d = Synthetic.generate(spec("circles", 1001, 0, 0, Scaling.NONE));
        assertThat(d.classCounts()).containsExactly(500, 501);
        for (int i = 0; i < d.size(); i++) {
            double r = Math.hypot(d.feature(i, 0), d.feature(i, 1));
            assertThat(r).isCloseTo(d.labels()[i] == 0 ? 1.0 : 0.5, within(1e-6));
        }
    }

    @Test
    void noiseHasTheRequestedStandardDeviation() {
        Dataset d = Synthetic.generate(spec("circles", 20000, 0.1, 0, Scaling.NONE));
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < d.size(); i++) {
            double r = Math.hypot(d.feature(i, 0), d.feature(i, 1)) - (d.labels()[i] == 0 ? 1.0 : 0.5);
            sum += r;
            sumSq += r * r;
        }
        double std = Math.sqrt(sumSq / d.size() - Math.pow(sum / d.size(), 2));
        assertThat(std).isCloseTo(0.1, within(0.005)); // radial component of isotropic 2-D noise
    }

    @Test
    void moonsFollowScikitLearnGeometry() {
        Dataset d = Synthetic.generate(spec("moons", 200, 0, 0, Scaling.NONE));
        assertThat(d.classCounts()).containsExactly(100, 100);
        for (int i = 0; i < d.size(); i++) {
            double x = d.feature(i, 0);
            double y = d.feature(i, 1);
            double r = d.labels()[i] == 0 ? Math.hypot(x, y) : Math.hypot(x - 1, y - 0.5);
            assertThat(r).isCloseTo(1.0, within(1e-6));
            assertThat(d.labels()[i] == 0 ? y >= -1e-6 : y <= 0.5 + 1e-6).isTrue();
        }
    }

    @Test
    void spiralsAndXorHaveTheirClasses() {
        Dataset s = Synthetic.generate(spec("spirals", 300, 0, 0, Scaling.NONE));
        assertThat(s.numClasses()).isEqualTo(3);
        assertThat(s.classCounts()).containsExactly(100, 100, 100);
        Dataset x = Synthetic.generate(spec("xor", 1000, 0, 0, Scaling.NONE));
        for (int i = 0; i < x.size(); i++) {
            boolean differ = (x.feature(i, 0) < 0) != (x.feature(i, 1) < 0);
            assertThat(x.labels()[i]).isEqualTo(differ ? 1 : 0);
        }
        assertThat(x.classCounts()[1]).isBetween(450, 550);
    }

    @Test
    void blobsClusterAroundTheirCentersWithTheRequestedSpread() {
        Dataset d = Synthetic.generate(new DatasetSpec("blobs", 3000, 0.5, 0.5, 3, 2, 0, Scaling.NONE));
        assertThat(d.classCounts()).containsExactly(1000, 1000, 1000);
        for (int k = 0; k < 3; k++) {
            double sx = 0;
            double sxx = 0;
            int n = 0;
            for (int i = 0; i < d.size(); i++) {
                if (d.labels()[i] == k) {
                    sx += d.feature(i, 0);
                    sxx += d.feature(i, 0) * d.feature(i, 0);
                    n++;
                }
            }
            double mean = sx / n;
            assertThat(mean).isBetween(-10.5, 10.5);
            assertThat(Math.sqrt(sxx / n - mean * mean)).isCloseTo(0.5, within(0.05));
        }
    }

    @Test
    void sameSeedSameData() {
        DatasetSpec s = spec("circles", 100, 0.2, 0, Scaling.NONE);
        assertThat(Synthetic.generate(s).features()).isEqualTo(Synthetic.generate(s).features());
        DatasetSpec other = new DatasetSpec("circles", 100, 0.2, 0.5, 2, 8, 0, Scaling.NONE);
        assertThat(Synthetic.generate(other).features()).isNotEqualTo(Synthetic.generate(s).features());
    }

    @Test
    void splitIsSeededDisjointAndScalerSeesOnlyTraining() {
        Split split = Split.of(spec("circles", 1000, 0.1, 0.25, new Scaling(new Term("minmax", List.of(-1.0, 1.0)))));
        assertThat(split.test().size()).isEqualTo(250);
        assertThat(split.train().size()).isEqualTo(750);
        for (int c = 0; c < 2; c++) {
            double min = Double.MAX_VALUE;
            double max = -Double.MAX_VALUE;
            for (int i = 0; i < split.train().size(); i++) {
                min = Math.min(min, split.train().feature(i, c));
                max = Math.max(max, split.train().feature(i, c));
            }
            assertThat(min).isCloseTo(-1, within(1e-5));
            assertThat(max).isCloseTo(1, within(1e-5));
        }
        Split again = Split.of(spec("circles", 1000, 0.1, 0.25, new Scaling(new Term("minmax", List.of(-1.0, 1.0)))));
        assertThat(again.test().features()).isEqualTo(split.test().features());
    }

    @Test
    void standardScalingGivesZeroMeanUnitVariance() {
        Split split = Split.of(spec("moons", 500, 0.1, 0, new Scaling(new Term("standard", List.of()))));
        assertThat(split.hasTest()).isFalse();
        for (int c = 0; c < 2; c++) {
            double sum = 0;
            double sumSq = 0;
            for (int i = 0; i < 500; i++) {
                sum += split.train().feature(i, c);
                sumSq += Math.pow(split.train().feature(i, c), 2);
            }
            assertThat(sum / 500).isCloseTo(0, within(1e-5));
            assertThat(sumSq / 500).isCloseTo(1, within(1e-4));
        }
    }
}
