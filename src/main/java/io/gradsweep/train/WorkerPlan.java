package io.gradsweep.train;

import io.gradsweep.model.Network;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.stats.ParamLayout;
import java.io.Serializable;
import java.util.Map;

/**
 * What a data-parallel worker needs to record a trial's statistics, worked out once on the driver from the built
 * network and shipped inside the listener: workers never rebuild the net just to learn its layout.
 */
public record WorkerPlan(TrialConfig trial, ParamLayout layout, Map<String, Integer> activationOutputs,
                         int averagingFrequency) implements Serializable {

    public WorkerPlan {
        activationOutputs = Map.copyOf(activationOutputs);
    }

    public static WorkerPlan of(TrialConfig t, Network net) {
        return new WorkerPlan(t, ParamLayout.of(net.paramTable(), net.paramOwners()), net.activationOutputs(),
                t.train().dataParallel().averagingFrequency());
    }

    public String trialId() {
        return trial.trialId();
    }

    /** The trial's recorder on this side, bound to the layout. */
    TrialRecorder recorder(TrialSink sink) {
        TrialRecorder recorder = new TrialRecorder(trial, sink);
        recorder.begin(layout);
        return recorder;
    }

    /** A worker's statistics listener, recording into {@code sink}. */
    StatsListener listener(TrialSink sink) {
        // No dL/ds on workers: their networks are DL4J's copies, whose probes this side cannot reach.
        return new StatsListener(recorder(sink), activationOutputs, Map.of());
    }
}
