package io.gradsweep.vector;

import io.gradsweep.data.Dataset;
import io.gradsweep.data.Split;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.stats.ParamLayout;
import io.gradsweep.train.Evaluation;
import io.gradsweep.train.Faults;
import io.gradsweep.train.TrialRecorder;
import io.gradsweep.train.UpdateClock;
import java.util.Arrays;
import java.util.List;

/**
 * The training loop of one group, iteration for iteration Dl4jTrainer's loop for each of its trials: same
 * minibatches, same order of recording, stepping and divergence checks. A trial that diverges stops (its
 * parameters freeze), is evaluated at the end of that epoch like a DL4J trial, and the rest of the group goes on.
 */
final class GroupRun {
    private final List<TrialRecorder> trials;
    private final Split data;
    private final int k;
    private final GroupNet net;
    private final boolean[] training;
    private final UpdateClock clock;
    private float[] params;
    private Step step;

    /** The trials' recorders have begun with {@code net}'s layouts. */
    GroupRun(List<TrialRecorder> trials, Split data, GroupNet net, UpdateClock clock) {
        this.trials = trials;
        this.clock = clock;
        this.data = data;
        this.k = trials.size();
        this.net = net;
        this.training = new boolean[k];
        Arrays.fill(training, true);
    }

    void execute() {
        List<TrialConfig> configs = trials.stream().map(TrialRecorder::config).toList();
        Dataset train = data.train();
        params = net.initialParams();
        step = new Step(net, configs);
        trials.forEach(r -> r.weightHistograms(params, 0));
        Feeder feeder = new Feeder(train, net.outputs(), configs);
        Evaluator evaluator = new Evaluator(net);
        TrialConfig first = configs.get(0);
        Minibatch mb = new Minibatch(first.train().batchSize());
        long iteration = 0;
        for (int epoch = 0; epoch < first.train().epochs() && anyTraining(); epoch++) {
            boolean[] evaluated = training.clone();
            feeder.shuffle(training);
            int n = train.size();
            for (int from = 0; from < n && anyTraining(); from += mb.size) {
                long began = clock.now();
                int rows = Math.min(mb.size, n - from);
                feeder.fill(from, rows, mb.x, mb.y);
                boolean lastOfEpoch = from + mb.size >= n;
                iterate(mb, rows, epoch, iteration, trials.get(0).records(iteration),
                        TrialRecorder.gradientHistogram(iteration, epoch, lastOfEpoch));
                iteration++;
                clock.update(clock.now() - began);
            }
            evaluate(evaluator, evaluated, epoch);
        }
    }

    private void iterate(Minibatch mb, int rows, int epoch, long iteration, boolean recording, int histogram) {
        for (int t = 0; t < k; t++) {
            if (training[t]) {
                Faults.duringTraining(trials.get(t).trialId(), iteration);
            }
        }
        net.load(params);
        net.train(mb.x, mb.y, rows, mb.scores, mb.grad, recording);
        double scale = 1.0 / rows;
        for (int t = 0; t < k; t++) {
            if (training[t]) {
                TrialRecorder r = trials.get(t);
                if (recording) {
                    net.recordHidden(t, r, rows, epoch, iteration);
                }
                if (histogram >= 0) {
                    r.gradientHistograms(mb.grad, histogram, scale);
                }
                if (recording) {
                    r.gradients(mb.grad, params, scale);
                }
                step.apply(t, mb.grad, params, rows, (int) iteration);
                if (recording) {
                    r.updates(mb.grad, epoch, iteration);
                }
                double score = 0;
                for (int i = t * rows; i < (t + 1) * rows; i++) {
                    score += mb.scores[i];
                }
                training[t] = !r.finishIteration(iteration, score);
            }
        }
    }

    private void evaluate(Evaluator evaluator, boolean[] evaluated, int epoch) {
        net.load(params);
        Evaluation[] train = evaluator.evaluate(data.train());
        Evaluation[] test = data.hasTest() ? evaluator.evaluate(data.test()) : null;
        for (int t = 0; t < k; t++) {
            if (evaluated[t]) {
                trials.get(t).epoch(epoch, train[t], test == null ? null : test[t]);
                trials.get(t).weightHistograms(params, epoch + 1);
                training[t] = !trials.get(t).diverged();
            }
            if (evaluated[t] && !training[t]) {
                retire(t);
            }
        }
    }

    /**
     * A diverged trial is done once its last epoch is recorded, but its slot still goes through every pass. Zeroed
     * weights keep that slot finite, so the group's score stays on its fast path (see BatchedMlp.score).
     */
    private void retire(int t) {
        for (ParamLayout.Segment s : net.layout(t).segments()) {
            Arrays.fill(params, s.offset(), s.offset() + s.length(), 0f);
        }
    }

    /** The group's parameters, in the net's layout. */
    float[] params() {
        return params;
    }

    private boolean anyTraining() {
        for (boolean b : training) {
            if (b) {
                return true;
            }
        }
        return false;
    }

    /** The Java-side buffers of one iteration, allocated once. */
    private final class Minibatch {
        final int size;
        final float[] x;
        final float[] y;
        final float[] scores;
        final float[] grad;

        Minibatch(int size) {
            this.size = size;
            x = new float[k * size * net.features()];
            y = new float[k * size * net.outputs()];
            scores = new float[k * size];
            grad = new float[net.length()];
        }
    }
}
