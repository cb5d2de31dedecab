package io.gradsweep.io;

import static io.gradsweep.io.Column.Type.BOOLEAN;
import static io.gradsweep.io.Column.Type.DOUBLE;
import static io.gradsweep.io.Column.Type.INT;
import static io.gradsweep.io.Column.Type.STRING;
import static io.gradsweep.io.Column.optional;
import static io.gradsweep.io.Column.required;
import static io.gradsweep.io.Column.requiredDouble;
import static io.gradsweep.io.Column.requiredInt;
import static io.gradsweep.io.Column.requiredLong;

import io.gradsweep.spec.DataParallel;
import io.gradsweep.spec.Engine;
import io.gradsweep.stats.ActivationRow;
import io.gradsweep.stats.EpochRow;
import io.gradsweep.stats.GradientRow;
import io.gradsweep.stats.HistogramRow;
import io.gradsweep.stats.Moments;
import io.gradsweep.stats.TimestepRow;
import io.gradsweep.train.TrialOutcome;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;

/** The output tables: the SQL contract. Each is laid out as {@code DIR/<table>/sweep=<name>/*.parquet}. */
public final class Tables {
    private Tables() {
    }

    public static final Table<TrialOutcome> TRIALS = new Table<>("trials", List.of(
            required("trial_id", STRING, TrialOutcome::trialId),
            requiredInt("trial_index", o -> o.config().index()),
            required("activation", STRING, o -> o.config().activation().toString()),
            requiredInt("depth", o -> o.config().depth()),
            requiredInt("width", o -> o.config().width()),
            required("model", STRING, o -> o.config().architecture().model()),
            required("widths", STRING, o -> o.config().architecture().widthsText()),
            required("batch_norm", BOOLEAN, o -> o.config().architecture().batchNorm()),
            required("residual", BOOLEAN, o -> o.config().architecture().residual()),
            required("initializer", STRING, o -> o.config().initializer().toString()),
            required("optimizer", STRING, o -> o.config().optimizer().toString()),
            requiredDouble("learning_rate", o -> o.config().learningRate()),
            required("clipping", STRING, o -> o.config().clipping().toString()),
            requiredDouble("dropout", o -> o.config().dropout()),
            requiredLong("seed", o -> o.config().seed()),
            required("dataset", STRING, o -> o.config().dataset().canonical()),
            optional("sequence_length", INT, o -> o.config().dataset().sequence() ? o.config().dataset().length()
                    : null),
            requiredInt("epochs", o -> o.config().train().epochs()),
            requiredInt("batch_size", o -> o.config().train().batchSize()),
            required("status", STRING, TrialOutcome::status),
            optional("train_loss", DOUBLE, TrialOutcome::trainLoss),
            optional("train_accuracy", DOUBLE, TrialOutcome::trainAccuracy),
            optional("test_loss", DOUBLE, TrialOutcome::testLoss),
            optional("test_accuracy", DOUBLE, TrialOutcome::testAccuracy),
            requiredLong("iterations", TrialOutcome::iterations),
            requiredLong("wall_ms", TrialOutcome::wallMs),
            required("engine", STRING, o -> Engine.of(o.config()).spelling()),
            optional("workers", INT, o -> dataParallel(o, DataParallel::workers)),
            optional("batch_size_per_worker", INT, o -> dataParallel(o, DataParallel::batchSizePerWorker)),
            optional("averaging_frequency", INT, o -> dataParallel(o, DataParallel::averagingFrequency)),
            required("diagnosis", STRING, TrialOutcome::diagnosis),
            requiredDouble("vanishing_ratio", o -> o.config().stats().vanishingRatio()),
            requiredDouble("exploding_l2", o -> o.config().stats().explodingL2()),
            requiredDouble("stalled_margin", o -> o.config().stats().stalledMargin()),
            optional("chance", DOUBLE, TrialOutcome::chance),
            optional("grad_ratio", DOUBLE, TrialOutcome::gradRatio),
            optional("max_grad_l2", DOUBLE, TrialOutcome::maxGradL2),
            optional("error", STRING, TrialOutcome::error),
            optional("error_trace", STRING, TrialOutcome::errorTrace)));

