package io.gradsweep.report;

import io.gradsweep.analysis.BestTrial;
import java.util.List;
import java.util.Map;

/**
 * Everything a report draws, as plain Java values: the loader fills it with Spark SQL, and the drawing classes never
 * see Spark. Series are parallel arrays in ascending x.
 */
public record ReportData(String sweep, String dataset, List<Trial> trials, List<LayerTrace> traces,
                         List<LossCurve> losses, List<LayerProfile> profiles, List<Histogram> histograms,
                         List<SmallGradients> smallGradients, List<LayerProfile> preactProfiles,
                         List<Band> curves, List<LayerSeries> overTime, List<TimestepProfile> timesteps) {

    public ReportData {
        timesteps = List.copyOf(timesteps);
        curves = List.copyOf(curves);
        overTime = List.copyOf(overTime);
        trials = List.copyOf(trials);
        traces = List.copyOf(traces);
        losses = List.copyOf(losses);
        profiles = List.copyOf(profiles);
        histograms = List.copyOf(histograms);
        smallGradients = List.copyOf(smallGradients);
        preactProfiles = List.copyOf(preactProfiles);
    }

    /** Without time-step profiles: a sweep without recurrent trials. */
    public ReportData(String sweep, String dataset, List<Trial> trials, List<LayerTrace> traces,
                      List<LossCurve> losses, List<LayerProfile> profiles, List<Histogram> histograms,
                      List<SmallGradients> smallGradients, List<LayerProfile> preactProfiles,
                      List<Band> curves, List<LayerSeries> overTime) {
        this(sweep, dataset, trials, traces, losses, profiles, histograms, smallGradients, preactProfiles, curves,
                overTime, List.of());
    }

    /** Without ∂L/∂s profiles: outputs whose engine recorded none. */
    public ReportData(String sweep, String dataset, List<Trial> trials, List<LayerTrace> traces,
                      List<LossCurve> losses, List<LayerProfile> profiles, List<Histogram> histograms,
                      List<SmallGradients> smallGradients) {
        this(sweep, dataset, trials, traces, losses, profiles, histograms, smallGradients, List.of());
    }

    /** Without the over-time figures' data. */
    public ReportData(String sweep, String dataset, List<Trial> trials, List<LayerTrace> traces,
                      List<LossCurve> losses, List<LayerProfile> profiles, List<Histogram> histograms,
                      List<SmallGradients> smallGradients, List<LayerProfile> preactProfiles) {
        this(sweep, dataset, trials, traces, losses, profiles, histograms, smallGradients, preactProfiles, List.of(),
                List.of());
    }

    /**
     * One trial. {@code axes} holds the grid axis values as display text (e.g. learning_rate "0.001"), keyed by
     * column name; {@code diagnosis} is the job's, except that a diverged trial reads "diverged".
     *
     * @param accuracy test accuracy when the sweep has a split, else train accuracy; null when never evaluated and
     *                 for regression
     * @param loss     the loss on the same split; null when never evaluated
     */
    public record Trial(String trialId, int index, Map<String, String> axes, String status, String diagnosis,
                        Double accuracy, String split, Double gradRatio, Double maxGradL2, Double loss) {
        public Trial {
            axes = Map.copyOf(axes);
        }

        /** What the trial brings to the one ranking of trials, {@link BestTrial}. */
        public BestTrial.Score score() {
            return new BestTrial.Score(status, accuracy, loss, index);
        }

        public String axis(String name) {
            return axes.get(name);
        }

        public int depth() {
            return Integer.parseInt(axes.get("depth"));
        }

        /** e.g. "sigmoid, depth 8, width 6, normal(0,1), rmsprop lr 0.01, seed 1". */
        public String label() {
            String clip = "none".equals(axis("clipping")) ? "" : ", clip " + axis("clipping");
            return axis("activation") + ", depth " + axis("depth") + ", width " + axis("width") + ", "
                    + axis("initializer") + ", " + axis("optimizer") + " lr " + axis("learning_rate") + clip
                    + ", seed " + axis("seed");
        }
    }

    /**
     * The W statistics of one layer of one trial over training. Each point summarises {@code window} iterations
     * from {@code iteration} on: the mean of gradient and weight means, the median of gradient stds, the mean of
     * weight stds, the median of the finite gradient L2 norms ({@code gradL2}, NaN when none is finite) and how
     * many of the window's L2 norms were not finite ({@code gradNonFinite}, where an exploding trial ends). A window
     * of 1 is the raw recorded iteration.
     */
    public record LayerTrace(String trialId, int layer, long window, double[] iteration, double[] gradMean,
                             double[] gradStd, double[] weightMean, double[] weightStd, double[] gradL2,
                             double[] gradNonFinite) {
    }

    /** End-of-epoch losses of one trial; {@code testLoss} is null without a split. */
    public record LossCurve(String trialId, double[] epoch, double[] trainLoss, double[] testLoss) {
    }

    /**
     * Median over the trials of one group (an activation, and a depth when the sweep has several) of std(dW) per
     * layer, at the first and at the last recorded iteration. Entries are NaN where no trial had a finite
     * value.
     */
    /* The same shape serves std(∂L/∂s) per hidden layer, from the activations table (preactProfiles). */
    public record LayerProfile(String group, double[] layer, double[] initStd, double[] endStd) {
    }

    /**
     * The distribution of one hidden layer's W ({@code kind} "weight") or of its gradient ("gradient") in one trial,
     * from the histograms table: {@code fraction[i]} is the share of the tensor's counted (non-NaN) values in
     * position i of {@link SignedBins}, so the entries sum to 1.
     */
    public record Histogram(String trialId, String kind, int layer, int afterEpochs, double[] fraction) {
    }

    /**
     * Per epoch, the share of one hidden layer's ∂L/∂W entries whose magnitude is below {@link SignedBins#SMALL},
     * exact zeros included.
     */
    public record SmallGradients(String trialId, int layer, double[] afterEpochs, double[] fraction) {
    }

    /**
     * One configuration's {@code metric} (on the trials' split: test when there is one) after each epoch: the median
     * over its trials (seeds, and any pooled axes) and their minimum and maximum, the band. {@code panel} is the
     * small-multiples axis value, or null. NaN where no trial had a finite value.
     */
    public record Band(EpochMetric metric, String line, String panel, double[] epoch, double[] median, double[] low,
                       double[] high) {
    }

    /**
     * The gradient through time of one recurrent group (a model and a sequence length T; other axes pooled): per
     * time step t, the median over the group's trials and the recorded iterations of one line of
     * ‖∂L/∂x<sub>t</sub>‖ / ‖∂L/∂x<sub>T-1</sub>‖ at the network's input (timestep_gradients, layer 0). {@code line}
     * is {@link #FIRST} for each trial's first recorded iteration, else an epoch. NaN where no ratio was finite.
     */
    public record TimestepProfile(String model, int length, int line, double[] t, double[] ratio) {
        public static final int FIRST = -1;
    }

    /** What a layer series shows. */
    public enum LayerMetric { SATURATED, DEAD, ACT_MEAN, ACT_STD, UPDATE_RATIO, GRAD_STD }

    /** What an epoch curve shows, from the epochs table. */
    public enum EpochMetric { LOSS, ACCURACY }

    /**
     * One layer's {@code metric} over training, the median (the mean, for the fractions SATURATED and DEAD, which
     * take few distinct values) over the rows of one group's trials (an activation, and a depth when the sweep has
     * several; {@code depth} is the group's) in each window of iterations (or each epoch, for GRAD_STD): SATURATED,
     * DEAD and the outputs' ACT_MEAN and ACT_STD (means, non-finite values left out) from the activations table,
     * UPDATE_RATIO and GRAD_STD of W from the gradients table.
     */
    public record LayerSeries(LayerMetric metric, String group, int depth, int layer, double[] x, double[] y) {
    }
}
