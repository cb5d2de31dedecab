package io.gradsweep.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gradsweep.vector.Groups;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Limits at plan time: the largest Java array per trial and per vector group, and memory against a budget. */
class CostLimitsTest {
    private static final CostLimits.Budget UNLIMITED = new CostLimits.Budget(Long.MAX_VALUE, "unlimited");

    private static SweepSpec spec(String grid) {
        return spec("auto", grid);
    }

    private static SweepSpec spec(String engine, String grid) {
        return SpecParser.parse("""
                name: cost
                dataset: {name: circles, samples: 1000}
                train: {epochs: 1, batch_size: 32, engine: %s}
                grid: {activation: [tanh], %s}
                """.formatted(engine, grid));
    }

    private static void require(SweepSpec s, CostLimits.Budget budget) {
        CostLimits.require(s, Groups.of(Grid.expand(s, 100)), budget, "plan sweep");
    }

    @Test
    void aThousandLayersOfAHundredThousandUnitsAreRefusedNamingBothKeys() {
        // 2 inputs, 999 square 100000-unit layers, 1 sigmoid output; each layer with its bias
        long expected = 3L * 100_000 + 999L * 100_001 * 100_000 + 100_001;
        assertThat(expected).isEqualTo(9_990_100_300_001L);
        assertThatThrownBy(() -> require(spec("depth: [4, 1000], width: [5, 100000]"), UNLIMITED))
                .isInstanceOf(SpecException.class)
                .hasFieldOrPropertyWithValue("keyPath", "grid.width[1]")
                .hasMessage("Cannot plan sweep: 'grid.width[1]' is 100000 with 'grid.depth[0]' 4 ("
                        + (3L * 100_000 + 3L * 100_001 * 100_000 + 100_001) + " parameters per trial); expected at most 2147483639 parameters per trial (the largest Java "
                        + "array; the statistics copy each gradient into one)");
        assertThatThrownBy(() -> require(spec("depth: [1000], width: [100000]"), UNLIMITED))
                .hasMessageStartingWith("Cannot plan sweep: 'grid.width[0]' is 100000 with 'grid.depth[0]' 1000 ("
                        + expected + " parameters per trial)");
    }

    @Test
    void aSampledShapeIsNamedByItsSampleKey() {
        SweepSpec s = SpecParser.parse("""
                name: cost
                dataset: {name: circles, samples: 1000}
                train: {epochs: 1, batch_size: 32}
                grid: {activation: [tanh], depth: [1000]}
                sample: {n: 2, method: random, width: 'int(50000, 100000)'}
                """);
        assertThatThrownBy(() -> require(s, UNLIMITED))
                .hasFieldOrPropertyWithValue("keyPath", "sample.width")
                .hasMessageMatching("Cannot plan sweep: 'sample.width' drew \\d+ with 'grid.depth\\[0]' 1000 \\(\\d+ "
                        + "parameters per trial\\); expected at most 2147483639 .*");
    }

    @Test
    void theArrayLimitHoldsJustBelowAndRefusesJustAbove() {
        // widths [a, b] on circles: 3a + (a + 1) b + (b + 1) parameters
        long below = 3L * 46_340 + 46_341L * 46_336 + 46_337;
        long above = 3L * 46_340 + 46_341L * 46_337 + 46_338;
        assertThat(below).isLessThanOrEqualTo(CostLimits.MAX_ARRAY);
        assertThat(above).isGreaterThan(CostLimits.MAX_ARRAY);
        SweepSpec ok = spec("widths: [[46340, 46336]], optimizer: [sgd]");
        assertThat(TrialCost.parameters(Grid.expand(ok, 1).get(0))).isEqualTo(below);
        assertThatCode(() -> require(ok, UNLIMITED)).doesNotThrowAnyException();
        assertThatThrownBy(() -> require(spec("widths: [[46340, 46336], [46340, 46337]]"), UNLIMITED))
                .hasFieldOrPropertyWithValue("keyPath", "grid.widths[1]")
                .hasMessageStartingWith("Cannot plan sweep: 'grid.widths[1]' is [46340, 46337] (" + above
                        + " parameters per trial); expected at most 2147483639");
    }

    @Test
    void aVectorGroupHoldsItsParametersInOneArray() {
        // two trials of 1.07e9 parameters each are below the limit alone, not together
        List<TrialConfig> two = Grid.expand(spec("widths: [[32768, 32768]], seed: [1, 2]"), 2);
        long each = TrialCost.parameters(two.get(0));
        assertThat(each).isLessThan(CostLimits.MAX_ARRAY).isGreaterThan(CostLimits.MAX_ARRAY / 2);
        assertThatThrownBy(() -> CostLimits.require(spec("widths: [[32768, 32768]]"), List.of(two),
                UNLIMITED, "plan sweep"))
                .hasMessage("Cannot plan sweep: 'grid.widths[0]' is [32768, 32768] (" + 2 * each + " parameters in "
                        + "a vector group of 2 trials); expected at most 2147483639 parameters per group (the largest"
                        + " Java array, which holds a group's parameters; lower train.group_size)");
        // Groups itself never packs such trials together: each trains alone
        assertThat(Groups.of(two)).hasSize(2);
    }

    @Test
    void memoryIsEstimatedFromBuffersActivationsAndDataAndComparedWithTheBudget() {
        SweepSpec s = spec("depth: [2], width: [5], seed: [1, 2, 3, 4]");
        TrialConfig t = Grid.expand(s, 4).get(0);
        long params = 3 * 5 + 6 * 5 + 6;
        // adam: 5 buffers + 2 moments per parameter; 2 x 32 examples x (2 inputs + 10 units + 1 output); 1000 x 2 data
        long bytes = 4 * (params * 7 + 2 * 32 * 13 + 1000 * 2);
        assertThat(TrialCost.of(t)).isEqualTo(new TrialCost(params, bytes));
        // the four seeds train as one vector group, which needs four trials' memory at once
        assertThat(Groups.of(Grid.expand(s, 4))).hasSize(1);
        assertThatCode(() -> require(s, new CostLimits.Budget(4 * bytes, "b"))).doesNotThrowAnyException();
        assertThatThrownBy(() -> require(s, new CostLimits.Budget(4 * bytes - 1, "the max heap of this JVM (-Xmx)")))
                .hasFieldOrPropertyWithValue("keyPath", "grid.width[0]")
                .hasMessage("Cannot plan sweep: 'grid.width[0]' is 5 with 'grid.depth[0]' 2 (51 parameters, an "
                        + "estimated 49.8 KiB for its vector group of 4 trials); expected at most 49.8 KiB, the max "
                        + "heap of this JVM (-Xmx)");
        SweepSpec alone = spec("dl4j", "depth: [2], width: [5], seed: [1, 2, 3, 4]");
        assertThatCode(() -> require(alone, new CostLimits.Budget(bytes, "b"))).doesNotThrowAnyException();
        assertThatThrownBy(() -> require(alone, new CostLimits.Budget(bytes - 1, "b")))
                .hasMessageContaining("(51 parameters, an estimated 12.5 KiB per trial); expected at most 12.5 KiB, b");
    }

    @Test
    void bytesShowInBinaryUnits() {
        assertThat(CostLimits.show(512)).isEqualTo("512 B");
        assertThat(CostLimits.show(3L << 30)).isEqualTo("3.0 GiB");
        assertThat(CostLimits.show(1.5 * (1L << 40))).isEqualTo("1.5 TiB");
    }
}
