package io.gradsweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradsweep.analysis.Analyses;
import io.gradsweep.analysis.BestTrial;
import io.gradsweep.analysis.BestTrial.Score;
import io.gradsweep.analysis.ResultViews;
import io.gradsweep.analysis.SqlQueries;
import io.gradsweep.io.BatchOutput;
import io.gradsweep.io.OutputLayout;
import io.gradsweep.report.ReportData;
import io.gradsweep.report.ReportData.Trial;
import io.gradsweep.report.ReportLoader;
import io.gradsweep.report.ReportOptions;
import io.gradsweep.report.TrialSelection;
import io.gradsweep.spec.Grid;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.train.Evaluation;
import io.gradsweep.train.TrialFailure;
import io.gradsweep.train.TrialOutcome;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console summary, the report's trial selection and the leaderboard analysis rank the same trials the same way,
 * on outcomes where the three old rankings disagreed: the summary and the report took the failed trial (best
 * accuracy), the leaderboard took the diverged one (its configuration's mean is dragged down by the failed seed).
 */
class BestTrialAgreementTest {
    @TempDir
    Path dir;

    /**
     * Five trials of one activation, each the only seed of its configuration except the last two. Test metrics
     * decide; the train metrics would pick A instead.
     * <pre>
     *   A  lr 0.1  ok        test acc 0.90 loss 0.40  (train acc 0.99)
     *   B  lr 0.2  ok        test acc 0.90 loss 0.20  best: ties A on accuracy, lower loss
     *   C  lr 0.3  diverged  test acc 0.95 loss 0.10  better than B, but diverged: ranks last
     *   D  lr 0.4  failed    test acc 0.97 loss 0.05  never ranks
     *   E  lr 0.4  ok        test acc 0.50 loss 0.90  (seed 2 of D's configuration)
     * </pre>
     */
    static List<TrialOutcome> outcomes() {
        List<TrialConfig> grid = Grid.expand(SpecParser.parse("""
                name: agree
                dataset: {name: circles, samples: 100, noise: 0.1, factor: 0.5, seed: 1, test_fraction: 0.2}
                train: {epochs: 2, batch_size: 20}
                grid: {activation: [tanh], depth: [3], width: [4], learning_rate: [0.1, 0.2, 0.3, 0.4],
                       seed: [1, 2]}
                """), 100);
        return List.of(
                outcome(grid.get(0), TrialOutcome.OK, 0.99, 0.90, 0.40, "healthy", null),
                outcome(grid.get(2), TrialOutcome.OK, 0.80, 0.90, 0.20, "healthy", null),
                outcome(grid.get(4), TrialOutcome.DIVERGED, 0.80, 0.95, 0.10, "exploding", null),
                outcome(grid.get(6), TrialOutcome.FAILED, 0.80, 0.97, 0.05, "healthy", "java.lang.IllegalStateException"),
                outcome(grid.get(7), TrialOutcome.OK, 0.80, 0.50, 0.90, "healthy", null));
    }

    private static TrialOutcome outcome(TrialConfig t, String status, double trainAcc, double testAcc,
                                        double testLoss, String diagnosis, String error) {
        return new TrialOutcome(t, status, new Evaluation(0.3, trainAcc), new Evaluation(testLoss, testAcc), 10, 1,
                diagnosis, 0.5, 2.0, error == null ? null : new TrialFailure(error, error + "\n\tat somewhere"));
    }

    /** Trial ids of the summary's best-trials table, in its order. */
    static List<String> summaryIds(String summary) {
        return summary.lines().filter(l -> l.matches("[0-9a-f]{12} .*")).map(l -> l.substring(0, 12)).toList();
    }

    @Test
    void summaryReportAndLeaderboardAgreeOnTheRanking() throws Exception {
        List<TrialOutcome> outcomes = outcomes();
        List<String> ids = outcomes.stream().map(TrialOutcome::trialId).toList();
        String a = ids.get(0);
        String b = ids.get(1);
        String c = ids.get(2);
        String e = ids.get(4);
        List<String> expected = List.of(b, a, e, c);
        assertThat(BestTrial.rank(outcomes, Score::of)).extracting(TrialOutcome::trialId).isEqualTo(expected);
        assertThat(summaryIds(Summary.of(outcomes, 10))).isEqualTo(expected);

        String out = dir.resolve("results").toString();
        try (BatchOutput batch = new BatchOutput(OutputLayout.of(out), "agree", "b0", "a0", new Configuration())) {
            outcomes.forEach(batch::trial);
            batch.commit();
        }
        SparkSession spark = SparkSession.builder().master("local[1]").appName("gradsweep-best-trial-test")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "1").getOrCreate();
        try {
            ReportData data = ReportLoader.load(spark, new ReportOptions(out, null, dir.resolve("r").toString(),
                    List.of(), List.of(), null));
            assertThat(TrialSelection.choose(data.trials(), List.of())).extracting(Trial::trialId)
                    .containsExactly(b, c);
            assertThat(data.trials()).filteredOn(t -> t.trialId().equals(c)).extracting(Trial::diagnosis)
                    .containsExactly("diverged");
            assertThat(data.trials()).filteredOn(t -> t.trialId().equals(ids.get(3))).extracting(Trial::diagnosis)
                    .as("failed, though this older-style row's job diagnosis says healthy").containsExactly("failed");

            ResultViews.register(spark, out, null);
            List<Row> board = SqlQueries.analysis(spark, Analyses.get("leaderboard").bind(Map.of())).collectAsList();
            assertThat(board).extracting(r -> r.<Integer>getAs("rank")).containsExactly(1, 2, 3, 4);
            assertThat(board).extracting(r -> r.<Double>getAs("learning_rate")).containsExactly(0.2, 0.1, 0.4, 0.3);
            Row mixed = board.get(2); // D and E: the failed seed is left out of the means
            assertThat(mixed.<Long>getAs("n")).isEqualTo(1);
            assertThat(mixed.<Double>getAs("accuracy_mean")).isEqualTo(0.5);
            assertThat(mixed.<Long>getAs("failed")).isEqualTo(1);
            assertThat(board.get(3).<Long>getAs("diverged")).isEqualTo(1);
        } finally {
            spark.stop();
        }
    }
}
