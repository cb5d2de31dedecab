package io.gradsweep.train;

import io.gradsweep.stats.Diagnosis;
import io.gradsweep.stats.GradientRow;
import io.gradsweep.stats.Moments;
import io.gradsweep.stats.ParamLayout;
import io.gradsweep.stats.ParamLayout.Segment;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * Records per-parameter gradient, weight and update statistics every {@code every} iterations.
 *
 * <p>DL4J calls {@link #onGradientCalculation} after backprop and before it divides by the minibatch size, clips and
 * runs the updater, so the view holds the raw gradient of the summed loss; dividing by the minibatch size gives
 * the mean-loss gradient that Keras and PyTorch report. By {@link #iterationDone} the updater has rewritten the
 * same view in place into the step that was subtracted from the parameters, which gives the update ratio.
 */
final class StatsListener extends BaseTrainingListener {
    private final String trialId;
    private final ParamLayout layout;
    private final int every;
    private final TrialSink sink;
    private final Diagnosis diagnosis;
    private final int firstHidden;
    private final int lastHidden;
    private final Moments[] gradients;
    private final Moments[] weights;
    private long iteration;
    private int epoch;
    private int minibatch;
    private boolean recording;
    private boolean nonFiniteGradient;

    StatsListener(String trialId, ParamLayout layout, int depth, int every, TrialSink sink, Diagnosis diagnosis) {
        this.trialId = trialId;
        this.layout = layout;
        this.every = every;
        this.sink = sink;
        this.diagnosis = diagnosis;
        this.firstHidden = depth >= 2 ? layout.weightIndex(0) : -1;
        this.lastHidden = depth >= 2 ? layout.weightIndex(depth - 1) : -1;
        this.gradients = new Moments[layout.segments().size()];
        this.weights = new Moments[layout.segments().size()];
    }

    /** Called by the trainer before each {@code fit}: DL4J's own counters are not trusted across early stops. */
    void beginIteration(long iteration, int epoch, int minibatch) {
        this.iteration = iteration;
        this.epoch = epoch;
        this.minibatch = minibatch;
        this.recording = iteration % every == 0;
    }

    boolean nonFiniteGradient() {
        return nonFiniteGradient;
    }

    @Override
    public void onGradientCalculation(Model model) {
        if (!recording) {
            return;
        }
        float[] grad = model.getGradientsViewArray().toFloatVector();
        float[] params = model.params().toFloatVector();
        double scale = 1.0 / minibatch;
        List<Segment> segments = layout.segments();
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            gradients[i] = Moments.of(grad, s.offset(), s.length(), scale);
            weights[i] = Moments.of(params, s.offset(), s.length(), 1.0);
            diagnosis.observeL2(gradients[i].l2());
            nonFiniteGradient |= !gradients[i].finite();
        }
        if (firstHidden >= 0) {
            diagnosis.observeRatio(gradients[firstHidden].std(), gradients[lastHidden].std());
        }
    }

    @Override
    public void iterationDone(Model model, int dl4jIteration, int dl4jEpoch) {
        if (!recording) {
            return;
        }
        float[] update = model.getGradientsViewArray().toFloatVector();
        List<Segment> segments = layout.segments();
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            // Biases start at zero, so their first ratio is undefined rather than infinite.
            Double ratio = weights[i].l2() > 0 ? Moments.l2(update, s.offset(), s.length()) / weights[i].l2() : null;
            sink.gradient(new GradientRow(trialId, epoch, iteration, s.layer(), s.param(), gradients[i], weights[i],
                    ratio));
        }
        recording = false;
    }
}
