package io.gradsweep.train;

import io.gradsweep.data.Dataset;
import io.gradsweep.data.Split;
import io.gradsweep.data.Synthetic;
import io.gradsweep.model.Network;
import io.gradsweep.model.NetworkFactory;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.stats.Diagnosis;
import io.gradsweep.stats.EpochRow;
import io.gradsweep.stats.ParamLayout;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains one trial on one thread and streams its statistics to a {@link TrialSink}. Minibatches are reshuffled every
 * epoch with a generator seeded by the trial seed, so a trial's numbers depend on its config alone.
 */
public final class TrialTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(TrialTrainer.class);
    private final UpdateClock clock;

    /** Receives the wall time of every minibatch update, statistics included, evaluation not: for benchmarks. */
    @FunctionalInterface
    public interface UpdateClock {
        void update(long nanos);
    }

    public TrialTrainer() {
        this(nanos -> { });
    }

    public TrialTrainer(UpdateClock clock) {
        this.clock = clock;
    }

    public TrialOutcome train(TrialConfig t, Split data, TrialSink sink) {
        long start = System.nanoTime();
        Run run = new Run(t, data, sink, clock);
        try {
            run.execute();
            return run.outcome(run.diverged ? TrialOutcome.DIVERGED : TrialOutcome.OK, null, start);
        } catch (UncheckedIOException e) {
            throw e; // the sink could not write: fail the task so Spark retries it, rather than blame the trial
        } catch (RuntimeException | OutOfMemoryError e) {
            LOG.warn("Trial {} failed: {}", t.trialId(), e.toString());
            return run.outcome(TrialOutcome.FAILED, e.toString(), start);
        }
    }

    /** The mutable state of one training run. */
    private static final class Run {
        private final TrialConfig t;
        private final Split data;
        private final TrialSink sink;
        private final UpdateClock clock;
        private final Diagnosis diagnosis;
        private long iteration;
        private boolean diverged;
        private double[] train;
        private double[] test;

        Run(TrialConfig t, Split data, TrialSink sink, UpdateClock clock) {
            this.t = t;
            this.data = data;
            this.sink = sink;
            this.clock = clock;
            this.diagnosis = new Diagnosis(t.stats());
        }

        void execute() {
            Faults.beforeTrial(t.trialId());
            Dataset trainSet = data.train();
            Network net = NetworkFactory.build(t, trainSet.numFeatures(), trainSet.numClasses());
            StatsListener stats = new StatsListener(t.trialId(), ParamLayout.of(net.paramTable(), net.paramOwners()),
                    net.activationOutputs(), layerActivations(t, trainSet.numClasses()), t.clipping(),
                    t.stats().every(), sink, diagnosis);
            net.setListeners(stats);
            stats.weightHistograms(net.model(), 0);
            Random shuffle = new Random(t.seed());
            int batch = t.train().batchSize();
            for (int epoch = 0; epoch < t.train().epochs() && !diverged; epoch++) {
                int[] order = Synthetic.permutation(trainSet.size(), shuffle);
                for (int from = 0; from < order.length && !diverged; from += batch) {
                    long began = System.nanoTime();
                    Dataset mb = trainSet.select(Arrays.copyOfRange(order, from, Math.min(order.length, from + batch)));
                    boolean lastOfEpoch = from + batch >= order.length;
                    int gradientHistogram = iteration == 0 ? 0 : lastOfEpoch ? epoch + 1 : -1;
                    stats.beginIteration(iteration, epoch, mb.size(), gradientHistogram);
                    net.fit(new DataSet(features(mb), labels(mb)));
                    iteration++;
                    diverged = !Double.isFinite(net.score()) || stats.nonFiniteGradient();
                    clock.update(System.nanoTime() - began);
                }
                evaluate(net, epoch);
                stats.weightHistograms(net.model(), epoch + 1);
            }
        }

        private void evaluate(Network net, int epoch) {
            train = Metrics.evaluate(probabilities(net, data.train()), data.train());
            test = data.hasTest() ? Metrics.evaluate(probabilities(net, data.test()), data.test()) : null;
            sink.epoch(new EpochRow(t.trialId(), epoch, train[0], train[1],
                    test == null ? null : test[0], test == null ? null : test[1]));
        }

        TrialOutcome outcome(String status, String error, long startNanos) {
            long wallMs = (System.nanoTime() - startNanos) / 1_000_000;
            return new TrialOutcome(t, status, train == null ? null : train[0], train == null ? null : train[1],
                    test == null ? null : test[0], test == null ? null : test[1], iteration, wallMs,
                    diagnosis.classify(), diagnosis.medianRatio(), diagnosis.maxL2(), error);
        }
    }

    /** Activation name per layer, hidden layers then the output layer (sigmoid for two classes, else softmax). */
    static List<String> layerActivations(TrialConfig t, int numClasses) {
        List<String> names = new ArrayList<>(Collections.nCopies(t.depth(), t.activation().name()));
        names.add(numClasses == 2 ? "sigmoid" : "softmax");
        return names;
    }

    /** Network outputs as a row-major [n * outputs] vector. */
    private static float[] probabilities(Network net, Dataset d) {
        INDArray out = net.output(features(d));
        return out.dup('c').reshape(out.length()).toFloatVector();
    }

    static INDArray features(Dataset d) {
        return Nd4j.create(d.features(), new long[] {d.size(), d.numFeatures()}, DataType.FLOAT);
    }

    /** One column of 0/1 for a single sigmoid output, one-hot rows for softmax. */
    static INDArray labels(Dataset d) {
        int k = d.numClasses() == 2 ? 1 : d.numClasses();
        float[] y = new float[d.size() * k];
        for (int i = 0; i < d.size(); i++) {
            if (k == 1) {
                y[i] = d.labels()[i];
            } else {
                y[i * k + d.labels()[i]] = 1;
            }
        }
        return Nd4j.create(y, new long[] {d.size(), k}, DataType.FLOAT);
    }
}
