package io.gradsweep.vector;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradsweep.stats.ActivationRow;
import io.gradsweep.stats.EpochRow;
import io.gradsweep.stats.GradientRow;
import io.gradsweep.stats.HistogramRow;
import io.gradsweep.stats.Moments;
import io.gradsweep.stats.TimestepRow;
import io.gradsweep.testing.CollectingSink;
import io.gradsweep.train.TrialOutcome;
import java.util.List;

/**
 * Compares what two engines wrote for one trial: the same rows in the same order, with equal keys, nulls and
 * histogram counts, and numbers that agree to a relative tolerance. Keeps the largest relative difference seen per
 * quantity, so a test can report how close the engines really are.
 */
final class Agreement {
    final java.util.Map<String, Double> worst = new java.util.TreeMap<>();
    /** For parameters (the weight columns). */
    private final double tolerance;
    /** For everything else (gradients, activations, updates, losses), which amplifies a difference in the outputs. */
    private final double statistics;
    /**
     * An absolute difference accepted in a gradient statistic of a trial that diverged, whose saturated units'
     * gradients are rounding noise in both engines.
     */
    private final double floor;
    /** {@link #floor} for the trial being compared. */
    private double trialFloor;
    /** Whether both engines must record dL/ds (MLPs); recurrent layers have none in either engine. */
    private final boolean preacts;

    Agreement(double tolerance) {
        this(tolerance, true);
    }

    Agreement(double tolerance, boolean preacts) {
        this(tolerance, tolerance, 0, preacts);
    }

    Agreement(double tolerance, double statistics, double floor, boolean preacts) {
        this.tolerance = tolerance;
        this.statistics = statistics;
        this.floor = floor;
        this.preacts = preacts;
    }

    void compare(String what, CollectingSink dl4j, TrialOutcome dl4jOutcome, CollectingSink vector, TrialOutcome vectorOutcome) {
        trialFloor = "diverged".equals(dl4jOutcome.status()) ? floor : 0;
        assertThat(vectorOutcome.status()).as(what).isEqualTo(dl4jOutcome.status());
        assertThat(vectorOutcome.iterations()).as(what).isEqualTo(dl4jOutcome.iterations());
        assertThat(vectorOutcome.diagnosis()).as(what).isEqualTo(dl4jOutcome.diagnosis());
        close("outcome.train_loss", what, dl4jOutcome.trainLoss(), vectorOutcome.trainLoss());
        close("outcome.train_accuracy", what, dl4jOutcome.trainAccuracy(), vectorOutcome.trainAccuracy());
        close("outcome.test_loss", what, dl4jOutcome.testLoss(), vectorOutcome.testLoss());
        close("outcome.test_accuracy", what, dl4jOutcome.testAccuracy(), vectorOutcome.testAccuracy());
        close("outcome.grad_ratio", what, dl4jOutcome.gradRatio(), vectorOutcome.gradRatio());
        close("outcome.max_grad_l2", what, dl4jOutcome.maxGradL2(), vectorOutcome.maxGradL2());
        assertThat(vector.gradients).as(what).hasSameSizeAs(dl4j.gradients);
        for (int i = 0; i < dl4j.gradients.size(); i++) {
            gradient(what, dl4j.gradients.get(i), vector.gradients.get(i));
        }
        assertThat(vector.epochs).as(what).hasSameSizeAs(dl4j.epochs);
        for (int i = 0; i < dl4j.epochs.size(); i++) {
            EpochRow a = dl4j.epochs.get(i);
            EpochRow b = vector.epochs.get(i);
            assertThat(b.epoch()).isEqualTo(a.epoch());
            close("epoch.train_loss", what, a.trainLoss(), b.trainLoss());
            close("epoch.train_accuracy", what, a.trainAccuracy(), b.trainAccuracy());
            close("epoch.test_loss", what, a.testLoss(), b.testLoss());
        }
        assertThat(vector.activations).as(what).hasSameSizeAs(dl4j.activations);
        for (int i = 0; i < dl4j.activations.size(); i++) {
            ActivationRow a = dl4j.activations.get(i);
            ActivationRow b = vector.activations.get(i);
            assertThat(List.of(b.iteration(), b.layer(), b.n())).isEqualTo(List.of(a.iteration(), a.layer(), a.n()));
            close("activation.mean", what, a.mean(), b.mean());
            close("activation.std", what, a.std(), b.std());
            close("activation.saturated_fraction", what, a.saturatedFraction(), b.saturatedFraction());
            close("activation.dead_fraction", what, a.deadFraction(), b.deadFraction());
            // Both engines record dL/ds of every MLP hidden layer; a missing one is a broken probe, not a null.
            String at = what + " at " + a.iteration() + "/" + a.layer();
            if (preacts) {
                assertThat(a.preactGradient()).as("dl4j dL/ds " + at).isNotNull();
                assertThat(b.preactGradient()).as("vector dL/ds " + at).isNotNull();
                moments("preact_gradient", at, a.preactGradient(), b.preactGradient());
            } else {
                assertThat(List.of(a.preactGradient() == null, b.preactGradient() == null)).as(at)
                        .containsExactly(true, true);
            }
        }
        assertThat(vector.timesteps).as(what + " timesteps").hasSameSizeAs(dl4j.timesteps);
        for (int i = 0; i < dl4j.timesteps.size(); i++) {
            TimestepRow a = dl4j.timesteps.get(i);
            TimestepRow b = vector.timesteps.get(i);
            String at = what + " at " + a.iteration() + "/" + a.layer() + "/" + a.t();
            assertThat(List.of(b.epoch(), b.iteration(), b.layer(), b.t(), b.n()))
                    .as(at).isEqualTo(List.of(a.epoch(), a.iteration(), a.layer(), a.t(), a.n()));
            close("timestep.l2", at, a.l2(), b.l2());
            close("timestep.max_abs", at, a.maxAbs(), b.maxAbs());
        }
        if (trialFloor == 0) {
            assertThat(vector.histograms).as(what + " histograms").containsExactlyElementsOf(dl4j.histograms);
        } else {
            // A diverged trial's near-zero gradients fall in whichever decade rounding puts them: same counts only.
            assertThat(weightBins(vector.histograms)).as(what + " histograms").isEqualTo(weightBins(dl4j.histograms));
            assertThat(gradientCounts(vector.histograms)).as(what + " histograms")
                    .isEqualTo(gradientCounts(dl4j.histograms));
        }
    }

