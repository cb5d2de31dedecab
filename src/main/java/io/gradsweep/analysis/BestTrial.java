package io.gradsweep.analysis;

import io.gradsweep.train.TrialOutcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * What "best trial" means, defined once for the console summary, the report's trial selection and the
 * {@code leaderboard} analysis (whose SQL a test holds to this definition):
 * <ol>
 *   <li>a failed trial never ranks, whatever it measured before the exception, and neither does a trial without a
 *   finite metric (accuracy, or loss where it has no accuracy);</li>
 *   <li>a diverged trial never ranks above one that did not diverge: its last finite evaluation may look good, but
 *   training broke down;</li>
 *   <li>then trials with an accuracy first, by higher accuracy; regression trials have none and rank after them;</li>
 *   <li>then by lower loss: the regression metric, and the tie-break for equal accuracies;</li>
 *   <li>then by lower trial index, so that the order is total and stable.</li>
 * </ol>
 * Accuracy and loss are each the test value when the trial has one, else the train value.
 */
public final class BestTrial {
    /** Steps 2 to 4 of the ranking, without the index: equal scores are a tie. */
    public static final Comparator<Score> BY_SCORE = Comparator.comparing(Score::diverged)
            .thenComparing(s -> s.accuracy() == null)
            .thenComparing(Score::accuracy, Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparing(Score::loss, Comparator.nullsLast(Comparator.naturalOrder()));

    /** The whole ranking, best first; only for ranked scores. */
    public static final Comparator<Score> BEST_FIRST = BY_SCORE.thenComparingInt(Score::index);

    private BestTrial() {
    }

    /**
     * What one trial brings to the ranking.
     *
     * @param accuracy test accuracy if any, else train accuracy; null for regression and when never evaluated
     * @param loss     the loss on the same split; null when never evaluated
     */
    public record Score(String status, Double accuracy, Double loss, int index) {
        public static Score of(TrialOutcome o) {
            return new Score(o.status(), testElseTrain(o.testAccuracy(), o.trainAccuracy()),
                    testElseTrain(o.testLoss(), o.trainLoss()), o.config().index());
        }

        /** Step 1: whether the trial takes part in the ranking at all. */
        public boolean ranked() {
            Double metric = accuracy != null ? accuracy : loss;
            return !TrialOutcome.FAILED.equals(status) && metric != null && Double.isFinite(metric);
        }

        boolean diverged() {
            return TrialOutcome.DIVERGED.equals(status);
        }
    }

    /** The ranked trials, best first; unranked ones are left out. */
    public static <T> List<T> rank(List<T> trials, Function<T, Score> score) {
        return trials.stream().filter(t -> score.apply(t).ranked())
                .sorted(Comparator.comparing(score, BEST_FIRST)).toList();
    }

    /** The ranked trials best first, then the unranked ones in their given order: for listings that show all. */
    public static <T> List<T> bestFirst(List<T> trials, Function<T, Score> score) {
        List<T> all = new ArrayList<>(rank(trials, score));
        trials.stream().filter(t -> !score.apply(t).ranked()).forEach(all::add);
        return all;
    }

    public static Double testElseTrain(Double test, Double train) {
        return test != null ? test : train;
    }

    /**
     * The diagnosis to show for a trial: the job's, except that a diverged trial reads "diverged" whatever its
     * gradients said (they were non-finite, so the job usually wrote "exploding"), and a failed trial reads
     * "failed" (the job writes that itself; output of older versions says what its fragment of gradients said). The
     * report and the diagnosis analysis apply the same override in their SQL.
     */
    public static String diagnosis(String status, String jobDiagnosis) {
        return TrialOutcome.DIVERGED.equals(status) || TrialOutcome.FAILED.equals(status) ? status : jobDiagnosis;
    }
}
