package io.gradsweep.train;

import io.gradsweep.model.TimestepProbe;
import io.gradsweep.stats.TimestepRow;
import java.util.List;

/**
 * Writes the per-step input gradients of a recurrent net's layers on recorded iterations. The probes capture during
 * the training step's own backward pass; this arms them before the step and turns their captures into rows after.
 */
final class TimestepRecorder {
    private final String trialId;
    private final List<TimestepProbe.Instance> probes;
    private final int every;
    private final TrialSink sink;

    TimestepRecorder(String trialId, List<TimestepProbe.Instance> probes, int every, TrialSink sink) {
        this.trialId = trialId;
        this.probes = List.copyOf(probes);
        this.every = every;
        this.sink = sink;
    }

    void beforeStep(long iteration) {
        if (iteration % every == 0) {
            probes.forEach(TimestepProbe.Instance::arm);
        }
    }

    /** DL4J's epsilons are gradients of the summed minibatch loss: divided by its size, as in the gradients table. */
    void afterStep(int epoch, long iteration, int minibatch) {
        for (int layer = 0; layer < probes.size(); layer++) {
            TimestepProbe.Capture c = probes.get(layer).take();
            if (c != null) {
                TimestepRow.of(trialId, epoch, iteration, layer, c.values(), c.examples(), c.features(), c.steps(),
                        1.0 / minibatch).forEach(sink::timestepGradient);
            }
        }
    }
}
