package io.gradsweep.cli;

import static io.gradsweep.cli.CliTest.exec;
import static org.assertj.core.api.Assertions.assertThat;

import io.gradsweep.spec.Grid;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.spec.TrialConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * plan's engine, group and estimated time per trial. The estimates are checked against the README's measured wall
 * times with a wide band (the model is rough and the machine was loaded): the demo grid took 17 s on two cores with
 * the vector engine. The recurrent one's six trials took 24.3 s together (their wall_ms; 18 s on two cores,
 * 2026-12-04, with `FloatTanh`; 7 min 51 s when its LSTMs trained on DL4J).
 */
class PlanEstimateTest {
    private static List<TrialConfig> trials(String conf) {
        return Grid.expand(SpecParser.parse(Path.of(conf)), 1000);
    }

    @Test
    void theDemoGridIsThreeVectorGroupsOfSecondsAndTheRecurrentOneSixVectorGroups() {
        PlanEstimate demo = new PlanEstimate(trials("conf/circles-vanishing.yaml"));
        assertThat(demo.summary()).startsWith("3 groups (15 trials on the vector engine, 0 on DL4J); estimated ");
        assertThat(demo.cells(trials("conf/circles-vanishing.yaml").get(0)).subList(0, 2))
                .containsExactly("vector", "0 (5)");
        double demoSeconds = seconds(demo.summary());
        assertThat(demoSeconds).isBetween(17 / 4.0, 17 * 2 * 4.0);

        List<TrialConfig> rnn = trials("conf/rnn-adding.yaml");
        PlanEstimate adding = new PlanEstimate(rnn);
        assertThat(adding.summary()).startsWith("6 groups (6 trials on the vector engine, 0 on DL4J)");
        assertThat(adding.cells(rnn.get(5)).subList(0, 2)).containsExactly("vector", "5 (1)");
        assertThat(seconds(adding.summary())).isBetween(24.3 / 2, 24.3 * 2).isGreaterThan(demoSeconds);
    }

    /**
     * The committed CNN grid measured 486 s of CPU for its 8 trials (README, 2026-12-02, quiet machine), and the
     * deep linear net 1,157 s for 4 (2026-12-02): the convolutions' cost, once left out, now counts.
     */
    @Test
    void theCnnAndDeepLinearGridsAreEstimatedWithinTwiceTheirMeasuredCpuTime() {
        assertThat(seconds(new PlanEstimate(trials("conf/mnist-cnn-residual.yaml")).summary()))
                .isBetween(486 / 2.0, 486 * 2.0);
        assertThat(seconds(new PlanEstimate(trials("conf/mnist-deep-linear-clipping.yaml")).summary()))
                .isBetween(1157 / 2.0, 1157 * 2.0);
    }

    @Test
    void durationsReadInTheirUnit() {
        assertThat(PlanEstimate.duration(0.44)).isEqualTo("0.4 s");
        assertThat(PlanEstimate.duration(42)).isEqualTo("42 s");
        assertThat(PlanEstimate.duration(210)).isEqualTo("3.5 min");
        assertThat(PlanEstimate.duration(3 * 3600)).isEqualTo("3.0 h");
    }

    @Test
    void planPrintsEngineGroupAndEstimateAndSaysTVariesByTrial() {
        CliTest.Result r = exec("plan", "conf/rnn-adding.yaml", "--rows", "0");
        assertThat(r.code()).as(r.err()).isEqualTo(Main.OK);
        assertThat(r.out()).containsPattern("iterations +engine +group +est_time")
                .containsPattern("\\n5  [0-9a-f]{12}  lstm +100 +tanh .* 600 +vector +5 \\(1\\) +[0-9.]+ (s|min)")
                .contains("T (sequence length) varies by trial (grid.sequence_length)");
    }

    private static double seconds(String summary) {
        String t = summary.replaceAll("(?s).*estimated ([0-9.]+ (s|min|h)) on one core.*", "$1");
        double v = Double.parseDouble(t.split(" ")[0]);
        return t.endsWith("min") ? v * 60 : t.endsWith("h") ? v * 3600 : v;
    }
}
