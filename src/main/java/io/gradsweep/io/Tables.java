package io.gradsweep.io;

import static io.gradsweep.io.Column.Type.BIGINT;
import static io.gradsweep.io.Column.Type.BOOLEAN;
import static io.gradsweep.io.Column.Type.DOUBLE;
import static io.gradsweep.io.Column.Type.INT;
import static io.gradsweep.io.Column.Type.STRING;
import static io.gradsweep.io.Column.optional;
import static io.gradsweep.io.Column.required;

import io.gradsweep.spec.DataParallel;
import io.gradsweep.spec.Engine;
import io.gradsweep.stats.ActivationRow;
import io.gradsweep.stats.EpochRow;
import io.gradsweep.stats.GradientRow;
import io.gradsweep.stats.HistogramRow;
import io.gradsweep.stats.TimestepRow;
import io.gradsweep.train.TrialOutcome;
import java.util.List;
import java.util.function.ToIntFunction;

/** The output tables: the SQL contract. Each is laid out as {@code DIR/<table>/sweep=<name>/*.parquet}. */
public final class Tables {
    private Tables() {
    }

    public static final Table<TrialOutcome> TRIALS = new Table<>("trials", List.of(
            required("trial_id", STRING, TrialOutcome::trialId),
            required("trial_index", INT, o -> o.config().index()),
            required("activation", STRING, o -> o.config().activation().toString()),
            required("depth", INT, o -> o.config().depth()),
            required("width", INT, o -> o.config().width()),
            required("model", STRING, o -> o.config().architecture().model()),
            required("widths", STRING, o -> o.config().architecture().widthsText()),
            required("batch_norm", BOOLEAN, o -> o.config().architecture().batchNorm()),
            required("residual", BOOLEAN, o -> o.config().architecture().residual()),
            required("initializer", STRING, o -> o.config().initializer().toString()),
            required("optimizer", STRING, o -> o.config().optimizer().toString()),
            required("learning_rate", DOUBLE, o -> o.config().learningRate()),
            required("clipping", STRING, o -> o.config().clipping().toString()),
            required("dropout", DOUBLE, o -> o.config().dropout()),
            required("seed", BIGINT, o -> o.config().seed()),
            required("dataset", STRING, o -> o.config().dataset().canonical()),
            optional("sequence_length", INT, o -> o.config().dataset().sequence() ? o.config().dataset().length()
                    : null),
            required("epochs", INT, o -> o.config().train().epochs()),
            required("batch_size", INT, o -> o.config().train().batchSize()),
            required("status", STRING, TrialOutcome::status),
            optional("train_loss", DOUBLE, TrialOutcome::trainLoss),
            optional("train_accuracy", DOUBLE, TrialOutcome::trainAccuracy),
            optional("test_loss", DOUBLE, TrialOutcome::testLoss),
            optional("test_accuracy", DOUBLE, TrialOutcome::testAccuracy),
            required("iterations", BIGINT, TrialOutcome::iterations),
            required("wall_ms", BIGINT, TrialOutcome::wallMs),
            required("engine", STRING, o -> Engine.of(o.config())),
            optional("workers", INT, o -> dataParallel(o, DataParallel::workers)),
            optional("batch_size_per_worker", INT, o -> dataParallel(o, DataParallel::batchSizePerWorker)),
            optional("averaging_frequency", INT, o -> dataParallel(o, DataParallel::averagingFrequency)),
            required("diagnosis", STRING, TrialOutcome::diagnosis),
            required("vanishing_ratio", DOUBLE, o -> o.config().stats().vanishingRatio()),
            required("exploding_l2", DOUBLE, o -> o.config().stats().explodingL2()),
            optional("grad_ratio", DOUBLE, TrialOutcome::gradRatio),
            optional("max_grad_l2", DOUBLE, TrialOutcome::maxGradL2),
            optional("error", STRING, TrialOutcome::error)));

