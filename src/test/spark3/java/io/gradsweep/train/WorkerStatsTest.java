package io.gradsweep.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradsweep.data.Dataset;
import io.gradsweep.data.Split;
import io.gradsweep.model.Network;
import io.gradsweep.model.NetworkFactory;
import io.gradsweep.spec.Grid;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.stats.GradientRow;
import io.gradsweep.stats.Moments;
import io.gradsweep.testing.CollectingSink;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.stream.IntStream;
import org.deeplearning4j.spark.impl.listeners.VanillaStatsStorageRouter;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The worker side of data-parallel statistics without Spark: what a worker's listener routes to the driver equals,
 * row for row and bit for bit, what a local trial's listener records for the same net and minibatches, tagged with
 * the worker and the round.
 */
class WorkerStatsTest {
    static final String SPEC = """
            name: w
            dataset: {name: circles, samples: 200, seed: 3}
            train: {epochs: 1, batch_size: 16, mode: data-parallel, data_parallel: {workers: 2, averaging_frequency: 3}}
            grid: {activation: [sigmoid], depth: [3], width: [6], optimizer: [adam], learning_rate: [0.01], seed: [5]}
            """;

    @Test
    void workerRowsEqualLocalRowsTaggedWithWorkerAndRound() throws Exception {
        TrialConfig t = Grid.expand(SpecParser.parse(SPEC), 10).get(0);
        Dataset train = Split.of(t.dataset()).train();
        Network worker = NetworkFactory.build(t, train.numFeatures(), train.numClasses());
        Network twin = NetworkFactory.build(t, train.numFeatures(), train.numClasses());
        WorkerPlan plan = WorkerPlan.of(t, worker);
        CollectingSink local = new CollectingSink();
        StatsListener reference = plan.listener(local);
        twin.setListeners(reference);
        CollectingSink routed = new CollectingSink();

        WorkerStatsListener driverCopy = new WorkerStatsListener(plan, new WorkerOne());
        RowRouter router = new RowRouter(plan.recorder(routed), driverCopy);
        for (int round = 0; round < 2; round++) {
            // The master ships a fresh serialized copy every round, carrying the round the router advanced.
            WorkerStatsListener copy = roundTrip(driverCopy);
            VanillaStatsStorageRouter storage = new VanillaStatsStorageRouter();
            copy.setStorageRouter(storage);
            worker.setListeners(copy);
            for (int step = 0; step < 3; step++) {
                DataSet mb = minibatch(train, round * 3 + step);
                reference.beginIteration(round * 3 + step, 0, 16, -1);
                twin.fit(mb);
                worker.fit(mb);
            }
            router.putUpdate(storage.getUpdates());
        }

        assertThat(driverCopy.rounds()).isEqualTo(2);
        assertThat(local.gradients).hasSize(6 * 8);
        assertThat(routed.gradients).containsExactlyElementsOf(local.gradients.stream()
                .map(g -> g.onWorker(1, (int) g.iteration() / 3)).toList());
        assertThat(routed.activations).containsExactlyElementsOf(local.activations.stream()
                .map(a -> a.onWorker(1, (int) a.iteration() / 3)).toList());
        assertThat(routed.gradients).extracting(GradientRow::round).containsOnly(0, 1);
    }

    static DataSet minibatch(Dataset d, int index) {
        Dataset part = d.select(IntStream.range(index * 16, index * 16 + 16).toArray());
        return Dl4jTrainer.minibatch(part);
    }

    static WorkerStatsListener roundTrip(WorkerStatsListener listener) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(listener);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (WorkerStatsListener) in.readObject();
        }
    }

    static final class WorkerOne implements WorkerStatsListener.WorkerIndex {
        @Override
        public int current() {
            return 1;
        }

        @Override
        public int attempt() {
            return 0;
        }
    }

    @Test
    void workerRowsSurviveDl4jsBinaryEncoding() {
        Moments m = new Moments(3, 0.5, 0.25, 0.5, 1.0, 0.75);
        GradientRow g = new GradientRow("t", 1, 7, 0, "W", m, m, 0.01, 1.0, 0.0).onWorker(1, 2);
        WorkerRows sent = new WorkerRows("t", "jvm_0", 1, 7, 0.625, List.of(g));
        WorkerRows received = new WorkerRows();
        received.decode(sent.encode());
        assertThat(received.rows()).containsExactly(g);
        assertThat(received.worker()).isEqualTo(1);
        assertThat(received.iteration()).isEqualTo(7);
        assertThat(received.loss()).isEqualTo(0.625);
        assertThat(received.getWorkerID()).isEqualTo("jvm_0");
        assertThat(received.encodingLengthBytes()).isEqualTo(sent.encode().length);
    }
}
