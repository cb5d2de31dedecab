package io.gradsweep.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gradsweep.testing.TestData;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EngineSpecTest {
    static final String BASE = """
            name: t
            dataset: {name: circles, samples: 100}
            train: {epochs: 2, batch_size: 32%s}
            grid: {activation: [tanh], depth: [2], width: [3]%s}
            """;

    static SweepSpec parse(String train, String grid) {
        return SpecParser.parse(BASE.formatted(train, grid));
    }

    @Test
    void defaultsToAutoWithGroupsOf64AndKeepsTrialIds() {
        SweepSpec plain = parse("", "");
        assertThat(plain.train()).isEqualTo(new TrainSpec(2, 32, Engine.Choice.AUTO, 64));
        SweepSpec explicit = parse(", engine: dl4j, group_size: 8", "");
        assertThat(explicit.train().engine()).isEqualTo(Engine.Choice.DL4J);
        assertThat(explicit.train().groupSize()).isEqualTo(8);
        assertThat(Grid.expand(explicit, 10).get(0).trialId()).isEqualTo(Grid.expand(plain, 10).get(0).trialId());
    }

    @Test
    void autoRoutesWhatTheVectorEngineCannotTrainToDl4j() {
        List<TrialConfig> trials = Grid.expand(parse("", ", residual: [false, true], dropout: [0, 0.5]"), 10);
        assertThat(trials).extracting(Engine::of).containsExactly(Engine.VECTOR, Engine.VECTOR, Engine.VECTOR,
                Engine.DL4J);
        assertThat(trials).extracting(Engine::vectorRefusal).containsExactly(null, null, null, "dropout");
        List<TrialConfig> dropped = Grid.expand(parse(", engine: vector", ", batch_norm: [false, true], "
                + "dropout: [0.5]"), 10);
        assertThat(dropped).hasSize(2).extracting(Engine::of).containsOnly(Engine.VECTOR);
        List<TrialConfig> families = Grid.expand(parse(", engine: vector",
                ", batch_norm: [true, false], residual: [false, true]"), 10);
        assertThat(families).hasSize(4).extracting(Engine::of).containsOnly(Engine.VECTOR);
        List<TrialConfig> dl4j = Grid.expand(parse(", engine: dl4j", ""), 10);
        assertThat(Engine.of(dl4j.get(0))).isEqualTo(Engine.DL4J);
    }

    /** Written out, not Engine.VECTOR_SCOPE, so a change to the message fails here. */
    static final String SCOPE = "the vector engine trains MLPs and CNNs with or without batch_norm and residual, "
            + "simple_rnn and lstm: no batch_norm or residual in recurrent nets, dropout only in MLPs without "
            + "residual; use engine auto or dl4j";

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            ", engine: fast||train.engine|Cannot parse spec: 'train.engine' is 'fast'; expected one of auto, dl4j, "
                    + "vector",
            ", group_size: 0||train.group_size|Cannot parse spec: 'train.group_size' is 0; expected an integer in "
                    + "[1, 4096]",
            ", engine: vector|, residual: [true], dropout: [0.25]|grid.dropout[0]|Cannot parse spec: "
                    + "'grid.dropout[0]' is 0.25; expected 0 with train.engine vector (" + SCOPE + ")"})
    void refusesNamingKeyAndValue(String train, String grid, String key, String message) {
        assertThatThrownBy(() -> parse(train, grid == null ? "" : grid)).isInstanceOf(SpecException.class)
                .hasMessage(message).extracting(e -> ((SpecException) e).keyPath()).isEqualTo(key);
    }

    @Test
    void batchNormInCnnsTrainsOnTheVectorEngineUnderVectorAndAuto() {
        String spec = """
                name: t
                dataset: {name: mnist, path: %s, limit: 20}
                train: {epochs: 1, batch_size: 8%s}
                grid: {model: [cnn], activation: [relu], depth: [2], width: [4], batch_norm: [false, true],
                       residual: [false, true]}
                """;
        for (String engine : List.of(", engine: vector", "")) {
            List<TrialConfig> trials = Grid.expand(SpecParser.parse(spec.formatted(TestData.MNIST, engine)), 10);
            assertThat(trials).hasSize(4).extracting(Engine::of).containsOnly(Engine.VECTOR);
            assertThat(trials).extracting(t -> t.architecture().batchNorm()).containsExactly(false, false, true,
                    true);
        }
    }
}
