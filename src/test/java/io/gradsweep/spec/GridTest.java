package io.gradsweep.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class GridTest {
    private static List<TrialConfig> demo() {
        return Grid.expand(SpecParser.parse(Path.of("conf/circles-vanishing.yaml")), Grid.DEFAULT_MAX_TRIALS);
    }

    @Test
    void expandsTheCartesianProductWithSeedFastest() {
        SweepSpec s = SpecParser.parse(SpecParserTest.with("width: [5]", "width: [5, 7, 9]"));
        List<TrialConfig> trials = Grid.expand(s, 1000);
        assertThat(trials).hasSize(2 * 3 * 2);
        assertThat(trials).extracting(TrialConfig::index).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        assertThat(trials.subList(0, 4)).extracting(t -> t.activation() + "/" + t.width() + "/" + t.seed())
                .containsExactly("sigmoid/5/1", "sigmoid/5/2", "sigmoid/7/1", "sigmoid/7/2");
        assertThat(trials.get(11).activation().name()).isEqualTo("tanh");
        assertThat(trials.stream().map(TrialConfig::trialId).distinct()).hasSize(12);
    }

    @Test
    void trialIdsAreStableAcrossRunsAndReleases() {
        // Pinned: a changed id silently splits one sweep's results in two, so changing it must be deliberate.
        assertThat(demo()).extracting(TrialConfig::trialId).containsExactly(
                "7e9d781f2fca", "5e7ccb5d0d3f", "aec2b8646518", "9b30f90e4b82", "86ec9f961bf8", // sigmoid, seeds 1-5
                "d7a44c841b5b", "cb634e6ef5db", "f7ca25898671", "e0c84faa14cd", "d04fad3bec25", // tanh
                "6c2198d02f66", "66576bac260a", "32771eea3203", "d6fe14690767", "1308964ceda4"); // relu
        assertThat(demo().get(0).canonical()).isEqualTo("sweep=circles-vanishing;dataset=circles(samples=1000,"
                + "noise=0.1,factor=0.5,seed=1,test_fraction=0,scale=none);epochs=100;batch_size=32;stats_every=1;"
                + "activation=sigmoid;depth=4;width=5;initializer=normal(0,1);optimizer=rmsprop;learning_rate=0.001;"
                + "clipping=none;seed=1");
    }

    @Test
    void equivalentSpellingsGiveTheSameIdAndOtherSweepsDiffer() {
        TrialConfig a = Grid.expand(SpecParser.parse(SpecParserTest.BASE), 100).get(0);
        TrialConfig b = Grid.expand(SpecParser.parse(SpecParserTest.with("\"normal(0,1)\"", "\"normal(0.0, 1.00)\"")
                .replace("learning_rate: [0.001]", "learning_rate: [1.0e-3]")), 100).get(0);
        TrialConfig c = Grid.expand(SpecParser.parse(SpecParserTest.with("name: t", "name: u")), 100).get(0);
        assertThat(b.trialId()).isEqualTo(a.trialId());
        assertThat(c.trialId()).isNotEqualTo(a.trialId());
    }

    @Test
    void dropoutIsAnAxisBeforeSeedAndOnlyEntersIdsWhenUsed() {
        SweepSpec s = SpecParser.parse(SpecParserTest.with("seed: [1, 2]", "seed: [1, 2]\n  dropout: [0, 0.5]"));
        List<TrialConfig> trials = Grid.expand(s, 100);
        assertThat(trials).hasSize(8);
        assertThat(trials.subList(0, 4)).extracting(t -> t.dropout() + "/" + t.seed())
                .containsExactly("0.0/1", "0.0/2", "0.5/1", "0.5/2");
        TrialConfig plain = Grid.expand(SpecParser.parse(SpecParserTest.BASE), 100).get(0);
        assertThat(trials.get(0).trialId()).isEqualTo(plain.trialId());
        assertThat(trials.get(2).canonical()).endsWith(";clipping=none;dropout=0.5;seed=1");
    }

    @Test
    void rejectsGridsOverTheLimit() {
        SweepSpec s = SpecParser.parse(SpecParserTest.BASE);
        assertThat(Grid.expand(s, 4)).hasSize(4);
        assertThatThrownBy(() -> Grid.expand(s, 3)).isInstanceOf(SpecException.class)
                .hasMessage("Cannot expand grid: 'grid' has 4 trials; expected at most 3 (raise the limit with --max-trials)");
    }

    @Test
    void countsIterationsWithAPartialLastBatch() {
        TrialConfig t = Grid.expand(SpecParser.parse(SpecParserTest.BASE), 100).get(0);
        assertThat(t.totalIterations()).isEqualTo(2 * 4); // 100 samples / batch 32 -> 4 minibatches per epoch
    }
}
