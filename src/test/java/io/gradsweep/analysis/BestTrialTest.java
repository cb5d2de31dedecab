package io.gradsweep.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradsweep.analysis.BestTrial.Score;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class BestTrialTest {
    private static List<Integer> order(Score... scores) {
        return BestTrial.rank(List.of(scores), Function.identity()).stream().map(Score::index).toList();
    }

    @Test
    void failedTrialsAndTrialsWithoutAFiniteMetricNeverRank() {
        assertThat(order(new Score("failed", 0.99, 0.01, 0), new Score("ok", 0.5, 0.7, 1),
                new Score("ok", null, null, 2), new Score("ok", null, Double.NaN, 3),
                new Score("diverged", null, Double.POSITIVE_INFINITY, 4))).containsExactly(1);
    }

    @Test
    void aDivergedTrialRanksBelowEveryHealthyOneHoweverGoodItLooks() {
        assertThat(order(new Score("diverged", 0.99, 0.01, 0), new Score("ok", 0.6, 0.9, 1),
                new Score("ok", 0.7, 0.8, 2), new Score("diverged", 0.5, 0.2, 3))).containsExactly(2, 1, 0, 3);
    }

    @Test
    void equalAccuraciesGoToTheLowerLossThenToTheLowerIndex() {
        assertThat(order(new Score("ok", 0.9, 0.4, 0), new Score("ok", 0.9, 0.2, 1), new Score("ok", 0.9, 0.2, 2),
                new Score("ok", 0.9, Double.NaN, 3), new Score("ok", 0.9, null, 4))).containsExactly(1, 2, 0, 3, 4);
    }

    @Test
    void regressionTrialsRankByLowestLossAfterAnyTrialWithAnAccuracy() {
        assertThat(order(new Score("ok", null, 0.3, 0), new Score("ok", null, 0.1, 1), new Score("ok", 0.2, 5.0, 2)))
                .containsExactly(2, 1, 0);
    }

    @Test
    void aDivergedOrFailedTrialReadsAsItsStatusWhateverTheJobDiagnosed() {
        assertThat(BestTrial.diagnosis("diverged", "exploding")).isEqualTo("diverged");
        assertThat(BestTrial.diagnosis("ok", "vanishing")).isEqualTo("vanishing");
        // Output written before failed trials were diagnosed 'failed' still holds 'healthy' for them.
        assertThat(BestTrial.diagnosis("failed", "healthy")).isEqualTo("failed");
    }
}
