package io.gradsweep.cli;

import io.gradsweep.spec.Term;
import io.gradsweep.train.TrialOutcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The end-of-sweep report on the console: counts by status and diagnosis, and the best trials. */
final class Summary {
    private Summary() {
    }

    static String of(List<TrialOutcome> outcomes, int best) {
        StringBuilder sb = new StringBuilder();
        sb.append("Trials by status:    ").append(counts(outcomes, TrialOutcome::status)).append('\n');
        sb.append("Trials by diagnosis: ").append(counts(outcomes, TrialOutcome::diagnosis)).append('\n');
        // Regression sweeps have no accuracy: their best trials are those with the lowest loss.
        boolean regression = outcomes.stream().allMatch(o -> accuracy(o) == null)
                && outcomes.stream().anyMatch(o -> loss(o) != null);
        Function<TrialOutcome, Double> score = regression ? Summary::loss : Summary::accuracy;
        Comparator<Double> order = regression ? Comparator.naturalOrder() : Comparator.reverseOrder();
        boolean steps = outcomes.stream().anyMatch(o -> o.config().dataset().sequence());
        List<String> header = new ArrayList<>(List.of("trial_id", "arch"));
        header.addAll(steps ? List.of("T") : List.of());
        header.addAll(List.of("activation", "depth", "width", "initializer", "optimizer", "learning_rate", "clipping",
                "seed", "status", "accuracy", "loss", "grad_ratio", "diagnosis"));
        TextTable table = new TextTable(header.toArray(String[]::new));
        outcomes.stream()
                .filter(o -> score.apply(o) != null)
                .sorted(Comparator.comparing(score, order).thenComparing(o -> o.config().index()))
                .limit(best)
                .forEach(o -> table.add(row(o, steps)));
        boolean test = outcomes.stream().anyMatch(o -> (regression ? o.testLoss() : o.testAccuracy()) != null);
        sb.append("Best trials by ").append(test ? "test" : "train").append(regression ? " loss" : " accuracy")
                .append(":\n").append(table);
        List<TrialOutcome> failed = outcomes.stream().filter(o -> o.error() != null).toList();
        for (TrialOutcome o : failed) {
            sb.append("Failed trial ").append(o.trialId()).append(": ").append(o.error()).append('\n');
        }
        return sb.toString();
    }

    private static Object[] row(TrialOutcome o, boolean steps) {
        List<Object> row = new ArrayList<>(List.of(o.trialId(), o.config().architecture().label()));
        row.addAll(steps ? List.of(o.config().dataset().length()) : List.of());
        row.addAll(List.of(o.config().activation(), o.config().depth(), o.config().width(), o.config().initializer(),
                o.config().optimizer(), Term.number(o.config().learningRate()), o.config().clipping(),
                o.config().seed(), o.status(), fmt(accuracy(o)), fmt(loss(o)), fmt(o.gradRatio()), o.diagnosis()));
        return row.toArray();
    }

    private static String counts(List<TrialOutcome> outcomes, Function<TrialOutcome, String> key) {
        Map<String, Long> counts = outcomes.stream()
                .collect(Collectors.groupingBy(key, TreeMap::new, Collectors.counting()));
        return counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    private static Double accuracy(TrialOutcome o) {
        return o.testAccuracy() != null ? o.testAccuracy() : o.trainAccuracy();
    }

    private static Double loss(TrialOutcome o) {
        return o.testLoss() != null ? o.testLoss() : o.trainLoss();
    }

    static String fmt(Double v) {
        return v == null ? "null" : String.format("%.4g", v);
    }
}
