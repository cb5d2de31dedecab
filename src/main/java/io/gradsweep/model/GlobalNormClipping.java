package io.gradsweep.model;

import io.gradsweep.stats.HostCopy;
import io.gradsweep.stats.Moments;
import io.gradsweep.stats.ParamLayout;
import io.gradsweep.stats.ParamLayout.Segment;
import java.io.Serializable;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@code global_norm(c)} clipping, a step of the network's training: DL4J has no global-norm mode, but its updater
 * consumes the gradient view that {@code onGradientCalculation} exposes, so rescaling the view there takes effect.
 * {@link Network} runs it after every other listener, so statistics still see the raw gradient, and every training
 * of the network clips, locally or on data-parallel workers, with or without statistics.
 *
 * <p>The view holds the summed-loss gradient, so its norm is compared after dividing by the minibatch size. Batch
 * norm's running statistics share the view; they are neither counted nor rescaled.
 */
final class GlobalNormClipping extends BaseTrainingListener implements Serializable {
    private final double threshold;
    private final ParamLayout layout;
    private transient float[] copy;

    GlobalNormClipping(double threshold, ParamLayout layout) {
        this.threshold = threshold;
        this.layout = layout;
    }

    @Override
    public void onGradientCalculation(Model model) {
        INDArray view = model.getGradientsViewArray();
        long minibatch = model.batchSize();
        if (layout.covers(view.length())) {
            double norm = view.norm2Number().doubleValue() / minibatch;
            if (norm > threshold) {
                view.muli(threshold / norm);
            }
            return;
        }
        copy = HostCopy.vector(view, copy);
        double sumSq = 0;
        for (Segment s : layout.segments()) {
            double l2 = Moments.l2(copy, s.offset(), s.length());
            sumSq += l2 * l2;
        }
        double norm = Math.sqrt(sumSq) / minibatch;
        if (norm > threshold) {
            INDArray flat = view.reshape(view.length());
            for (Segment s : layout.segments()) {
                flat.get(NDArrayIndex.interval(s.offset(), s.offset() + s.length())).muli(threshold / norm);
            }
        }
    }
}
