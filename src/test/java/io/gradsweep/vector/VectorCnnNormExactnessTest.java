package io.gradsweep.vector;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradsweep.spec.TrialConfig;
import io.gradsweep.testing.TestData;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * VectorCnnExactnessTest's method for the batch-normalized CNN (conv, BN, activation per block, with or without the
 * skip): groups differing in initializer, learning rate and clipping threshold against each trial trained
 * alone on DL4J, every recorded row bit-identical (the test split and a last short minibatch of 5 included), and
 * the parameters, running mean and log10 std after 102 updates DL4J's bit for bit.
 */
class VectorCnnNormExactnessTest {
    static List<TrialConfig> cnn(String residual, String activation, String optimizer, String clipping, int limit) {
        return VectorExactnessTest.spec("""
                name: cnn-bn
                dataset: {name: mnist, path: '%s', limit: %d, test_fraction: 0.25, seed: 1}
                train: {epochs: 2, batch_size: 8}
                grid: {model: [cnn], activation: [%s], depth: [3], width: [4], batch_norm: [true], residual: [%s],
                       initializer: [he_normal, "normal(0,0.5)"], optimizer: ["%s"], learning_rate: [0.01, 0.002],
                       clipping: [%s], seed: [7]}
                stats: {every: 2}
                """.formatted(TestData.MNIST, limit, activation, residual, optimizer, clipping));
    }

    @AfterAll
    static void report() {
        System.out.println("vector bn cnn vs dl4j, largest relative difference per quantity: "
                + VectorCnnExactnessTest.AGREEMENT.worst);
    }

    /** 39 digits: 29 train (minibatches of 8, 8, 8 and 5), 10 test; groups of four or eight trials. */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"false; relu; adam; none", "true; relu; adam; none",
            "true; tanh; sgd; 'norm(0.05)', 'norm(0.5)'", "false; sigmoid; rmsprop; 'value(0.01)', 'value(1)'"})
    void groupsOfEveryTrialAgreeWithDl4j(String residual, String activation, String optimizer, String clipping) {
        List<TrialConfig> trials = cnn(residual, activation, optimizer, clipping, 39);
        assertThat(trials).hasSizeGreaterThan(1).allSatisfy(t -> assertThat(t.architecture().batchNorm()).isTrue());
        VectorCnnExactnessTest.agree(trials);
    }

    @Test
    void aSingleTrialAgreesWithDl4j() {
        VectorCnnExactnessTest.agree(cnn("true", "relu", "adam", "none", 39).subList(0, 1));
    }

    /**
     * The planner's groups of the shipped 10-block, 8-channel CNN at batch 32 within the 2^25-float activation budget:
     * per example 784 + 2 * 10 floats of input and outputs, the widest im2col matrix twice (2 * 72 * 196), and per
     * block five 8 x 196 maps, ten with batch norm, plus three host copies of one map: 107,428 floats (9 trials) and
     * 190,532 (5 trials).
     */
    @Test
    void groupsOfTheShippedCnnAreSizedWithTheirBatchNormBuffers() {
        for (boolean bn : new boolean[] {false, true}) {
            List<TrialConfig> trials = VectorExactnessTest.spec("""
                    name: cnn-plan
                    dataset: {name: mnist, path: '%s', limit: 64}
                    train: {epochs: 1, batch_size: 32}
                    grid: {model: [cnn], activation: [relu], depth: [10], width: [8], batch_norm: [%s],
                           residual: [true], seed: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]}
                    """.formatted(TestData.MNIST, bn));
            int size = (int) ((1L << 25) / (32L * (bn ? 190_532 : 107_428)));
            assertThat(size).isEqualTo(bn ? 5 : 9);
            assertThat(Groups.of(trials)).as("batch_norm " + bn).extracting(List::size)
                    .containsExactlyElementsOf(bn ? List.of(5, 5, 2) : List.of(9, 3));
        }
    }

    /** 405 train digits: 51 minibatches per epoch, the last of 5; two epochs; three trials. */
    @Test
    void parametersAndRunningStatisticsAfter102UpdatesAreDl4jsBitForBit() {
        VectorCnnExactnessTest.assertParametersAreDl4jsAfter(cnn("true", "relu", "adam", "none", 540).subList(0, 3),
                102);
    }
}
