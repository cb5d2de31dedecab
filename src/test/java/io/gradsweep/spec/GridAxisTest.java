package io.gradsweep.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.gradsweep.analysis.Analyses;
import io.gradsweep.analysis.AnalysisParam;
import io.gradsweep.io.Column;
import io.gradsweep.io.Tables;
import io.gradsweep.report.GridHeatmaps;
import io.gradsweep.train.Evaluation;
import io.gradsweep.train.TrialOutcome;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The one list of grid axes against everything that has to agree with it. */
class GridAxisTest {
    @Test
    void theAxesAreExactlyTheFieldsOfGridSpecInAStableOrder() {
        List<String> specFields = Arrays.stream(GridSpec.class.getRecordComponents()).map(RecordComponent::getName)
                .map(n -> n.replaceAll("([A-Z])", "_$1").toLowerCase()).toList();
        assertThat(GridAxis.columns()).containsExactlyInAnyOrderElementsOf(specFields);
        assertThat(GridAxis.columns()).containsExactly("activation", "depth", "width", "initializer", "optimizer",
                "learning_rate", "clipping", "batch_norm", "residual", "model", "widths", "dropout",
                "sequence_length", "seed");
    }

    @Test
    void everyAxisIsATrialsColumnHoldingTheValueTheAxisReads() {
        Map<String, Column<TrialOutcome>> columns = Tables.TRIALS.columns().stream()
                .collect(Collectors.toMap(Column::name, Function.identity()));
        for (String spec : List.of("conf/circles-vanishing.yaml", "conf/rnn-adding.yaml")) {
            for (TrialConfig t : Grid.expand(SpecParser.parse(Path.of(spec)), 100)) {
                TrialOutcome o = new TrialOutcome(t, TrialOutcome.OK, new Evaluation(0.5, 0.8), null, 1, 1, "healthy",
                        null, null, null);
                for (GridAxis axis : GridAxis.values()) {
                    assertThat(columns).containsKey(axis.column());
                    // As text: the table stores names where the axis holds the spec's enum values.
                    assertThat(GridAxis.textOf(columns.get(axis.column()).getter().apply(o)))
                            .as(spec + " " + axis).isEqualTo(axis.text(t));
                }
            }
        }
    }

    @Test
    void analysesAndHeatmapsAcceptEveryAxis() {
        assertThat(AnalysisParam.AXES).startsWith(GridAxis.columns().toArray(String[]::new))
                .endsWith("dataset", "epochs", "batch_size", "sweep");
        for (String axis : GridAxis.columns()) {
            String other = axis.equals("activation") ? "seed" : "activation";
            assertThatCode(() -> GridHeatmaps.check(List.of(axis, other))).as(axis).doesNotThrowAnyException();
        }
    }

    /** A configuration is a trial without its seed: the leaderboard must group by every other axis. */
    @Test
    void leaderboardGroupsConfigurationsByEveryAxisButSeed() {
        String sql = Analyses.get("leaderboard").template();
        List<String> groupBy = Arrays.stream(sql.substring(sql.indexOf("GROUP BY") + 8, sql.indexOf(")\nSELECT"))
                .split(",")).map(String::strip).toList();
        assertThat(groupBy).containsAll(GridAxis.columns().stream().filter(c -> !c.equals("seed")).toList())
                .doesNotContain("seed");
    }

    @Test
    void consoleTablesShowTheSameAxisColumnsAsBefore() {
        assertThat(GridAxis.consoleHeader(false)).containsExactly("arch", "activation", "depth", "width",
                "initializer", "optimizer", "learning_rate", "clipping", "seed");
        assertThat(GridAxis.consoleHeader(true)).containsSequence("arch", "T", "activation");
        TrialConfig t = Grid.expand(SpecParser.parse(Path.of("conf/rnn-adding.yaml")), 100).get(0);
        assertThat(GridAxis.consoleRow(t, true)).containsExactly("simple_rnn", 10, "tanh", "1", "32",
                "glorot_uniform", "adam", "0.01", "none", "1");
        assertThat(GridAxis.consoleRow(t, false)).hasSize(GridAxis.consoleHeader(false).size());
    }
}
