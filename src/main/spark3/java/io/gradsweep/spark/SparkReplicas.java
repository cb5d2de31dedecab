package io.gradsweep.spark;

import io.gradsweep.data.Dataset;
import io.gradsweep.model.Network;
import io.gradsweep.spec.DataParallel;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.train.ClusterFailure;
import io.gradsweep.train.DataParallelTrainer;
import io.gradsweep.train.DataParallelTrainer.Replicas;
import io.gradsweep.train.Dl4jTrainer;
import io.gradsweep.train.WorkerStatsListener;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.SparkException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
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
                         List<TrainingListener> listeners) {
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
        // The examples travel once per executor as a broadcast; the RDD itself holds only minibatch numbers.
        // (parallelize() of the DataSets would put the data into every task of every round: 12.5 MB per task for
        // 8,000 MNIST images, most of each round's cost.)
        Broadcast<Dataset> examples = jsc.broadcast(train);
        int count = (train.size() + dp.batchSizePerWorker() - 1) / dp.batchSizePerWorker();
        JavaRDD<DataSet> data = jsc.parallelize(IntStream.range(0, count).boxed().toList(), dp.workers())
                .map(new Minibatch(examples, dp.batchSizePerWorker()));
        if (net.model() instanceof MultiLayerNetwork m) {
            SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(jsc, m, master);
            return replicas(spark, router, listeners, data, examples, () -> spark.fit(data));
        }
        SparkComputationGraph spark = new SparkComputationGraph(jsc, (ComputationGraph) net.model(), master);
        return replicas(spark, router, listeners, data, examples, () -> spark.fit(data));
    }

    private static Replicas replicas(SparkListenable spark, StatsStorageRouter router, List<TrainingListener> listeners,
                                     JavaRDD<DataSet> data, Broadcast<Dataset> examples, Runnable fit) {
        spark.setListeners(router, listeners);
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
                examples.destroy();
            }
        };
    }

    /**
     * Minibatch {@code i}: consecutive examples of the training set in its split order. The master shuffles whole
     * minibatches over workers and rounds, with its seeded generator.
     */
    private record Minibatch(Broadcast<Dataset> examples, int size) implements Function<Integer, DataSet> {
        @Override
        public DataSet call(Integer i) {
            Dataset train = examples.value();
            Dataset part = train.select(IntStream.range(i * size, Math.min(train.size(), (i + 1) * size)).toArray());
            return Dl4jTrainer.minibatch(part);
        }
    }

    /** A worker is the data shard it trains: the partition index within the averaging round. */
    private static final class PartitionIndex implements WorkerStatsListener.WorkerIndex {
        @Override
        public int current() {
            TaskContext task = TaskContext.get();
            return task == null ? 0 : task.partitionId();
        }

        @Override
        public int attempt() {
            TaskContext task = TaskContext.get();
            return task == null ? 0 : task.attemptNumber();
        }
    }
}