    private static List<HistogramRow> weightBins(List<HistogramRow> rows) {
        return rows.stream().filter(h -> h.kind().equals("weight")).toList();
    }

    private static java.util.Map<String, Long> gradientCounts(List<HistogramRow> rows) {
        return rows.stream().filter(h -> !h.kind().equals("weight")).collect(java.util.stream.Collectors.groupingBy(
                h -> h.afterEpochs() + "/" + h.layer() + "/" + h.param() + "/" + h.kind(), java.util.TreeMap::new,
                java.util.stream.Collectors.summingLong(HistogramRow::count)));
    }

    private void gradient(String what, GradientRow a, GradientRow b) {
        String at = what + " at " + a.iteration() + "/" + a.layer() + "/" + a.param();
        assertThat(List.of(b.epoch(), b.iteration(), b.layer(), b.param()))
                .as(at).isEqualTo(List.of(a.epoch(), a.iteration(), a.layer(), a.param()));
        moments("gradient", at, a.gradient(), b.gradient());
        moments("weight", at, a.weight(), b.weight());
        close("update_ratio", at, a.updateRatio(), b.updateRatio());
        close("clipped_l2", at, a.clippedL2(), b.clippedL2());
        close("clip_fraction", at, a.clipFraction(), b.clipFraction());
    }

    private void moments(String kind, String at, Moments a, Moments b) {
        assertThat(b.n()).isEqualTo(a.n());
        // A mean is a difference of large terms; judge it against the typical magnitude, not against itself.
        close(kind + ".mean", at, a.mean(), b.mean(), Math.max(a.meanAbs(), b.meanAbs()));
        close(kind + ".mean_abs", at, a.meanAbs(), b.meanAbs());
        close(kind + ".std", at, a.std(), b.std());
        close(kind + ".l2", at, a.l2(), b.l2());
        close(kind + ".max_abs", at, a.maxAbs(), b.maxAbs());
    }

    private void close(String quantity, String at, Double a, Double b) {
        close(quantity, at, a, b, 0);
    }

    private void close(String quantity, String at, Double a, Double b, double scale) {
        if (a == null || b == null) {
            assertThat(b).as(quantity + " " + at).isEqualTo(a);
            return;
        }
        if (Double.isNaN(a) || Double.isNaN(b) || a.equals(b)) {
            assertThat(b).as(quantity + " " + at).isEqualTo(a);
            worst.merge(quantity, 0.0, Math::max);
            return;
        }
        double difference = Math.abs(a - b);
        double relative = difference / Math.max(scale, Math.max(Math.abs(a), Math.abs(b)));
        boolean parameter = quantity.startsWith("weight.");
        boolean floored = difference <= trialFloor && (quantity.startsWith("gradient.")
                || quantity.startsWith("timestep.") || quantity.equals("clipped_l2") || quantity.equals("update_ratio"));
        if (!floored) {
            worst.merge(quantity, relative, Math::max);
        }
        assertThat(floored ? 0 : relative)
                .as(quantity + " " + at + ": " + a + " vs " + b)
                .isLessThanOrEqualTo(parameter ? tolerance : statistics);
    }
}
