package io.gradsweep.train;

import io.gradsweep.model.TimestepProbe;
import java.util.List;

/**
 * Hands a recurrent net's per-step input gradients to the trial's {@link TrialRecorder} on recorded iterations. The
 * probes capture during the training step's own backward pass; this arms them before the step and passes their
 * captures on after it.
 */
final class TimestepRecorder {
    private final TrialRecorder recorder;
    private final List<TimestepProbe.Instance> probes;

    TimestepRecorder(TrialRecorder recorder, List<TimestepProbe.Instance> probes) {
        this.recorder = recorder;
        this.probes = List.copyOf(probes);
    }

    void beforeStep(long iteration) {
        if (recorder.records(iteration)) {
            probes.forEach(TimestepProbe.Instance::arm);
        }
    }

    /** DL4J's epsilons are gradients of the summed minibatch loss: divided by its size, as in the gradients table. */
    void afterStep(int epoch, long iteration, int minibatch) {
        for (int layer = 0; layer < probes.size(); layer++) {
            TimestepProbe.Capture c = probes.get(layer).take();
            if (c != null) {
                recorder.timestepGradients(layer, c.values(), c.examples(), c.features(), c.steps(), epoch,
                        iteration, 1.0 / minibatch);
            }
        }
    }
}
