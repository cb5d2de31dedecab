package io.gradsweep.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HistogramRowTest {
    @Test
    void binsAreDecadesOfMagnitudeFrom1eMinus10To1e3() {
        assertThat(HistogramRow.binOf(5e-11)).isZero();
        assertThat(HistogramRow.binOf(1e-10)).isEqualTo(1);
        assertThat(HistogramRow.binOf(0.5)).isEqualTo(10);
        assertThat(HistogramRow.binOf(999)).isEqualTo(13);
        assertThat(HistogramRow.binOf(1e3)).isEqualTo(14);
        assertThat(HistogramRow.binOf(1e30)).isEqualTo(14);
        assertThat(HistogramRow.binOf(Double.POSITIVE_INFINITY)).isEqualTo(14); // overflowed the int cast once
        assertThat(HistogramRow.lower(10)).isEqualTo(0.1, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(HistogramRow.upper(10)).isEqualTo(1.0, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(HistogramRow.lower(0)).isNull();
        assertThat(HistogramRow.upper(14)).isNull();
    }

    @Test
    void aValueLandsInTheBinWhoseWrittenEdgesHoldIt() {
        java.util.Random r = new java.util.Random(7);
        List<Double> values = new java.util.ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            values.add(Math.pow(10, -14 + 20 * r.nextDouble()));
        }
        for (int bin = 1; bin < HistogramRow.BINS; bin++) {
            double lo = HistogramRow.lower(bin);
            values.addAll(List.of(lo, Math.nextDown(lo), Math.nextUp(lo)));
        }
        values.addAll(List.of(Double.MIN_VALUE, Double.MAX_VALUE, 1.0, 0.1, 1e-3));
        for (double m : values) {
            int expected = 0; // the bin whose [lower, upper) holds m, read off the written edges one by one
            while (expected < HistogramRow.BINS - 1 && m >= HistogramRow.upper(expected)) {
                expected++;
            }
            assertThat(HistogramRow.binOf(m)).as("bin of %s", m).isEqualTo(expected);
            double decades = Math.log10(m) + 10;
            if (m >= 1e-10 && m < 1e3 && Math.abs(decades - Math.rint(decades)) > 1e-9) {
                assertThat(HistogramRow.binOf(m)).as("decade of %s", m).isEqualTo(1 + (int) Math.floor(decades));
            }
        }
        for (int e = Double.MIN_EXPONENT - 53; e <= Double.MAX_EXPONENT + 1; e++) {
            assertThat(HistogramRow.floorLog10OfPowerOf2(e)).as("exponent %d", e)
                    .isEqualTo((int) Math.floor(e * Math.log10(2)));
        }
        assertThat(HistogramRow.lower(8)).isEqualTo(1e-3);
        assertThat(HistogramRow.upper(12)).isEqualTo(100.0);
    }

    @Test
    void countsBySignAndBinSkippingEmptyBinsAndNaN() {
        float[] v = {0, 0.5f, -0.5f, -0.7f, 20f, Float.NaN, 0, 3e-12f};
        List<HistogramRow> rows = HistogramRow.of("t", 1, 0, "W", "weight", v, 0, v.length, 1.0);
        assertThat(rows).extracting(r -> r.sign() + ":" + r.bin() + "=" + r.count())
                .containsExactly("0:0=2", "-1:10=2", "1:0=1", "1:10=1", "1:12=1");
        assertThat(rows.stream().mapToLong(HistogramRow::count).sum()).isEqualTo(v.length - 1);
        List<HistogramRow> scaled = HistogramRow.of("t", 1, 0, "W", "gradient", v, 1, 1, 0.01);
        assertThat(scaled).singleElement().satisfies(r -> assertThat(r.bin()).isEqualTo(8));
    }
}
