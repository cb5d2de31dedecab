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
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Records a data-parallel trial's statistics on the workers. DL4J's Spark training master ships its listeners to
 * every worker with the closure and, for a {@link RoutingIterationListener}, hands each copy a router whose
 * contents come back to the driver with that worker's result. Each copy runs the same {@link StatsListener} as a
 * local trial and routes the rows of every recorded iteration as one {@link WorkerRows}, tagged with the worker
 * (the data shard's partition) and the averaging round.
 *
 * <p>Iterations count like DL4J's counter for a MultiLayerNetwork: every round advances it by
 * {@code averaging_frequency}, so iteration = round * averaging_frequency + the worker's minibatch within the round,
 * and every worker of a round reports the same iteration numbers. The round comes from the driver: the master
 * serializes its listeners anew for every round, after the previous round's rows reached the {@link RowRouter},
 * which advances it. (DL4J's own counter cannot be used: a ComputationGraph replica restarts it at 0 every round.)
 * Each copy therefore routes a marker, an empty {@link WorkerRows}, when it starts, so that every round that trained
 * reaches the router even when no iteration of it is recorded. An iteration whose minibatch loss is not finite is
 * routed too, recorded or not, so that the driver sees the divergence.
 */
public final class WorkerStatsListener extends BaseTrainingListener implements RoutingIterationListener {
    /** Which worker this copy runs in, and which attempt: supplied by the Spark layer, which knows the task. */
    public interface WorkerIndex extends Serializable {
        int current();

        int attempt();
    }

    private final WorkerPlan plan;
    private final WorkerIndex workerIndex;
    private int epoch;
    private int round;
    private String workerId = "driver";
    private String sessionId;
    private transient StatsStorageRouter router;
    private transient StatsListener stats;
    private transient Rows rows;
    private transient int worker;
    private transient long iteration;
    private transient int step;
    private transient boolean inIteration;

    public WorkerStatsListener(WorkerPlan plan, WorkerIndex workerIndex) {
        this.plan = plan;
        this.workerIndex = workerIndex;
        this.sessionId = plan.trialId();
    }

    /** Set on the driver before each epoch's fit; it travels to the workers with the serialized listener. */
    public void epoch(int epoch) {
        this.epoch = epoch;
    }

    /** On the driver, once a round's results are in: the next round's copies number their iterations after it. */
    void nextRound() {
        round++;
    }

    /** Averaging rounds completed so far (on the driver). */
    int rounds() {
        return round;
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
        double loss = model.score();
        if ((!rows.list.isEmpty() || !Double.isFinite(loss)) && router != null) {
            router.putUpdate(new WorkerRows(sessionId, workerId, worker, iteration, loss, rows.list));
        }
        rows.list.clear();
        inIteration = false;
    }

    /** The first callback of a minibatch starts its iteration. */
    private StatsListener begin(Model model) {
        if (stats == null) {
            rows = new Rows();
            stats = plan.listener(rows);
            worker = workerIndex.current();
            rows.worker = worker;
            rows.round = round;
            Faults.beforeWorker(plan.trialId(), round, worker, workerIndex.attempt());
            if (router != null) {
                router.putUpdate(new WorkerRows(sessionId, workerId, worker, -1, Double.NaN, List.of()));
            }
        }
        if (!inIteration) {
            inIteration = true;
            iteration = (long) round * plan.averagingFrequency() + step++;
            stats.beginIteration(iteration, epoch, (int) model.batchSize(), -1);
        }
        return stats;
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
        copy.round = round;
        copy.workerId = workerId;
        copy.sessionId = sessionId;
        copy.router = router;
        return copy;
    }
}
