package io.gradsweep.spec;

import java.io.Serializable;
import java.util.List;

/**
 * Training budget shared by every trial of a sweep, and how its trials are executed. In the default {@code local}
 * mode each trial trains on one core, by the {@link Engine} named here, at most {@code groupSize} trials per vector
 * group; neither choice enters trial ids. In {@code data-parallel} mode each trial trains across the cluster as
 * {@link #dataParallel()} says, which does change its numbers and its id.
 */
public record TrainSpec(int epochs, int batchSize, Engine.Choice engine, int groupSize, DataParallel dataParallel)
        implements Serializable {
    public static final String LOCAL = "local";
    public static final String DATA_PARALLEL = "data-parallel";
    public static final List<String> MODES = List.of(LOCAL, DATA_PARALLEL);

    public TrainSpec {
        if (epochs < 1 || batchSize < 1 || groupSize < 1 || engine == null) {
            throw new IllegalArgumentException("epochs, batch_size and group_size must be positive; engine is "
                    + "required");
        }
    }

    public TrainSpec(int epochs, int batchSize, Engine.Choice engine, int groupSize) {
        this(epochs, batchSize, engine, groupSize, null);
    }

    public TrainSpec(int epochs, int batchSize) {
        this(epochs, batchSize, Engine.Choice.AUTO, Engine.DEFAULT_GROUP_SIZE);
    }

    public String mode() {
        return dataParallel == null ? LOCAL : DATA_PARALLEL;
    }

    public boolean isDataParallel() {
        return dataParallel != null;
    }
}
