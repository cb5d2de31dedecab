package io.gradsweep.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The server's downsampling of a long series, against the same windows computed here in Java: 1,000 recorded
 * iterations (every 5th, so iteration numbers are not ranks) become ceil(1000 / 3) points of 3 iterations each,
 * each the mean of the means and the median of the stds, at the window's first iteration.
 */
class DownsamplingTest {
    @Test
    void aLongSeriesIsAveragedInWindowsOfConsecutiveRecordedIterations() throws Exception {
        int recorded = 1000;
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE gradients AS SELECT 'big' AS sweep, 't1' AS trial_id, 'W' AS param, "
                    + "CAST(layer AS INTEGER) AS layer, 5 * i AS iteration, sin(i + layer) AS mean, "
                    + "1 + cos(i * 0.37::DOUBLE) AS std "
                    + "FROM range(" + recorded + ") r(i), range(2) l(layer)");
            st.execute("INSERT INTO gradients SELECT 'big', 't1', 'b', 0, 5 * i, 99, 99 FROM range(10) r(i)");
            List<Map<String, Object>> rows = UiSql.rows(c, UiSql.GRADIENTS, List.of("big", "t1"));
            int per = (int) Math.ceil(recorded / (double) UiSql.POINTS);
            int points = (recorded + per - 1) / per;
            assertThat(per).isEqualTo(3);
            assertThat(rows).hasSize(2 * points);
            double largest = 0;
            for (int layer = 0; layer < 2; layer++) {
                for (int p = 0; p < points; p++) {
                    Map<String, Object> row = rows.get(layer * points + p);
                    List<Double> means = new ArrayList<>();
                    List<Double> stds = new ArrayList<>();
                    for (int i = p * per; i < Math.min(recorded, (p + 1) * per); i++) {
                        means.add(Math.sin(i + layer));
                        stds.add(1 + Math.cos(i * 0.37));
                    }
                    assertThat(row.get("layer")).isEqualTo(layer);
                    assertThat(row.get("iteration")).isEqualTo((long) 5 * p * per);
                    double mean = means.stream().mapToDouble(Double::doubleValue).sum() / means.size();
                    largest = Math.max(largest, Math.abs((Double) row.get("mean") - mean));
                    assertThat((Double) row.get("std")).isEqualTo(median(stds));
                }
            }
            // DuckDB's avg may sum in another order than this loop: the means agree to rounding only
            assertThat(largest).isLessThan(1e-15);
        }
    }

    static double median(List<Double> v) {
        double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    @Test
    void aShortSeriesIsSentAsRecorded() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE gradients AS SELECT 'big' AS sweep, 't1' AS trial_id, 'W' AS param, 0 AS layer, "
                    + "i * 7 AS iteration, i * 0.1::DOUBLE AS mean, 1.0::DOUBLE / (i + 1) AS std FROM range("
                    + UiSql.POINTS + ") r(i)");
            List<Map<String, Object>> rows = UiSql.rows(c, UiSql.GRADIENTS, List.of("big", "t1"));
            assertThat(rows).hasSize(UiSql.POINTS);
            for (int i = 0; i < UiSql.POINTS; i++) {
                assertThat(Arrays.asList(rows.get(i).get("iteration"), rows.get(i).get("mean"), rows.get(i).get("std")))
                        .containsExactly((long) i * 7, i * 0.1, 1.0 / (i + 1));
            }
        }
    }
}
