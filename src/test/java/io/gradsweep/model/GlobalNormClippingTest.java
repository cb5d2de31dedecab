package io.gradsweep.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.gradsweep.data.Dataset;
import io.gradsweep.data.Split;
import io.gradsweep.spec.Grid;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.train.Dl4jTrainer;
import java.util.stream.IntStream;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

/** global_norm clipping belongs to the network: it clips with no listener, and with any listener. */
class GlobalNormClippingTest {
    static TrialConfig trial(String clipping) {
        return Grid.expand(SpecParser.parse("""
                name: clip
                dataset: {name: circles, samples: 64, noise: 0.1, factor: 0.5, seed: 3}
                train: {epochs: 1, batch_size: 16}
                grid: {activation: [tanh], depth: [2], width: [4], initializer: ["normal(0,1)"], optimizer: [sgd],
                       learning_rate: [1.0], seed: [5], clipping: ["%s"]}
                """.formatted(clipping)), 10).get(0);
    }

    /** With sgd at lr 1 the step of one minibatch is its clipped mean gradient. */
    static float[] step(TrialConfig t, boolean withListener) {
        Dataset train = Split.of(t.dataset()).train();
        Network net = NetworkFactory.build(t, train.numFeatures(), train.numClasses());
        if (withListener) {
            net.setListeners(new BaseTrainingListener() { });
        }
        float[] before = net.model().params().toFloatVector();
        DataSet mb = Dl4jTrainer.minibatch(train.select(IntStream.range(0, 16).toArray()));
        net.fit(mb);
        float[] after = net.model().params().toFloatVector();
        float[] step = new float[before.length];
        for (int i = 0; i < step.length; i++) {
            step[i] = before[i] - after[i];
        }
        return step;
    }

    static double l2(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        return Math.sqrt(sum);
    }

    @Test
    void theNetworkClipsItsGlobalNormWithOrWithoutListeners() {
        double raw = l2(step(trial("none"), false));
        assertThat(raw).as("the unclipped step must exceed the threshold for the test to mean anything")
                .isGreaterThan(0.05);
        float[] bare = step(trial("global_norm(0.01)"), false);
        float[] observed = step(trial("global_norm(0.01)"), true);
        assertThat(l2(bare)).isCloseTo(0.01, within(1e-6));
        assertThat(observed).containsExactly(bare);
    }
}
