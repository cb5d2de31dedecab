package io.gradsweep.spec;

import java.io.Serializable;
/** Training budget shared by every trial of a sweep. */
public record TrainSpec(int epochs, int batchSize) implements Serializable {
    public TrainSpec {
        if (epochs < 1 || batchSize < 1) {
            throw new IllegalArgumentException("epochs and batch_size must be positive");
        }
    }
}