    public static final Table<GradientRow> GRADIENTS = new Table<>("gradients", List.of(
            required("trial_id", STRING, GradientRow::trialId),
            required("epoch", INT, GradientRow::epoch),
            required("iteration", BIGINT, GradientRow::iteration),
            required("layer", INT, GradientRow::layer),
            required("param", STRING, GradientRow::param),
            required("n", INT, r -> r.gradient().n()),
            required("mean", DOUBLE, r -> r.gradient().mean()),
            required("std", DOUBLE, r -> r.gradient().std()),
            required("mean_abs", DOUBLE, r -> r.gradient().meanAbs()),
            required("l2", DOUBLE, r -> r.gradient().l2()),
            required("max_abs", DOUBLE, r -> r.gradient().maxAbs()),
            required("weight_mean", DOUBLE, r -> r.weight().mean()),
            required("weight_std", DOUBLE, r -> r.weight().std()),
            required("weight_l2", DOUBLE, r -> r.weight().l2()),
            optional("update_ratio", DOUBLE, GradientRow::updateRatio),
            required("clipped_l2", DOUBLE, GradientRow::clippedL2),
            required("clip_fraction", DOUBLE, GradientRow::clipFraction),
            optional("worker", INT, GradientRow::worker),
            optional("round", INT, GradientRow::round)));

    public static final Table<EpochRow> EPOCHS = new Table<>("epochs", List.of(
            required("trial_id", STRING, EpochRow::trialId),
            required("epoch", INT, EpochRow::epoch),
            required("train_loss", DOUBLE, EpochRow::trainLoss),
            optional("train_accuracy", DOUBLE, EpochRow::trainAccuracy),
            optional("test_loss", DOUBLE, EpochRow::testLoss),
            optional("test_accuracy", DOUBLE, EpochRow::testAccuracy)));

    public static final Table<ActivationRow> ACTIVATIONS = new Table<>("activations", List.of(
            required("trial_id", STRING, ActivationRow::trialId),
            required("epoch", INT, ActivationRow::epoch),
            required("iteration", BIGINT, ActivationRow::iteration),
            required("layer", INT, ActivationRow::layer),
            required("n", INT, ActivationRow::n),
            required("mean", DOUBLE, ActivationRow::mean),
            required("std", DOUBLE, ActivationRow::std),
            optional("saturated_fraction", DOUBLE, ActivationRow::saturatedFraction),
            optional("dead_fraction", DOUBLE, ActivationRow::deadFraction),
            optional("worker", INT, ActivationRow::worker),
            optional("round", INT, ActivationRow::round)));

    public static final Table<HistogramRow> HISTOGRAMS = new Table<>("histograms", List.of(
            required("trial_id", STRING, HistogramRow::trialId),
            required("after_epochs", INT, HistogramRow::afterEpochs),
            required("layer", INT, HistogramRow::layer),
            required("param", STRING, HistogramRow::param),
            required("kind", STRING, HistogramRow::kind),
            required("sign", INT, HistogramRow::sign),
            required("bin", INT, HistogramRow::bin),
            optional("bin_lo", DOUBLE, HistogramRow::binLo),
            optional("bin_hi", DOUBLE, HistogramRow::binHi),
            required("count", BIGINT, HistogramRow::count)));

    public static final Table<TimestepRow> TIMESTEP_GRADIENTS = new Table<>("timestep_gradients", List.of(
            required("trial_id", STRING, TimestepRow::trialId),
            required("epoch", INT, TimestepRow::epoch),
            required("iteration", BIGINT, TimestepRow::iteration),
            required("layer", INT, TimestepRow::layer),
            required("t", INT, TimestepRow::t),
            required("n", INT, TimestepRow::n),
            required("l2", DOUBLE, TimestepRow::l2),
            required("max_abs", DOUBLE, TimestepRow::maxAbs)));

    private static Integer dataParallel(TrialOutcome o, ToIntFunction<DataParallel> option) {
        DataParallel dp = o.config().train().dataParallel();
        return dp == null ? null : option.applyAsInt(dp);
    }

    public static final List<Table<?>> ALL = List.of(TRIALS, GRADIENTS, EPOCHS, ACTIVATIONS, HISTOGRAMS,
            TIMESTEP_GRADIENTS);
}
