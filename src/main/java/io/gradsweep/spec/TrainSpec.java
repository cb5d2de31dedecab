package io.gradsweep.spec;

import java.io.Serializable;

/**
 * Training budget shared by every trial of a sweep, and how its trials are executed: the {@link Engine} and the
 * largest group the vector engine trains at once. Neither of the latter enters trial ids.
 */
public record TrainSpec(int epochs, int batchSize, String engine, int groupSize) implements Serializable {
    public TrainSpec {
        if (epochs < 1 || batchSize < 1 || groupSize < 1 || !Engine.NAMES.contains(engine)) {
            throw new IllegalArgumentException("epochs, batch_size and group_size must be positive");
        }
    }

    public TrainSpec(int epochs, int batchSize) {
        this(epochs, batchSize, Engine.AUTO, Engine.DEFAULT_GROUP_SIZE);
    }
}
