package io.gradsweep.vector;

import io.gradsweep.data.Dataset;
import io.gradsweep.data.Split;
import io.gradsweep.spec.Architecture;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.train.Trainer;
import io.gradsweep.train.TrialRecorder;
import io.gradsweep.train.UpdateClock;
import java.util.List;

/**
 * The vector engine: trains a group of compatible trials (see {@link Groups}) as one batched computation, on one
 * thread, recording each through its own {@link TrialRecorder} exactly as the DL4J engine records it. A trial that
 * diverges stops while the rest go on; an exception fails the trials still training (see
 * {@link io.gradsweep.train.TrialRun}).
 */
public final class VectorTrainer implements Trainer {
    private final UpdateClock clock;

    public VectorTrainer() {
        this(UpdateClock.NONE);
    }

    /** {@code clock} receives the wall time of every group update, statistics included, evaluation not. */
    public VectorTrainer(UpdateClock clock) {
        this.clock = clock;
    }

    @Override
    public void requireTrainable(List<TrialConfig> trials) {
        Groups.requireOneGroup(trials);
    }

    @Override
    public void train(List<TrialRecorder> trials, Split data) {
        List<TrialConfig> configs = trials.stream().map(TrialRecorder::config).toList();
        GroupNet net = net(configs, data.train());
        for (int k = 0; k < trials.size(); k++) {
            trials.get(k).begin(net.layout(k));
        }
        new GroupRun(trials, data, net, clock).execute();
    }

    /** The batched net of the group's family ({@link Groups} keeps families apart). */
    static GroupNet net(List<TrialConfig> configs, Dataset train) {
        String model = configs.get(0).architecture().model();
        return model.equals(Architecture.SIMPLE_RNN) ? BatchedRnn.of(configs, train)
                : model.equals(Architecture.LSTM) ? BatchedLstm.of(configs, train)
                : model.equals(Architecture.CNN) ? BatchedCnn.of(configs, train)
                : BatchedMlp.of(configs, train);
    }
}
