package io.gradsweep.testing;

import io.gradsweep.data.Split;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.train.Dl4jTrainer;
import io.gradsweep.train.TrialOutcome;
import io.gradsweep.train.TrialRun;
import io.gradsweep.train.TrialSink;
import io.gradsweep.vector.VectorTrainer;
import java.util.List;
import java.util.function.Function;

/** Trials trained as a task trains them, through {@link TrialRun}, by one engine. */
public final class Train {
    private Train() {
    }

    public static TrialOutcome dl4j(TrialConfig t, Split data, TrialSink sink) {
        return TrialRun.run(new Dl4jTrainer(), List.of(t), data, x -> sink).get(0);
    }

    public static List<TrialOutcome> vector(List<TrialConfig> trials, Split data,
                                            Function<TrialConfig, TrialSink> sinks) {
        return TrialRun.run(new VectorTrainer(), trials, data, sinks);
    }
}
