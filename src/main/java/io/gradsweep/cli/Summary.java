package io.gradsweep.cli;

import io.gradsweep.analysis.BestTrial;
import io.gradsweep.analysis.BestTrial.Score;
import io.gradsweep.spec.GridAxis;
import io.gradsweep.train.TrialOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The end-of-sweep report on the console: counts by status and diagnosis (a diverged trial counts as diverged, as in
 * the report), each configuration over its seeds ({@link ConfigSummary}), and the best trials as {@link BestTrial}
 * ranks them.
 */
final class Summary {
    private Summary() {
    }

    static String of(List<TrialOutcome> outcomes, int best) {
        StringBuilder sb = new StringBuilder();
        sb.append("Trials by status:    ").append(counts(outcomes, TrialOutcome::status)).append('\n');
        sb.append("Trials by diagnosis: ").append(counts(outcomes, Summary::diagnosis)).append('\n');
        List<TrialOutcome> ranked = BestTrial.rank(outcomes, Score::of);
        // Regression sweeps have no accuracy: the ranking then orders them by loss.
        boolean regression = outcomes.stream().allMatch(o -> Score.of(o).accuracy() == null)
                && outcomes.stream().anyMatch(o -> Score.of(o).loss() != null);
        boolean steps = outcomes.stream().anyMatch(o -> o.config().dataset().sequence());
        boolean test = outcomes.stream().anyMatch(o -> (regression ? o.testLoss() : o.testAccuracy()) != null);
        String split = test ? "test" : "train"; // Score judges the test set when there is a split
        List<String> header = new ArrayList<>(List.of("trial_id"));
        header.addAll(GridAxis.consoleHeader(steps));
        header.addAll(List.of("status", split + "_accuracy", split + "_loss", "grad_ratio", "diagnosis"));
        TextTable table = new TextTable(header.toArray(String[]::new));
        ranked.stream().limit(best).forEach(o -> table.add(row(o, steps)));
        sb.append("Best trials by ").append(split).append(regression ? " loss" : " accuracy")
                .append(":\n").append(table);
        // Last, where the eye lands: the difference between configurations is what a sweep is run to see.
        sb.append(ConfigSummary.of(outcomes, steps, regression, split, best));
        List<TrialOutcome> failed = outcomes.stream().filter(o -> o.error() != null).toList();
        for (TrialOutcome o : failed) {
            sb.append("Failed trial ").append(o.trialId()).append(": ").append(o.error()).append('\n');
        }
        return sb.toString();
    }

    private static Object[] row(TrialOutcome o, boolean steps) {
        Score score = Score.of(o);
        List<Object> row = new ArrayList<>(List.of(o.trialId()));
        row.addAll(GridAxis.consoleRow(o.config(), steps));
        row.addAll(List.of(o.status(), fmt(score.accuracy()), fmt(score.loss()), fmt(o.gradRatio()), diagnosis(o)));
        return row.toArray();
    }

    private static String diagnosis(TrialOutcome o) {
        return BestTrial.diagnosis(o.status(), o.diagnosis());
    }

    private static String counts(List<TrialOutcome> outcomes, Function<TrialOutcome, String> key) {
        Map<String, Long> counts = outcomes.stream()
                .collect(Collectors.groupingBy(key, TreeMap::new, Collectors.counting()));
        return counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    static String fmt(Double v) {
        return v == null ? "null" : String.format("%.4g", v);
    }
}
