package io.gradsweep.train;

import io.gradsweep.data.Dataset;
import io.gradsweep.data.Split;
import io.gradsweep.model.Network;
import io.gradsweep.model.NetworkFactory;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.stats.Diagnosis;
import io.gradsweep.stats.EpochRow;
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
        Diagnosis diagnosis = new Diagnosis(t.stats());
        Evaluation train = null;
        Evaluation test = null;
        long iterations = 0;
        String status = TrialOutcome.OK;
        String error = null;
        try {
            Dataset trainSet = data.train();
            Network net = NetworkFactory.build(t, trainSet.numFeatures(), trainSet.numClasses());
            WorkerPlan plan = WorkerPlan.of(t, net, trainSet.numClasses());
            WorkerStatsListener workers = new WorkerStatsListener(plan, cluster.workerIndex());
            RowRouter router = new RowRouter(plan, sink, diagnosis, workers);
            StatsListener histograms = plan.listener(sink);
            histograms.weightHistograms(net.model(), 0);
            try (Replicas replicas = cluster.open(t, net, trainSet, router, workers)) {
                for (int epoch = 0; epoch < t.train().epochs(); epoch++) {
                    long began = System.nanoTime();
                    workers.epoch(epoch);
                    replicas.fitEpoch();
                    iterations = (long) workers.rounds() * plan.averagingFrequency();
                    train = Evaluation.of(net, trainSet);
                    test = data.hasTest() ? Evaluation.of(net, data.test()) : null;
                    sink.epoch(new EpochRow(t.trialId(), epoch, train.loss(), train.accuracy(),
                            test == null ? null : test.loss(), test == null ? null : test.accuracy()));
                    histograms.weightHistograms(net.model(), epoch + 1);
                    progress.accept(String.format("trial %s epoch %d/%d: train_loss %.4f%s, %d iterations "
                                    + "(%.1f s)", t.trialId(), epoch + 1, t.train().epochs(), train.loss(),
                            test == null || test.accuracy() == null ? "" : String.format(" test_accuracy %.4f",
                                    test.accuracy()), iterations, (System.nanoTime() - began) / 1e9));
                    if (!Double.isFinite(train.loss()) || router.nonFiniteGradient()) {
                        status = TrialOutcome.DIVERGED;
                        break;
                    }
                }
            }
        } catch (ClusterFailure | UncheckedIOException e) {
            throw e;
        } catch (RuntimeException | OutOfMemoryError e) {
            LOG.warn("Trial {} failed: {}", t.trialId(), e.toString());
            status = TrialOutcome.FAILED;
            error = e.toString();
        }
        long wallMs = (System.nanoTime() - start) / 1_000_000;
        return new TrialOutcome(t, status, train == null ? null : train.loss(), train == null ? null : train.accuracy(),
                test == null ? null : test.loss(), test == null ? null : test.accuracy(), iterations, wallMs,
                diagnosis.classify(), diagnosis.medianRatio(), diagnosis.maxL2(), error);
    }
}
