package io.gradsweep.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradsweep.spark.SweepJob;
import io.gradsweep.spec.Grid;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.train.TrialOutcome;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * Two small real sweeps with known outcomes, written side by side into one results directory:
 * <ul>
 *   <li>{@code mix}: depth-8 nets on circles; sigmoid with N(0,1) weights vanishes (first/last hidden-layer gradient
 *   std ratio far below 0.1), tanh and relu mostly learn (healthy), but after 3 epochs one seed of each with N(0,1)
 *   weights is still at chance (stalled);</li>
 *   <li>{@code boom}: a deep linear net with N(0,10) weights on 3-class spirals (softmax, so gradients do not die in
 *   a saturated sigmoid); lr 1000 diverges within a few iterations, lr 1e-4 stays finite but its gradient L2 is far
 *   above 1e3 (exploding). It has a test split, mix has none.</li>
 *   <li>{@code seq} ({@link #runRecurrent}): two-layer SimpleRnn and LSTM on the adding problem at T = 6, the
 *   smallest sweep with timestep_gradients rows, for the analyses of recurrent trials.</li>
 * </ul>
 */
final class Fixtures {
    static final String MIX = """
            name: mix
            dataset: {name: circles, samples: 200, noise: 0.1, factor: 0.5, seed: 1}
            train: {epochs: 3, batch_size: 32}
            grid:
              activation: [sigmoid, tanh, relu]
              depth: [8]
              width: [8]
              initializer: ["normal(0,1)", glorot_uniform]
              optimizer: [rmsprop]
              learning_rate: [0.01]
              seed: [1, 2]
            """;

    static final String BOOM = """
            name: boom
            dataset: {name: spirals, samples: 90, classes: 3, noise: 0.1, seed: 1, test_fraction: 0.2}
            train: {epochs: 2, batch_size: 24}
            grid:
              activation: [linear]
              depth: [3]
              width: [4]
              initializer: ["normal(0,10)"]
              optimizer: [sgd]
              learning_rate: [1000, 0.0001]
              seed: [1]
            """;

    static final String SEQ = """
            name: seq
            dataset: {name: adding, samples: 64, length: 6, seed: 1, test_fraction: 0.25}
            train: {epochs: 2, batch_size: 16}
            grid:
              model: [simple_rnn, lstm]
              activation: [tanh]
              depth: [2]
              width: [4]
              initializer: [glorot_uniform]
              optimizer: [adam]
              learning_rate: [0.01]
              seed: [1]
            """;

    private Fixtures() {
    }

    static SparkSession session() {
        return SparkSession.builder().master("local[2]").appName("gradsweep-analysis-test")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
    }

    /** Runs both sweeps into {@code out}; returns the outcomes as the job reported them. */
    static List<TrialOutcome> run(SparkSession spark, String out) throws Exception {
        List<TrialOutcome> all = new ArrayList<>();
        for (String spec : List.of(MIX, BOOM)) {
            StringWriter log = new StringWriter();
            all.addAll(new SweepJob(spark, new PrintWriter(log, true))
                    .run(SpecParser.parse(spec), new SweepJob.Options(out, 2, Grid.DEFAULT_MAX_TRIALS, false)));
        }
        assertThat(all).hasSize(14);
        return all;
    }

    /** Runs {@link #SEQ} into {@code out}, beside the others or alone. */
    static List<TrialOutcome> runRecurrent(SparkSession spark, String out) throws Exception {
        List<TrialOutcome> seq = new SweepJob(spark, new PrintWriter(new StringWriter(), true))
                .run(SpecParser.parse(SEQ), new SweepJob.Options(out, 2, Grid.DEFAULT_MAX_TRIALS, false));
        assertThat(seq).hasSize(2);
        return seq;
    }
}
