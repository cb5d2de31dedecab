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

    /** Minibatches of {@code batchSizePerWorker} one epoch over {@code examples} makes. */
    public long minibatches(long examples) {
        return (examples + batchSizePerWorker - 1) / batchSizePerWorker;
    }

    /**
     * Averaging rounds per epoch, as DL4J's master splits the minibatches: into rounds of workers x
     * averaging_frequency, rounded down (one round when there are fewer).
     */
    public long rounds(long examples) {
        return Math.max(1, minibatches(examples) / ((long) workers * averagingFrequency));
    }

    /**
     * Minibatches per epoch that no worker trains: DL4J stops each worker after averaging_frequency minibatches a
     * round, so whatever rounding down left over in a round is skipped (a different random part every epoch).
     */
    public long skippedMinibatches(long examples) {
        long all = minibatches(examples);
        return Math.max(0, all - rounds(examples) * workers * averagingFrequency);
    }

    String canonical() {
        return ";mode=data-parallel;workers=" + workers + ";batch_size_per_worker=" + batchSizePerWorker
                + ";averaging_frequency=" + averagingFrequency;
    }
}
