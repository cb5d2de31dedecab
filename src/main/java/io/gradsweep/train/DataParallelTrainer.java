package io.gradsweep.train;

import io.gradsweep.data.Dataset;
import io.gradsweep.data.Split;
import io.gradsweep.model.Network;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.stats.HostCopy;
import java.util.List;
import java.util.function.Consumer;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.optimize.api.TrainingListener;

/**
 * The data-parallel engine: trains one {@code train.mode: data-parallel} trial from the driver. The {@link Cluster}
 * runs each epoch across the workers, whose statistics come back through a {@link RowRouter} into the trial's
 * {@link TrialRecorder}; evaluation and weight histograms happen here, on the averaged network, as for a local
 * trial. Free of Spark: the cluster is an interface the Spark layer implements.
 */
public final class DataParallelTrainer implements Trainer {

    /** Trains a network data-parallel over a training set, one epoch per {@link Replicas#fitEpoch} call. */
    public interface Cluster {
        /** Tells a worker's copy of the statistics listener which worker it runs in. */
        WorkerStatsListener.WorkerIndex workerIndex();

        /** {@code listeners} are what every worker's replica must run, in order (the network's own steps last). */
        Replicas open(TrialConfig t, Network net, Dataset train, StatsStorageRouter router,
                      List<TrainingListener> listeners);
    }

    public interface Replicas extends AutoCloseable {
        void fitEpoch();

        @Override
        void close();
    }

    private final Cluster cluster;
    private final Consumer<String> progress;

    public DataParallelTrainer(Cluster cluster, Consumer<String> progress) {
        this.cluster = cluster;
        this.progress = progress;
    }

    @Override
    public void train(List<TrialRecorder> trials, Split data) {
        TrialRecorder r = trials.get(0);
        TrialConfig t = r.config();
        Dataset trainSet = data.train();
        Network net = Dl4jTrainer.network(r, trainSet);
        WorkerPlan plan = WorkerPlan.of(t, net);
        WorkerStatsListener workers = new WorkerStatsListener(plan, cluster.workerIndex());
        RowRouter router = new RowRouter(r, workers);
        r.weightHistograms(HostCopy.vector(net.model().params()), 0);
        try (Replicas replicas = cluster.open(t, net, trainSet, router, net.trainingListeners(workers))) {
            for (int epoch = 0; epoch < t.train().epochs() && !r.diverged(); epoch++) {
                Faults.duringTraining(t.trialId(), r.iterations());
                long began = System.nanoTime();
                workers.epoch(epoch);
                replicas.fitEpoch();
                r.iterations((long) workers.rounds() * plan.averagingFrequency());
                // On the driver's network, which the master leaves holding the averaged parameters.
                Evaluation train = Evaluation.of(net, trainSet);
                Evaluation test = data.hasTest() ? Evaluation.of(net, data.test()) : null;
                r.epoch(epoch, train, test);
                r.weightHistograms(HostCopy.vector(net.model().params()), epoch + 1);
                report(t, epoch, train, test, r.iterations(), System.nanoTime() - began);
            }
        }
    }

    private void report(TrialConfig t, int epoch, Evaluation train, Evaluation test, long iterations, long nanos) {
        String accuracy = test == null || test.accuracy() == null ? ""
                : String.format(" test_accuracy %.4f", test.accuracy());
        progress.accept(String.format("trial %s epoch %d/%d: train_loss %.4f%s, %d iterations (%.1f s)",
                t.trialId(), epoch + 1, t.train().epochs(), train.loss(), accuracy, iterations, nanos / 1e9));
    }
}
