package io.gradsweep.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DataParallelSpecTest {
    static final String BASE = """
            name: t
            dataset: {name: circles, samples: 1000, test_fraction: 0.2}
            train: {epochs: 2, batch_size: 32%s}
            grid: {activation: [tanh], depth: [2], width: [3]%s}
            """;

    static SweepSpec parse(String train, String grid) {
        return SpecParser.parse(BASE.formatted(train, grid));
    }

    static TrialConfig first(SweepSpec spec) {
        return Grid.expand(spec, 10).get(0);
    }

    @Test
    void optionsDefaultToTheSweepBatchAndDl4jsAveragingFrequency() {
        SweepSpec spec = parse(", mode: data-parallel, data_parallel: {workers: 4}", "");
        assertThat(spec.train().dataParallel()).isEqualTo(new DataParallel(4, 32, 5));
        assertThat(spec.train().mode()).isEqualTo(TrainSpec.DATA_PARALLEL);
        assertThat(Engine.of(first(spec))).isEqualTo(Engine.DL4J_SPARK);
        // 800 training examples make 25 minibatches; DL4J's rounds of 4 x 5 round down to 1, of 5 counted updates
        assertThat(first(spec).totalIterations()).isEqualTo(2 * 5);
        DataParallel dp = spec.train().dataParallel();
        assertThat(dp.skippedMinibatches(800)).isEqualTo(5);
        assertThat(new DataParallel(2, 16, 5).rounds(640)).isEqualTo(4);
        assertThat(new DataParallel(2, 16, 5).skippedMinibatches(640)).isZero();
        assertThat(new DataParallel(2, 32, 20).rounds(8000)).isEqualTo(6);
        assertThat(new DataParallel(2, 32, 20).skippedMinibatches(8000)).isEqualTo(10);
        assertThat(new DataParallel(4, 32, 5).rounds(100)).as("fewer than one round: one round").isEqualTo(1);
        assertThat(new DataParallel(4, 32, 5).skippedMinibatches(100)).isZero();
    }

    @Test
    void everyOptionEntersTheTrialIdButLocalIdsStay() {
        TrialConfig local = first(parse("", ""));
        TrialConfig explicitLocal = first(parse(", mode: local", ""));
        assertThat(explicitLocal.trialId()).isEqualTo(local.trialId());
        assertThat(local.canonical()).doesNotContain("mode");
        String base = ", mode: data-parallel, data_parallel: {workers: 2, batch_size_per_worker: 16, "
                + "averaging_frequency: 5}";
        TrialConfig dp = first(parse(base, ""));
        assertThat(dp.canonical()).endsWith(";seed=0;mode=data-parallel;workers=2;batch_size_per_worker=16;"
                + "averaging_frequency=5");
        assertThat(java.util.Set.of(local.trialId(), dp.trialId(),
                first(parse(base.replace("workers: 2", "workers: 3"), "")).trialId(),
                first(parse(base.replace("batch_size_per_worker: 16", "batch_size_per_worker: 8"), "")).trialId(),
                first(parse(base.replace("averaging_frequency: 5", "averaging_frequency: 1"), "")).trialId()))
                .hasSize(5);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            ", mode: parallel||train.mode|Cannot parse spec: 'train.mode' is 'parallel'; expected one of local, "
                    + "data-parallel",
            ", data_parallel: {workers: 2}||train.data_parallel|Cannot parse spec: 'train.data_parallel' is set "
                    + "but 'train.mode' is 'local'; expected train.mode data-parallel, or no data_parallel block",
            ", mode: data-parallel||train.data_parallel|Cannot parse spec: 'train.data_parallel' is missing; "
                    + "expected a mapping with keys workers, batch_size_per_worker, averaging_frequency "
                    + "(train.mode is data-parallel; workers is required)",
            ", mode: data-parallel, data_parallel: {averaging_frequency: 2}||train.data_parallel.workers|Cannot "
                    + "parse spec: 'train.data_parallel.workers' is missing; expected an integer in [1, 4096]",
            ", mode: data-parallel, data_parallel: {workers: 0}||train.data_parallel.workers|Cannot parse spec: "
                    + "'train.data_parallel.workers' is 0; expected an integer in [1, 4096]",
            ", mode: data-parallel, data_parallel: {workers: 2, averaging: 3}||train.data_parallel.averaging|"
                    + "Cannot parse spec: 'train.data_parallel.averaging' is an unknown key; expected one of "
                    + "workers, batch_size_per_worker, averaging_frequency",
            ", mode: data-parallel, engine: vector, data_parallel: {workers: 2}||train.engine|Cannot parse spec: "
                    + "'train.engine' is 'vector'; expected auto or dl4j with train.mode data-parallel (it trains "
                    + "with DL4J's Spark integration)"})
    void refusesNamingKeyAndValue(String train, String grid, String key, String message) {
        assertThatThrownBy(() -> parse(train, grid == null ? "" : grid)).isInstanceOf(SpecException.class)
                .hasMessage(message).extracting(e -> ((SpecException) e).keyPath()).isEqualTo(key);
    }

    @Test
    void refusesRecurrentModels() {
        String rnn = """
                name: t
                dataset: {name: adding, samples: 200, length: 10}
                train: {epochs: 1, batch_size: 32, mode: data-parallel, data_parallel: {workers: 2}}
                grid: {model: [lstm], activation: [tanh], depth: [1], width: [8]}
                """;
        assertThatThrownBy(() -> SpecParser.parse(rnn)).isInstanceOf(SpecException.class)
                .hasMessage("Cannot parse spec: 'grid.model[0]' is 'lstm'; expected mlp or cnn with train.mode "
                        + "data-parallel (recurrent models train in local mode only)");
    }
}
