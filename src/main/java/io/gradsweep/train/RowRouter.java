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
 * {@link WorkerRows} after each averaging round. Rows are written in (iteration, worker) order, so the files do
 * not depend on which worker finished first, and they feed the trial's {@link Diagnosis} as a local trial's do.
 */
final class RowRouter implements StatsStorageRouter {
    private final WorkerPlan plan;
    private final TrialSink sink;
    private final Diagnosis diagnosis;
    private long lastIteration = -1;
    private boolean nonFinite;

    RowRouter(WorkerPlan plan, TrialSink sink, Diagnosis diagnosis) {
        this.plan = plan;
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
    }

    @Override
    public void putUpdate(Persistable update) {
        putUpdate(List.of(update));
    }

    private void write(WorkerRows rows) {
        lastIteration = Math.max(lastIteration, rows.iteration());
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

    /** The highest iteration any worker recorded, or -1. */
    long lastIteration() {
        return lastIteration;
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
