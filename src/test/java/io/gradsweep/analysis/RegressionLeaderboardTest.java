package io.gradsweep.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.gradsweep.spark.SweepJob;
import io.gradsweep.spec.Grid;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.train.TrialOutcome;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A regression sweep has no accuracy: the leaderboard ranks it by mean test loss instead of leaving it unranked. */
class RegressionLeaderboardTest {
    @TempDir
    Path dir;

    @Test
    void ranksRegressionConfigurationsByLoss() throws Exception {
        SparkSession spark = Fixtures.session();
        try {
            String out = dir.toString();
            List<TrialOutcome> outcomes = new SweepJob(spark, new PrintWriter(new StringWriter(), true))
                    .run(SpecParser.parse("""
                            name: reg
                            dataset: {name: adding, samples: 96, length: 5, seed: 1, test_fraction: 0.25}
                            train: {epochs: 2, batch_size: 24}
                            grid: {model: [simple_rnn], activation: [tanh], depth: [1], width: [4],
                                   learning_rate: [0.1, 0.001, 0.01], seed: [1]}
                            """), new SweepJob.Options(out, 2, Grid.DEFAULT_MAX_TRIALS, false));
            ResultViews.register(spark, out, null);
            List<Row> rows = SqlQueries.analysis(spark, Analyses.get("leaderboard").bind(Map.of())).collectAsList();
            List<TrialOutcome> byLoss = outcomes.stream().sorted(Comparator.comparing(TrialOutcome::testLoss))
                    .toList();
            assertThat(rows).hasSize(3);
            for (int i = 0; i < 3; i++) {
                Row r = rows.get(i);
                assertThat(r.<Integer>getAs("rank")).isEqualTo(i + 1);
                assertThat(r.<Double>getAs("accuracy_mean")).isNull();
                assertThat(r.<Double>getAs("learning_rate")).isEqualTo(byLoss.get(i).config().learningRate());
                assertThat(r.<Double>getAs("loss_mean")).isCloseTo(byLoss.get(i).testLoss(), within(1e-12));
            }
        } finally {
            spark.stop();
        }
    }
}
