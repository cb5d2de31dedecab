package io.gradsweep.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradsweep.spec.TrialConfig;
import io.gradsweep.stats.GradientRow;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The writer part's plumbing: its rows, its file read back, its table; never its timings. */
class WriterBenchTest {
    /** 100 circles examples at batch 32: ceil(100 / 32) updates in the one epoch. */
    private static final int ITERATIONS = 4;

    @Test
    void writesAGroupsGradientRowsInterleavedAndReadsThemAllBack() throws Exception {
        // 2 trials of the 2-5-5-5-5-1 circles net (5 layers, W and b each), 1 epoch on 100 examples at batch 32
        List<TrialConfig> group = TrialBench.trials(TrialBench.CIRCLES.formatted(1, 1, "[1, 2]", 100));
        List<GradientRow> rows = WriterBench.gradientRows(group);
        long iterations = rows.stream().filter(r -> r.trialId().equals(group.get(0).trialId())).count() / 10;
        assertThat(iterations).isEqualTo(ITERATIONS);
        assertThat(rows).hasSize(2 * 10 * ITERATIONS);
        // a batch writes the trials' rows as they train together: the second trial's first row comes before the
        // first trial's last
        assertThat(rows.indexOf(rows.stream().filter(r -> r.trialId().equals(group.get(1).trialId())).findFirst()
                .orElseThrow())).isLessThan(rows.size() / 2);

        WriterBench.Result w = WriterBench.measure(rows, 1, 3);
        assertThat(w.rows()).isEqualTo(rows.size());
        assertThat(w.readBack()).isEqualTo(rows.size());
        assertThat(w.cpuMicros().repeats()).isEqualTo(3);
        assertThat(w.cpuMicros().min()).isPositive();
        // ten doubles of statistics cannot take less than a byte each, however well they compress
        assertThat(w.bytesPerRow()).isGreaterThan(10);

        String md = BenchReport.markdown(new BenchResults.Builder().writer(new BenchResults.Writer(2,
                new WriterBench.Result(61_440, 74.25, new Timing("w", 1.18, 0.9, 2.17, 15), 61_440))).build(1),
                "gradsweep bench");
        assertThat(md).contains("| 2 | 61,440 | 74.3 | 1.18 (0.90–2.17), 15 runs | 61,440 |");
    }
}
