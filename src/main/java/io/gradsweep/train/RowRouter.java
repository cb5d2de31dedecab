package io.gradsweep.train;

import io.gradsweep.stats.ActivationRow;
import io.gradsweep.stats.GradientRow;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.core.storage.StorageMetaData;

/**
 * The driver's end of the workers' statistics: DL4J's training master hands it every accepted worker's
 * {@link WorkerRows} after each averaging round, which advances the round counter of the driver's copy of the
 * {@link WorkerStatsListener}. Rows go to the trial's {@link TrialRecorder} in (iteration, worker) order, so the
 * files do not depend on which worker finished first, and feed its diagnosis and divergence check as a local
 * trial's own rows do.
 */
final class RowRouter implements StatsStorageRouter {
    private final TrialRecorder recorder;
    private final WorkerStatsListener workers;

    RowRouter(TrialRecorder recorder, WorkerStatsListener workers) {
        this.recorder = recorder;
        this.workers = workers;
    }

    @Override
    public void putUpdate(Collection<? extends Persistable> updates) {
        List<WorkerRows> ours = new ArrayList<>();
        for (Persistable p : updates) {
            if (p instanceof WorkerRows rows) {
                ours.add(rows);
            }
        }
        ours.sort(Comparator.comparingLong(WorkerRows::iteration).thenComparingInt(WorkerRows::worker));
        ours.forEach(this::write);
        // One call per averaging round that trained: every worker copy sends at least its start marker.
        workers.nextRound();
    }

    /** DL4J's master only routes whole rounds, through {@link #putUpdate(Collection)}; this never ends one. */
    @Override
    public void putUpdate(Persistable update) {
        if (update instanceof WorkerRows rows) {
            write(rows);
        }
    }

    private void write(WorkerRows rows) {
        if (rows.iteration() < 0) {
            return; // a worker's start marker
        }
        recorder.observeLoss(rows.loss());
        List<GradientRow> gradients = new ArrayList<>();
        List<ActivationRow> activations = new ArrayList<>();
        for (Object row : rows.rows()) {
            if (row instanceof GradientRow g) {
                gradients.add(g);
            } else {
                activations.add((ActivationRow) row);
            }
        }
        recorder.observe(gradients, activations);
    }

    // Workers of this listener send no metadata or static info; DL4J's UI listeners would.
    @Override
    public void putStorageMetaData(StorageMetaData storageMetaData) {
    }

    @Override
    public void putStorageMetaData(Collection<? extends StorageMetaData> storageMetaData) {
    }

    @Override
    public void putStaticInfo(Persistable staticInfo) {
    }

    @Override
    public void putStaticInfo(Collection<? extends Persistable> staticInfo) {
    }
}
