package io.gradsweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradsweep.spec.Grid;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.train.Evaluation;
import io.gradsweep.train.TrialOutcome;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTest {
    @Test
    void regressionSweepsRankTheirBestTrialsByLowestLossAndShowModelAndLength() {
        List<TrialConfig> trials = Grid.expand(SpecParser.parse(Path.of("conf/rnn-adding.yaml")), 100);
        double[] testMse = {0.015, 0.19, 0.17, 0.0006, 0.002, 0.16};
        List<TrialOutcome> outcomes = new ArrayList<>();
        for (TrialConfig t : trials) {
            outcomes.add(new TrialOutcome(t, TrialOutcome.OK, new Evaluation(0.1, null),
                    new Evaluation(testMse[t.index()], null), 600, 1, "healthy", null, 1.0, null));
        }
        String summary = Summary.of(outcomes, 3);
        assertThat(summary).contains("Best trials by test loss:\ntrial_id      arch        T   activation");
        List<String> rows = summary.lines().filter(l -> l.matches("[0-9a-f]{12} .*")).toList();
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0)).startsWith(trials.get(3).trialId() + "  lstm        10  tanh").contains("0.0006000");
        assertThat(rows.get(1)).startsWith(trials.get(4).trialId() + "  lstm        50  ");
        assertThat(rows.get(2)).startsWith(trials.get(0).trialId() + "  simple_rnn  10  ");
    }

    /**
     * A diverged trial counts and reads as diverged, as in the report, and a failed one as failed even where its
     * job diagnosis says healthy (output of older versions); they rank last or not at all.
     */
    @Test
    void divergedTrialsReadDivergedAndNeitherTheyNorFailedOnesOutrankHealthyTrials() {
        List<TrialOutcome> outcomes = BestTrialAgreementTest.outcomes();
        String summary = Summary.of(outcomes, 2);
        assertThat(summary).startsWith("Trials by status:    diverged 1, failed 1, ok 3\n"
                + "Trials by diagnosis: diverged 1, failed 1, healthy 3\n"
                + "Best trials by test accuracy:\n");
        assertThat(BestTrialAgreementTest.summaryIds(summary))
                .containsExactly(outcomes.get(1).trialId(), outcomes.get(0).trialId());
        assertThat(summary).contains(outcomes.get(1).trialId() + "  mlp   tanh        3      4      glorot_uniform  "
                + "adam       0.2            none      1     ok      0.9000         0.2000     0.5000      healthy");
        assertThat(summary).contains("  status  test_accuracy  test_loss  grad_ratio  diagnosis\n")
                .contains("  seeds  test_accuracy  grad_ratio  diagnosis\n");
        assertThat(Summary.of(outcomes, 10).lines().filter(l -> l.startsWith(outcomes.get(2).trialId())))
                .singleElement().asString().endsWith("diverged");
        assertThat(summary).contains("Failed trial " + outcomes.get(3).trialId()
                + ": java.lang.IllegalStateException");
    }

    /**
     * The demo's grid, 3 activations x 5 seeds: the per-configuration table ranks by mean accuracy over seeds and
     * shows the spread, the median grad_ratio and the diagnoses, so that sigmoid's vanishing shows even when the ten
     * best trials are all tanh and relu.
     */
    @Test
    void configurationsAreSummarisedOverTheirSeeds() {
        List<TrialConfig> trials = Grid.expand(SpecParser.parse(Path.of("conf/circles-vanishing.yaml")), 100);
        List<TrialOutcome> outcomes = new ArrayList<>();
        for (TrialConfig t : trials) {
            int seed = (int) t.seed();
            String activation = t.activation().toString();
            double accuracy = switch (activation) {
                case "sigmoid" -> 0.4 + 0.1 * seed; // 0.5 ... 0.9: mean 0.7, sample std sqrt(0.025)
                case "tanh" -> 0.99;
                default -> seed <= 2 ? 0.98 : 0.96; // relu: its mean and std are computed below
            };
            String diagnosis = activation.equals("sigmoid") && seed < 5 ? "vanishing" : "healthy";
            double ratio = activation.equals("sigmoid") ? 0.1 * seed : 3.0;
            outcomes.add(new TrialOutcome(t, TrialOutcome.OK, new Evaluation(0.1, accuracy), null, 100, 1, diagnosis,
                    ratio, 1.0, null));
        }
        String summary = Summary.of(outcomes, 10);
        String table = summary.substring(summary.indexOf("By configuration over seeds (train accuracy mean ± std):\n"));
        List<String> rows = table.lines().skip(3).toList();
        assertThat(rows).hasSize(3);
        double reluMean = (2 * 0.98 + 3 * 0.96) / 5;
        double reluStd = Math.sqrt((2 * Math.pow(0.98 - reluMean, 2) + 3 * Math.pow(0.96 - reluMean, 2)) / 4);
        assertThat(rows.get(0)).startsWith("mlp   tanh").contains("  5      0.9900 ± 0.0000  3.000       healthy 5");
        assertThat(rows.get(1)).startsWith("mlp   relu").contains(String.format(java.util.Locale.ROOT,
                "  5      %.4f ± %.4f  3.000       healthy 5", reluMean, reluStd));
        assertThat(rows.get(2)).startsWith("mlp   sigmoid").contains(String.format(java.util.Locale.ROOT,
                "  5      0.7000 ± %.4f  0.3000      healthy 1, vanishing 4", Math.sqrt(0.025)));
        assertThat(table.lines().skip(1).findFirst().orElseThrow()).startsWith("arch  activation  depth")
                .endsWith("clipping  seeds  train_accuracy   grad_ratio  diagnosis");
    }
}