    public static final Table<GradientRow> GRADIENTS = new Table<>("gradients", List.of(
            required("trial_id", STRING, GradientRow::trialId),
            requiredInt("epoch", GradientRow::epoch),
            requiredLong("iteration", GradientRow::iteration),
            requiredInt("layer", GradientRow::layer),
            required("param", STRING, GradientRow::param),
            requiredInt("n", r -> r.gradient().n()),
            requiredDouble("mean", r -> r.gradient().mean()),
            requiredDouble("std", r -> r.gradient().std()),
            requiredDouble("mean_abs", r -> r.gradient().meanAbs()),
            requiredDouble("l2", r -> r.gradient().l2()),
            requiredDouble("max_abs", r -> r.gradient().maxAbs()),
            requiredDouble("weight_mean", r -> r.weight().mean()),
            requiredDouble("weight_std", r -> r.weight().std()),
            requiredDouble("weight_l2", r -> r.weight().l2()),
            optional("update_ratio", DOUBLE, GradientRow::updateRatio),
            requiredDouble("clipped_l2", GradientRow::clippedL2),
            requiredDouble("clip_fraction", GradientRow::clipFraction),
            optional("worker", INT, GradientRow::worker),
            optional("round", INT, GradientRow::round)));

    public static final Table<EpochRow> EPOCHS = new Table<>("epochs", List.of(
            required("trial_id", STRING, EpochRow::trialId),
            requiredInt("epoch", EpochRow::epoch),
            requiredDouble("train_loss", EpochRow::trainLoss),
            optional("train_accuracy", DOUBLE, EpochRow::trainAccuracy),
            optional("test_loss", DOUBLE, EpochRow::testLoss),
            optional("test_accuracy", DOUBLE, EpochRow::testAccuracy)));

    public static final Table<ActivationRow> ACTIVATIONS = new Table<>("activations", List.of(
            required("trial_id", STRING, ActivationRow::trialId),
            requiredInt("epoch", ActivationRow::epoch),
            requiredLong("iteration", ActivationRow::iteration),
            requiredInt("layer", ActivationRow::layer),
            requiredInt("n", ActivationRow::n),
            requiredDouble("mean", ActivationRow::mean),
            requiredDouble("std", ActivationRow::std),
            optional("saturated_fraction", DOUBLE, ActivationRow::saturatedFraction),
            optional("dead_fraction", DOUBLE, ActivationRow::deadFraction),
            optional("preact_grad_mean", DOUBLE, r -> preact(r, Moments::mean)),
            optional("preact_grad_std", DOUBLE, r -> preact(r, Moments::std)),
            optional("preact_grad_mean_abs", DOUBLE, r -> preact(r, Moments::meanAbs)),
            optional("preact_grad_l2", DOUBLE, r -> preact(r, Moments::l2)),
            optional("preact_grad_max_abs", DOUBLE, r -> preact(r, Moments::maxAbs)),
            optional("worker", INT, ActivationRow::worker),
            optional("round", INT, ActivationRow::round)));

    public static final Table<HistogramRow> HISTOGRAMS = new Table<>("histograms", List.of(
            required("trial_id", STRING, HistogramRow::trialId),
            requiredInt("after_epochs", HistogramRow::afterEpochs),
            requiredInt("layer", HistogramRow::layer),
            required("param", STRING, HistogramRow::param),
            required("kind", STRING, HistogramRow::kind),
            requiredInt("sign", HistogramRow::sign),
            requiredInt("bin", HistogramRow::bin),
            optional("bin_lo", DOUBLE, HistogramRow::binLo),
            optional("bin_hi", DOUBLE, HistogramRow::binHi),
            requiredLong("count", HistogramRow::count)));

    public static final Table<TimestepRow> TIMESTEP_GRADIENTS = new Table<>("timestep_gradients", List.of(
            required("trial_id", STRING, TimestepRow::trialId),
            requiredInt("epoch", TimestepRow::epoch),
            requiredLong("iteration", TimestepRow::iteration),
            requiredInt("layer", TimestepRow::layer),
            requiredInt("t", TimestepRow::t),
            requiredInt("n", TimestepRow::n),
            requiredDouble("l2", TimestepRow::l2),
            requiredDouble("max_abs", TimestepRow::maxAbs)));

    /** A statistic of the row's dL/ds, null where its engine records none. */
    private static Double preact(ActivationRow r, ToDoubleFunction<Moments> statistic) {
        return r.preactGradient() == null ? null : statistic.applyAsDouble(r.preactGradient());
    }

    private static Integer dataParallel(TrialOutcome o, ToIntFunction<DataParallel> option) {
        DataParallel dp = o.config().train().dataParallel();
        return dp == null ? null : option.applyAsInt(dp);
    }

    public static final List<Table<?>> ALL = List.of(TRIALS, GRADIENTS, EPOCHS, ACTIVATIONS, HISTOGRAMS,
            TIMESTEP_GRADIENTS);
}
