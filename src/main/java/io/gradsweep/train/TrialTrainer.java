package io.gradsweep.train;

import io.gradsweep.data.Dataset;
import io.gradsweep.data.Split;
import io.gradsweep.data.Synthetic;
import io.gradsweep.model.Network;
import io.gradsweep.model.NetworkFactory;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.stats.Diagnosis;
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
    private static final int EVAL_CHUNK = 1024;
    private final UpdateClock clock;

    /** Receives the time of every minibatch update, statistics included, evaluation not: for benchmarks. */
    @FunctionalInterface
    public interface UpdateClock {
        /** Nanoseconds from any origin: wall time unless a benchmark reads another clock, e.g. the thread's CPU. */
        default long now() {
            return System.nanoTime();
        }

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
        private final EpochEvaluations evaluations;

        Run(TrialConfig t, Split data, TrialSink sink, UpdateClock clock) {
            this.t = t;
            this.data = data;
            this.sink = sink;
            this.clock = clock;
            this.diagnosis = new Diagnosis(t.stats());
            this.evaluations = new EpochEvaluations(t, data, sink);
        }

        void execute() {
            Faults.beforeTrial(t.trialId());
            Dataset trainSet = data.train();
            Network net = NetworkFactory.build(t, trainSet.numFeatures(), trainSet.numClasses());
            StatsListener stats = new StatsListener(t.trialId(), ParamLayout.of(net.paramTable(), net.paramOwners()),
                    net.activationOutputs(), layerActivations(t, trainSet.numClasses()), t.clipping(),
                    t.stats().every(), sink, diagnosis);
            net.setListeners(stats);
            TimestepRecorder timesteps = new TimestepRecorder(t.trialId(), net.timestepProbes(), t.stats().every(),
                    sink);
            stats.weightHistograms(net.model(), 0);
            Random shuffle = new Random(t.seed());
            int batch = t.train().batchSize();
            for (int epoch = 0; epoch < t.train().epochs() && !diverged; epoch++) {
                int[] order = Synthetic.permutation(trainSet.size(), shuffle);
                for (int from = 0; from < order.length && !diverged; from += batch) {
                    long began = clock.now();
                    Dataset mb = trainSet.select(Arrays.copyOfRange(order, from, Math.min(order.length, from + batch)));
                    boolean lastOfEpoch = from + batch >= order.length;
                    int gradientHistogram = iteration == 0 ? 0 : lastOfEpoch ? epoch + 1 : -1;
                    stats.beginIteration(iteration, epoch, mb.size(), gradientHistogram);
                    timesteps.beforeStep(iteration);
                    net.fit(minibatch(mb));
                    timesteps.afterStep(epoch, iteration, mb.size());
                    iteration++;
                    diverged = !Double.isFinite(net.score()) || stats.nonFiniteGradient();
                    clock.update(clock.now() - began);
                }
                evaluations.evaluate(net, epoch);
                stats.weightHistograms(net.model(), epoch + 1);
            }
        }

        TrialOutcome outcome(String status, String error, long startNanos) {
            return evaluations.outcome(status, iteration, startNanos, diagnosis, error);
        }
    }

    /**
     * Activation name per layer, hidden layers then the output layer (sigmoid for two classes, softmax for more,
     * linear for regression).
     */
    public static List<String> layerActivations(TrialConfig t, int numClasses) {
        List<String> names = new ArrayList<>(Collections.nCopies(t.depth(), t.activation().name()));
        names.add(numClasses == 0 ? "linear" : numClasses == 2 ? "sigmoid" : "softmax");
        return names;
    }

    /**
     * Network outputs (probabilities, or regression values) as a row-major [n * outputs] vector. Sequences go
     * through in chunks: a recurrent layer's output for a whole set, examples x units x steps, can be huge.
     */
    static float[] outputs(Network net, Dataset d) {
        return outputs(net, d, d.sequence() ? EVAL_CHUNK : d.size());
    }

    static float[] outputs(Network net, Dataset d, int chunk) {
        if (d.size() <= chunk) {
            INDArray out = net.output(features(d));
            return out.dup('c').reshape(out.length()).toFloatVector();
        }
        float[] all = null;
        for (int from = 0; from < d.size(); from += chunk) {
            int[] rows = java.util.stream.IntStream.range(from, Math.min(d.size(), from + chunk)).toArray();
            float[] part = outputs(net, d.select(rows), chunk);
            all = all == null ? new float[part.length / rows.length * d.size()] : all;
            System.arraycopy(part, 0, all, from * (part.length / rows.length), part.length);
        }
        return all;
    }

    /** Examples as the DL4J DataSet a network fits: features and labels laid out as below. */
    public static DataSet minibatch(Dataset d) {
        return new DataSet(features(d), labels(d));
    }

    /** [n, features] for flat data, DL4J's recurrent layout [n, features, steps] for sequences. */
    public static INDArray features(Dataset d) {
        long[] shape = d.sequence() ? new long[] {d.size(), d.numFeatures(), d.steps()}
                : new long[] {d.size(), d.numFeatures()};
        return Nd4j.create(d.features(), shape, DataType.FLOAT);
    }

    /** A column of 0/1 for a single sigmoid output, one-hot rows for softmax, a column of targets for regression. */
    public static INDArray labels(Dataset d) {
        if (d.regression()) {
            return Nd4j.create(d.targets().clone(), new long[] {d.size(), 1}, DataType.FLOAT);
        }
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
