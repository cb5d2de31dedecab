package io.gradsweep.train;

import io.gradsweep.data.Dataset;
import io.gradsweep.data.Split;
import io.gradsweep.model.Network;
import io.gradsweep.model.NetworkFactory;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.stats.Diagnosis;
import java.io.UncheckedIOException;
import java.util.function.Consumer;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains one {@code train.mode: data-parallel} trial from the driver: the {@link Cluster} runs each epoch across
 * the workers, while statistics come back through a {@link RowRouter} and evaluation, weight histograms and the
 * outcome happen here, on the averaged network, exactly as for a local trial. Free of Spark: the cluster is an
 * interface the Spark layer implements.
 */
public final class DataParallelTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(DataParallelTrainer.class);

    /** Trains a network data-parallel over a training set, one epoch per {@link Replicas#fitEpoch} call. */
    public interface Cluster {
        /** Tells a worker's copy of the statistics listener which worker it runs in. */
        WorkerStatsListener.WorkerIndex workerIndex();

        Replicas open(TrialConfig t, Network net, Dataset train, StatsStorageRouter router, TrainingListener workers);
    }

    public interface Replicas extends AutoCloseable {
        void fitEpoch();

        @Override
        void close();
    }

    /** The cluster, not the trial, failed: the sweep fails and its committed trials survive for --resume. */
    public static final class ClusterFailure extends RuntimeException {
        public ClusterFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Cluster cluster;
    private final Consumer<String> progress;

    public DataParallelTrainer(Cluster cluster, Consumer<String> progress) {
        this.cluster = cluster;
        this.progress = progress;
    }

    public TrialOutcome train(TrialConfig t, Split data, TrialSink sink) {
        long start = System.nanoTime();
        Run run = new Run(t, data, sink);
        try {
            run.execute();
            return run.outcome(run.diverged ? TrialOutcome.DIVERGED : TrialOutcome.OK, null, start);
        } catch (ClusterFailure | UncheckedIOException e) {
            throw e; // the cluster or the output failed, not the trial: fail the sweep, keep what is committed
        } catch (RuntimeException | OutOfMemoryError e) {
            LOG.warn("Trial {} failed: {}", t.trialId(), e.toString());
            return run.outcome(TrialOutcome.FAILED, e.toString(), start);
        }
    }

    /** The mutable state of one data-parallel training run. */
    private final class Run {
        private final TrialConfig t;
        private final Split data;
        private final TrialSink sink;
        private final Diagnosis diagnosis;
        private final EpochEvaluations evaluations;
        private long iterations;
        private boolean diverged;

        Run(TrialConfig t, Split data, TrialSink sink) {
            this.t = t;
            this.data = data;
            this.sink = sink;
            this.diagnosis = new Diagnosis(t.stats());
            this.evaluations = new EpochEvaluations(t, data, sink);
        }

        void execute() {
            Dataset trainSet = data.train();
            Network net = NetworkFactory.build(t, trainSet.numFeatures(), trainSet.numClasses());
            WorkerPlan plan = WorkerPlan.of(t, net, trainSet.numClasses());
            WorkerStatsListener workers = new WorkerStatsListener(plan, cluster.workerIndex());
            RowRouter router = new RowRouter(plan, sink, diagnosis, workers);
            StatsListener histograms = plan.listener(sink);
            histograms.weightHistograms(net.model(), 0);
            try (Replicas replicas = cluster.open(t, net, trainSet, router, workers)) {
                for (int epoch = 0; epoch < t.train().epochs() && !diverged; epoch++) {
                    long began = System.nanoTime();
                    workers.epoch(epoch);
                    replicas.fitEpoch();
                    iterations = (long) workers.rounds() * plan.averagingFrequency();
                    // On the driver's network, which the master leaves holding the averaged parameters.
                    evaluations.evaluate(net, epoch);
                    histograms.weightHistograms(net.model(), epoch + 1);
                    report(epoch, System.nanoTime() - began);
                    diverged = !Double.isFinite(evaluations.train().loss()) || router.nonFiniteGradient();
                }
            }
        }

        private void report(int epoch, long nanos) {
            Evaluation test = evaluations.test();
            String accuracy = test == null || test.accuracy() == null ? ""
                    : String.format(" test_accuracy %.4f", test.accuracy());
            progress.accept(String.format("trial %s epoch %d/%d: train_loss %.4f%s, %d iterations (%.1f s)",
                    t.trialId(), epoch + 1, t.train().epochs(), evaluations.train().loss(), accuracy, iterations,
                    nanos / 1e9));
        }

        TrialOutcome outcome(String status, String error, long startNanos) {
            return evaluations.outcome(status, iterations, startNanos, diagnosis, error);
        }
    }
}
