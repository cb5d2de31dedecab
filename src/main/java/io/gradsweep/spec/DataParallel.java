package io.gradsweep.spec;

import java.io.Serializable;

/**
 * How a {@code train.mode: data-parallel} trial is spread over the cluster: {@code workers} data shards each train
 * a replica on minibatches of {@code batchSizePerWorker} examples, and every {@code averagingFrequency} minibatches
 * the replicas' parameters and updater states are averaged into the next round's starting point (DL4J's
 * ParameterAveragingTrainingMaster). All three change a trial's numbers, so all three enter its id.
 */
public record DataParallel(int workers, int batchSizePerWorker, int averagingFrequency) implements Serializable {
    public static final int DEFAULT_AVERAGING_FREQUENCY = 5;

    public DataParallel {
        if (workers < 1 || batchSizePerWorker < 1 || averagingFrequency < 1) {
            throw new IllegalArgumentException("workers, batch_size_per_worker and averaging_frequency must be >= 1");
        }
    }

    /** Examples consumed by one averaging round: every worker trains averagingFrequency minibatches. */
    public long examplesPerRound() {
        return (long) workers * batchSizePerWorker * averagingFrequency;
    }

    String canonical() {
        return ";mode=data-parallel;workers=" + workers + ";batch_size_per_worker=" + batchSizePerWorker
                + ";averaging_frequency=" + averagingFrequency;
    }
}
