package io.gradsweep.train;

import io.gradsweep.data.Dataset;
import io.gradsweep.data.Split;
import io.gradsweep.data.Synthetic;
import io.gradsweep.model.Network;
import io.gradsweep.model.NetworkFactory;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.stats.ParamLayout;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The DL4J engine: trains one trial on one thread as a DL4J network, recording through a {@link StatsListener}.
 * Minibatches are reshuffled every epoch with a generator seeded by the trial seed, so a trial's numbers depend on
 * its config alone.
 */
public final class Dl4jTrainer implements Trainer {
    private static final int EVAL_CHUNK = 1024;
    private final UpdateClock clock;

    public Dl4jTrainer() {
        this(UpdateClock.NONE);
    }

    public Dl4jTrainer(UpdateClock clock) {
        this.clock = clock;
    }

    @Override
    public void train(List<TrialRecorder> trials, Split data) {
        TrialRecorder r = trials.get(0);
        Dataset trainSet = data.train();
        Network net = network(r, trainSet);
        TrialConfig t = r.config();
        StatsListener stats = new StatsListener(r, net.activationOutputs(), net.deltaProbes());
        net.setListeners(stats);
        TimestepRecorder timesteps = new TimestepRecorder(r, net.timestepProbes());
        stats.weightHistograms(net.model(), 0);
        Random shuffle = new Random(t.seed());
        int batch = t.train().batchSize();
        long iteration = 0;
        for (int epoch = 0; epoch < t.train().epochs() && !r.diverged(); epoch++) {
            int[] order = Synthetic.permutation(trainSet.size(), shuffle);
            for (int from = 0; from < order.length && !r.diverged(); from += batch) {
                Faults.duringTraining(r.trialId(), iteration);
                long began = clock.now();
                Dataset mb = trainSet.select(Arrays.copyOfRange(order, from, Math.min(order.length, from + batch)));
                boolean lastOfEpoch = from + batch >= order.length;
                stats.beginIteration(iteration, epoch, mb.size(),
                        TrialRecorder.gradientHistogram(iteration, epoch, lastOfEpoch));
                timesteps.beforeStep(iteration);
                net.fit(minibatch(mb));
                timesteps.afterStep(epoch, iteration, mb.size());
                r.finishIteration(iteration++, net.score());
                clock.update(clock.now() - began);
            }
            r.epoch(epoch, Evaluation.of(net, trainSet), data.hasTest() ? Evaluation.of(net, data.test()) : null);
            stats.weightHistograms(net.model(), epoch + 1);
        }
    }

    /** Builds the trial's DL4J network and binds its recorder to the network's parameter layout. */
    static Network network(TrialRecorder r, Dataset train) {
        Network net = NetworkFactory.build(r.config(), train.numFeatures(), train.numClasses());
        r.begin(ParamLayout.of(net.paramTable(), net.paramOwners()));
        return net;
    }

    /**
     * Network outputs (probabilities, or regression values) as a row-major [n * outputs] vector. Sequences go
     * through in chunks: a recurrent layer's output for a whole set, examples x units x steps, can be huge.
     */
    static float[] outputs(Network net, Dataset d) {
        return outputs(net, d, d.sequence() ? EVAL_CHUNK : d.size());
    }

    static float[] outputs(Network net, Dataset d, int chunk) {
        if (d.size() <= chunk) {
            INDArray out = net.output(features(d));
            return out.dup('c').reshape(out.length()).toFloatVector();
        }
        float[] all = null;
        for (int from = 0; from < d.size(); from += chunk) {
            int[] rows = IntStream.range(from, Math.min(d.size(), from + chunk)).toArray();
            float[] part = outputs(net, d.select(rows), chunk);
            all = all == null ? new float[part.length / rows.length * d.size()] : all;
            System.arraycopy(part, 0, all, from * (part.length / rows.length), part.length);
        }
        return all;
    }

    /** Examples as the DL4J DataSet a network fits: features and labels laid out as below. */
    public static DataSet minibatch(Dataset d) {
        return new DataSet(features(d), labels(d));
    }

    /** [n, features] for flat data, DL4J's recurrent layout [n, features, steps] for sequences. */
    public static INDArray features(Dataset d) {
        long[] shape = d.sequence() ? new long[] {d.size(), d.numFeatures(), d.steps()}
                : new long[] {d.size(), d.numFeatures()};
        return Nd4j.create(d.features(), shape, DataType.FLOAT);
    }

    /** A column of 0/1 for a single sigmoid output, one-hot rows for softmax, a column of targets for regression. */
    public static INDArray labels(Dataset d) {
        if (d.regression()) {
            return Nd4j.create(d.targets().clone(), new long[] {d.size(), 1}, DataType.FLOAT);
        }
        int k = d.numClasses() == 2 ? 1 : d.numClasses();
        float[] y = new float[d.size() * k];
        for (int i = 0; i < d.size(); i++) {
            if (k == 1) {
                y[i] = d.labels()[i];
            } else {
                y[i * k + d.labels()[i]] = 1;
            }
        }
        return Nd4j.create(y, new long[] {d.size(), k}, DataType.FLOAT);
    }
}
