package io.gradsweep.train;

import io.gradsweep.stats.ActivationRow;
import io.gradsweep.stats.EpochRow;
import io.gradsweep.stats.GradientRow;
import io.gradsweep.stats.HistogramRow;
import io.gradsweep.stats.TimestepRow;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.core.storage.listener.RoutingIterationListener;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Records a data-parallel trial's statistics on the workers. DL4J's Spark training master ships its listeners to
 * every worker with the closure and, for a {@link RoutingIterationListener}, hands each copy a router whose
 * contents come back to the driver with that worker's result. Each copy runs the same {@link StatsListener} as a
 * local trial and routes the rows of every recorded iteration as one {@link WorkerRows}, tagged with the worker
 * (the data shard's partition) and the averaging round.
 *
 * <p>Iterations are DL4J's own counter: a replica starts from the driver's count, which the master advances by
 * {@code averaging_frequency} per round, so round = iteration / averaging_frequency and every worker of a round
 * reports the same iteration numbers.
 */
public final class WorkerStatsListener extends BaseTrainingListener implements RoutingIterationListener {
    /** Which worker this copy runs in; supplied by the Spark layer, which knows the partition. */
    @FunctionalInterface
    public interface WorkerIndex extends Serializable {
        int current();
    }

    private final WorkerPlan plan;
    private final WorkerIndex workerIndex;
    private int epoch;
    private String workerId = "driver";
    private String sessionId;
    private transient StatsStorageRouter router;
    private transient StatsListener stats;
    private transient Rows rows;
    private transient int worker;
    private transient long iteration;

    public WorkerStatsListener(WorkerPlan plan, WorkerIndex workerIndex) {
        this.plan = plan;
        this.workerIndex = workerIndex;
        this.sessionId = plan.trialId();
    }

    /** Set on the driver before each epoch's fit; it travels to the workers with the serialized listener. */
    public void epoch(int epoch) {
        this.epoch = epoch;
    }

    @Override
    public void onForwardPass(Model model, List<INDArray> activations) {
        begin(model).onForwardPass(model, activations);
    }

    @Override
    public void onForwardPass(Model model, Map<String, INDArray> activations) {
        begin(model).onForwardPass(model, activations);
    }

    @Override
    public void onGradientCalculation(Model model) {
        begin(model).onGradientCalculation(model);
    }

    @Override
    public void iterationDone(Model model, int dl4jIteration, int dl4jEpoch) {
        begin(model).iterationDone(model, dl4jIteration, dl4jEpoch);
        if (!rows.list.isEmpty() && router != null) {
            router.putUpdate(new WorkerRows(sessionId, workerId, worker, iteration, rows.list));
        }
        rows.list.clear();
        iteration = -1;
    }

    /** The first callback of an iteration starts it: DL4J's counter is not advanced until after iterationDone. */
    private StatsListener begin(Model model) {
        if (stats == null) {
            rows = new Rows();
            stats = plan.listener(rows);
            worker = workerIndex.current();
            iteration = -1;
        }
        long current = iterationCount(model);
        if (current != iteration) {
            iteration = current;
            rows.round = (int) (current / plan.averagingFrequency());
            rows.worker = worker;
            stats.beginIteration(current, epoch, (int) model.batchSize(), -1);
        }
        return stats;
    }

    private static long iterationCount(Model model) {
        return model instanceof MultiLayerNetwork m ? m.getIterationCount()
                : ((ComputationGraph) model).getIterationCount();
    }

    /** Collects one iteration's rows, tagged with the worker and round. */
    private static final class Rows implements TrialSink {
        private final List<Object> list = new ArrayList<>();
        private int worker;
        private int round;

        @Override
        public void gradient(GradientRow row) {
            list.add(row.onWorker(worker, round));
        }

        @Override
        public void activation(ActivationRow row) {
            list.add(row.onWorker(worker, round));
        }

        @Override
        public void epoch(EpochRow row) {
            throw new UnsupportedOperationException("workers do not evaluate");
        }

        @Override
        public void histogram(HistogramRow row) {
            throw new UnsupportedOperationException("workers record no histograms");
        }

        @Override
        public void timestepGradient(TimestepRow row) {
            throw new UnsupportedOperationException("recurrent trials do not train data-parallel");
        }
    }

    @Override
    public void setStorageRouter(StatsStorageRouter router) {
        this.router = router;
    }

    @Override
    public StatsStorageRouter getStorageRouter() {
        return router;
    }

    @Override
    public void setWorkerID(String workerId) {
        this.workerId = workerId;
    }

    @Override
    public String getWorkerID() {
        return workerId;
    }

    @Override
    public void setSessionID(String sessionId) {
        this.sessionId = sessionId;
    }

    @Override
    public String getSessionID() {
        return sessionId;
    }

    @Override
    public WorkerStatsListener clone() {
        WorkerStatsListener copy = new WorkerStatsListener(plan, workerIndex);
        copy.epoch = epoch;
        copy.workerId = workerId;
        copy.sessionId = sessionId;
        copy.router = router;
        return copy;
    }
}
