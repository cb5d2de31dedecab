package io.gradsweep.train;

import io.gradsweep.model.Network;
import io.gradsweep.spec.Clipping;
import io.gradsweep.spec.StatsSpec;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.stats.Diagnosis;
import io.gradsweep.stats.ParamLayout;
import io.gradsweep.stats.ParamLayout.Segment;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * What a data-parallel worker needs to record a trial's statistics, worked out once on the driver from the built
 * network and shipped inside the listener: workers never rebuild the net just to learn its layout.
 */
public record WorkerPlan(String trialId, ParamLayout layout, Map<String, Integer> activationOutputs,
                         List<String> layerActivations, Clipping clipping, StatsSpec stats, int averagingFrequency)
        implements Serializable {

    public WorkerPlan {
        activationOutputs = Map.copyOf(activationOutputs);
        layerActivations = List.copyOf(layerActivations);
    }

    public static WorkerPlan of(TrialConfig t, Network net, int numClasses) {
        return new WorkerPlan(t.trialId(), ParamLayout.of(net.paramTable(), net.paramOwners()),
                net.activationOutputs(), TrialTrainer.layerActivations(t, numClasses), t.clipping(), t.stats(),
                t.train().dataParallel().averagingFrequency());
    }

    StatsListener listener(TrialSink sink) {
        return new StatsListener(trialId, layout, activationOutputs, layerActivations, clipping, stats.every(), sink,
                new Diagnosis(stats));
    }

    /** The weight tensor of the first and last hidden layer, whose gradient-std ratio diagnoses vanishing. */
    Segment firstHidden() {
        return depth() >= 2 ? layout.segments().get(layout.weightIndex(0)) : null;
    }

    Segment lastHidden() {
        return depth() >= 2 ? layout.segments().get(layout.weightIndex(depth() - 1)) : null;
    }

    private int depth() {
        return layerActivations.size() - 1;
    }
}
