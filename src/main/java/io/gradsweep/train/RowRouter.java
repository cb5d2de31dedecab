package io.gradsweep.train;

import io.gradsweep.stats.ActivationRow;
import io.gradsweep.stats.Diagnosis;
import io.gradsweep.stats.GradientRow;
import io.gradsweep.stats.ParamLayout.Segment;
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
 * {@link WorkerStatsListener}. Rows are written in (iteration, worker) order, so the files do
 * not depend on which worker finished first, and they feed the trial's {@link Diagnosis} as a local trial's do.
 */
final class RowRouter implements StatsStorageRouter {
    private final WorkerPlan plan;
    private final TrialSink sink;
    private final Diagnosis diagnosis;
    private final WorkerStatsListener workers;
    private boolean nonFinite;

    RowRouter(WorkerPlan plan, TrialSink sink, Diagnosis diagnosis, WorkerStatsListener workers) {
        this.plan = plan;
        this.workers = workers;
        this.sink = sink;
        this.diagnosis = diagnosis;
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
        Segment first = plan.firstHidden();
        Segment last = plan.lastHidden();
        Double firstStd = null;
        Double lastStd = null;
        for (Object row : rows.rows()) {
            if (row instanceof GradientRow g) {
                diagnosis.observeL2(g.gradient().l2());
                nonFinite |= !g.gradient().finite();
                firstStd = is(g, first) ? Double.valueOf(g.gradient().std()) : firstStd;
                lastStd = is(g, last) ? Double.valueOf(g.gradient().std()) : lastStd;
                sink.gradient(g);
            } else {
                sink.activation((ActivationRow) row);
            }
        }
        if (firstStd != null && lastStd != null) {
            diagnosis.observeRatio(firstStd, lastStd);
        }
    }

    private static boolean is(GradientRow row, Segment segment) {
        return segment != null && row.layer() == segment.layer() && row.param().equals(segment.param());
    }

    boolean nonFiniteGradient() {
        return nonFinite;
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
