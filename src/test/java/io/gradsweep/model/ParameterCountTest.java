package io.gradsweep.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradsweep.spec.TrialConfig;
import io.gradsweep.spec.TrialCost;
import io.gradsweep.testing.TestData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The cost check's parameter count is DL4J's own, in every model family the spec can build. */
class ParameterCountTest {
    private static final String MNIST = "mnist";
    private static final String ADDING = "{name: adding, samples: 20, length: 5}";

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{name: circles, samples: 20}           | activation: [tanh], depth: [3], width: [7]",
        "{name: blobs, classes: 3, samples: 30} | activation: [relu], widths: [[6, 4, 9]], batch_norm: [true]",
        "{name: blobs, classes: 4, samples: 30} | activation: [relu], depth: [4], width: [5], residual: [true]",
        "{name: circles, samples: 20}           | activation: [relu], depth: [3], width: [5], residual: [true], batch_norm: [true]",
        "mnist |  model: [cnn], activation: [relu], depth: [3], width: [4]",
        "mnist |  model: [cnn], activation: [relu], depth: [2], width: [6], batch_norm: [true], residual: [true]",
        ADDING + "                              | model: [simple_rnn], activation: [tanh], widths: [[8, 3]]",
        ADDING + "                              | model: [lstm], activation: [tanh], depth: [2], width: [5]",
    })
    void parametersAreWhatDl4jAllocates(String dataset, String grid) {
        String data = dataset.equals(MNIST) ? "{name: mnist, path: '" + TestData.MNIST + "', limit: 20}" : dataset;
        TrialConfig t = ArchitectureNetTest.trial(data, grid);
        Network net = NetworkFactory.build(t, t.dataset().numFeatures(), t.dataset().numClasses());
        assertThat(TrialCost.parameters(t)).as(t.canonical()).isEqualTo(net.model().numParams());
    }
}
