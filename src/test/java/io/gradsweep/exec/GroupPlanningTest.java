package io.gradsweep.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradsweep.spec.Engine;
import io.gradsweep.spec.Grid;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.vector.Groups;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GroupPlanningTest {
    static List<TrialConfig> trials(String train) {
        return Grid.expand(SpecParser.parse("""
                name: plan
                dataset: {name: circles, samples: 100}
                train: {epochs: 2, batch_size: 32%s}
                grid: {activation: [tanh, relu], depth: [2], width: [3], residual: [false, true], dropout: [0.25],
                       initializer: [glorot_uniform, he_normal], learning_rate: [0.01, 0.1],
                       clipping: ["norm(1)", "norm(2)", "value(1)"], seed: [1, 2, 3]}
                """.formatted(train)), 1000);
    }

    @Test
    void groupsAreCompatibleChunksInIndexOrderAndDl4jTrialsStandAlone() {
        List<TrialConfig> all = trials(", group_size: 10");
        List<List<TrialConfig>> groups = Groups.of(all);
        assertThat(groups.stream().mapToInt(List::size).sum()).isEqualTo(all.size());
        for (List<TrialConfig> g : groups) {
            TrialConfig first = g.get(0);
            if (first.architecture().residual()) { // residual nets with dropout: DL4J only
                assertThat(g).hasSize(1);
                assertThat(Engine.of(first)).isEqualTo(Engine.DL4J);
                continue;
            }
            assertThat(g).hasSizeLessThanOrEqualTo(10).allSatisfy(t -> {
                assertThat(t.activation()).isEqualTo(first.activation());
                assertThat(t.clipping().name()).isEqualTo(first.clipping().name());
                assertThat(Engine.of(t)).isEqualTo(Engine.VECTOR);
            });
            assertThat(g).extracting(TrialConfig::index).isSorted();
        }
        // tanh with norm(c): 2 initializers x 2 rates x 2 thresholds x 3 seeds = 24 trials -> 10 + 10 + 4
        assertThat(groups.stream().filter(g -> g.get(0).activation().name().equals("tanh")
                && g.get(0).clipping().name().equals("norm") && !g.get(0).architecture().residual())
                .map(List::size)).containsExactly(10, 10, 4);
    }

    @Test
    void groupingDependsOnTheTrialsAloneAndBatchesCutGroupsOnlyToFillSlots() {
        List<TrialConfig> all = trials("");
        List<TrialConfig> shuffled = new ArrayList<>(all);
        Collections.shuffle(shuffled, new Random(4));
        assertThat(Groups.of(shuffled)).isEqualTo(Groups.of(all));
        List<List<TrialConfig>> groups = Groups.of(all);
        // 72 residual dropout trials alone (DL4J), and tanh/relu x norm/value clipping as four vector groups
        assertThat(groups).hasSize(76);
        Set<List<TrialConfig>> expected = new HashSet<>(groups);
        for (int tasks : new int[] {1, 2, 3, 7, 76}) {
            List<TrialBatch> batches = BatchPlanner.plan(all, tasks);
            Set<List<TrialConfig>> planned = new HashSet<>();
            batches.forEach(b -> planned.addAll(b.groups()));
            assertThat(planned).as("tasks %d", tasks).isEqualTo(expected);
            assertThat(batches.stream().mapToInt(b -> b.trials().size()).sum()).isEqualTo(all.size());
            assertThat(batches).hasSize(tasks);
        }
        // 100 slots: the four vector groups (24, 12, 24, 12 trials) are cut into 28 contiguous pieces
        List<TrialBatch> batches = BatchPlanner.plan(all, 100);
        assertThat(batches).hasSize(100);
        List<List<TrialConfig>> pieces = batches.stream().flatMap(b -> b.groups().stream()).toList();
        assertThat(pieces.stream().flatMap(List::stream).map(TrialConfig::trialId))
                .containsExactlyInAnyOrderElementsOf(all.stream().map(TrialConfig::trialId).toList());
        for (List<TrialConfig> piece : pieces) {
            List<TrialConfig> whole = groups.stream().filter(g -> g.contains(piece.get(0))).findFirst().orElseThrow();
            int from = whole.indexOf(piece.get(0));
            assertThat(piece).isEqualTo(whole.subList(from, from + piece.size()));
        }
    }

    @Test
    void aGroupCostsLessThanItsTrialsAloneButMoreThanOne() {
        List<List<TrialConfig>> groups = Groups.of(trials(", group_size: 8"));
        List<TrialConfig> group = groups.stream().filter(g -> g.size() == 8).findFirst().orElseThrow();
        double alone = group.stream().mapToDouble(t -> BatchPlanner.groupCost(List.of(t))).sum();
        assertThat(BatchPlanner.groupCost(group)).isLessThan(alone / 4)
                .isGreaterThan(BatchPlanner.groupCost(group.subList(0, 1)));
        List<TrialConfig> dl4j = trials(", engine: dl4j").subList(0, 1);
        assertThat(BatchPlanner.groupCost(dl4j)).isGreaterThan(BatchPlanner.groupCost(group.subList(0, 1)));
    }
}
