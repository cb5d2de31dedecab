package io.gradsweep.spark;

import io.gradsweep.data.Dataset;
import io.gradsweep.model.Network;
import io.gradsweep.spec.DataParallel;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.train.DataParallelTrainer;
import io.gradsweep.train.DataParallelTrainer.ClusterFailure;
import io.gradsweep.train.DataParallelTrainer.Replicas;
import io.gradsweep.train.TrialTrainer;
import io.gradsweep.train.WorkerStatsListener;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.SparkException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.SparkListenable;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Data-parallel training on Spark with DL4J's parameter averaging: the training set becomes an RDD of
 * worker-sized minibatches, and each epoch is one {@code fit} of a {@link SparkDl4jMultiLayer} (or
 * {@link SparkComputationGraph}) over it.
 *
 * <p>The minibatches go to the workers directly (DL4J's {@code Direct} approach) rather than being exported to
 * files first: export needs a directory every executor shares, which DL4J refuses to assume for a local default
 * filesystem on a cluster. The master's random split is seeded with the trial seed.
 */
final class SparkReplicas implements DataParallelTrainer.Cluster {
    private final JavaSparkContext jsc;

    SparkReplicas(JavaSparkContext jsc) {
        this.jsc = jsc;
    }

    @Override
    public WorkerStatsListener.WorkerIndex workerIndex() {
        return new PartitionIndex();
    }

    @Override
    public Replicas open(TrialConfig t, Network net, Dataset train, StatsStorageRouter router,
                         TrainingListener workers) {
        DataParallel dp = t.train().dataParallel();
        ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(dp.workers(),
                dp.batchSizePerWorker())
                .batchSizePerWorker(dp.batchSizePerWorker())
                .averagingFrequency(dp.averagingFrequency())
                .saveUpdater(true) // average the optimizer state too, or Adam/RMSprop restart every round
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .workerPrefetchNumBatches(0)
                .rngSeed(t.seed())
                .build();
        JavaRDD<DataSet> data = jsc.parallelize(minibatches(train, dp.batchSizePerWorker()), dp.workers());
        if (net.model() instanceof MultiLayerNetwork m) {
            SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(jsc, m, master);
            return replicas(spark, router, workers, data, () -> spark.fit(data));
        }
        SparkComputationGraph spark = new SparkComputationGraph(jsc, (ComputationGraph) net.model(), master);
        return replicas(spark, router, workers, data, () -> spark.fit(data));
    }

    private static Replicas replicas(SparkListenable spark, StatsStorageRouter router, TrainingListener workers,
                                     JavaRDD<DataSet> data, Runnable fit) {
        spark.setListeners(router, List.of(workers));
        return new Replicas() {
            @Override
            public void fitEpoch() {
                try {
                    fit.run();
                } catch (Exception e) { // Scala throws SparkException undeclared, so javac cannot name it here
                    if (e instanceof SparkException) {
                        throw new ClusterFailure("Data-parallel training failed on the cluster: " + e.getMessage(),
                                e);
                    }
                    throw e;
                }
            }

            @Override
            public void close() {
                data.unpersist(false);
            }
        };
    }

    /** Consecutive minibatches of the training set in its split order; the master shuffles them over workers. */
    static List<DataSet> minibatches(Dataset train, int size) {
        List<DataSet> batches = new ArrayList<>();
        for (int from = 0; from < train.size(); from += size) {
            Dataset part = train.select(IntStream.range(from, Math.min(train.size(), from + size)).toArray());
            batches.add(new DataSet(TrialTrainer.features(part), TrialTrainer.labels(part)));
        }
        return batches;
    }

    /** A worker is the data shard it trains: the partition index within the averaging round. */
    private static final class PartitionIndex implements WorkerStatsListener.WorkerIndex {
        @Override
        public int current() {
            TaskContext task = TaskContext.get();
            return task == null ? 0 : task.partitionId();
        }
    }
}
