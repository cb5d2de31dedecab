package io.gradsweep.exec;

import io.gradsweep.data.Split;
import io.gradsweep.io.BatchOutput;
import io.gradsweep.io.OutputLayout;
import io.gradsweep.spec.DatasetSpec;
import io.gradsweep.spec.Engine;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.train.TrialOutcome;
import io.gradsweep.train.Dl4jTrainer;
import io.gradsweep.train.Trainer;
import io.gradsweep.train.TrialRun;
import io.gradsweep.vector.VectorTrainer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one batch where it is scheduled: trains its groups one after another (a vector group in one go, a DL4J trial
 * alone) into a staged {@link BatchOutput} and commits it. Free of Spark, so the same code runs in a task, a test
 * or a plain JVM.
 */
public final class BatchRunner {
    private static final Logger LOG = LoggerFactory.getLogger(BatchRunner.class);
    private final Trainer dl4j;
    private final Trainer vector;

    public BatchRunner() {
        this(new Dl4jTrainer(), new VectorTrainer());
    }

    /** The engines that train the batch's DL4J trials and its vector groups. */
    public BatchRunner(Trainer dl4j, Trainer vector) {
        this.dl4j = dl4j;
        this.vector = vector;
    }

    /**
     * Trains and commits the batch. {@code cancelled} is polled between trials and before the commit: a task of a
     * job that was already given up (a zombie) must not publish output that a resumed run is about to rewrite.
     */
    public List<TrialOutcome> run(TrialBatch batch, OutputLayout layout, Configuration conf, String attempt,
                                  BooleanSupplier cancelled) throws IOException {
        Natives.chooseOnExecutor();
        enforceSingleThread();
        Map<DatasetSpec, Split> data = new HashMap<>();
        List<TrialOutcome> outcomes = new ArrayList<>();
        String sweep = batch.trials().get(0).sweep();
        BatchOutput out = new BatchOutput(layout, sweep, batch.key(), attempt, conf);
        try {
            for (List<TrialConfig> group : batch.groups()) {
                checkCancelled(cancelled, batch);
                // DEBUG: at INFO a 100,000-trial sweep printed 200,000 lines around the progress lines that matter.
                group.forEach(t -> LOG.debug("Trial {} start: {}", t.trialId(), t.canonical()));
                DatasetSpec spec = group.get(0).dataset();
                Supplier<Split> split = () -> data.computeIfAbsent(spec, d -> Split.of(d, conf));
                Trainer trainer = switch (Engine.of(group.get(0))) {
                    case VECTOR -> vector;
                    case DL4J -> dl4j;
                    case DL4J_SPARK -> throw new IllegalArgumentException("Cannot run batch " + batch.key()
                            + " in a task: data-parallel trials train from the driver");
                };
                for (TrialOutcome o : train(trainer, group, split, out, batch)) {
                    outcomes.add(o);
                    LOG.debug("Trial {} end: status={} iterations={} train_accuracy={} wall_ms={}", o.trialId(),
                            o.status(), o.iterations(), o.trainAccuracy(), o.wallMs());
                }
            }
            checkCancelled(cancelled, batch);
            out.commit();
        } finally {
            out.close();
        }
        return outcomes;
    }

    private static void checkCancelled(BooleanSupplier cancelled, TrialBatch batch) {
        if (cancelled.getAsBoolean()) {
            throw new CancellationException("batch " + batch.key() + " was cancelled; its output is discarded");
        }
    }

    /** Trial-level errors become failed trials in {@link TrialRun}; what escapes here dooms the task, named. */
    private static List<TrialOutcome> train(Trainer trainer, List<TrialConfig> group, Supplier<Split> data,
                                            BatchOutput out, TrialBatch batch) throws IOException {
        try {
            if (group.size() > 1) {
                LOG.debug("Training {} trials as one vector group", group.size());
            }
            List<TrialOutcome> outcomes = TrialRun.run(trainer, group, data.get(), t -> out);
            for (TrialOutcome o : outcomes) {
                out.trial(o);
            }
            return outcomes;
        } catch (RuntimeException e) {
            String what = group.size() == 1 ? "trial " + group.get(0).trialId()
                    : "the group of trials " + group.get(0).trialId() + " and " + (group.size() - 1) + " more";
            throw new IOException("Cannot run " + what + " (batch " + batch.key() + "): " + e, e);
        }
    }

    /**
     * ND4J's OpenMP pool defaults to every core; several trainers per executor then slow each other 3-10x.
     * OMP_NUM_THREADS=1 in the environment is the primary control; this catches environments that forgot it.
     */
    static void enforceSingleThread() {
        if (Nd4j.getEnvironment().maxThreads() != 1) {
            LOG.warn("ND4J uses {} threads; forcing 1 (set OMP_NUM_THREADS=1 for executors)",
                    Nd4j.getEnvironment().maxThreads());
            Nd4j.getEnvironment().setMaxThreads(1);
            Nd4j.getEnvironment().setMaxMasterThreads(1);
        }
    }
}
