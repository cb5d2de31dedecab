package io.gradsweep.cli;

import io.gradsweep.spec.Term;
import io.gradsweep.train.TrialOutcome;
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
        TextTable table = new TextTable("trial_id", "activation", "depth", "width", "initializer", "optimizer",
                "learning_rate", "clipping", "arch", "seed", "status", "accuracy", "loss", "grad_ratio", "diagnosis");
        outcomes.stream()
                .filter(o -> accuracy(o) != null)
                .sorted(Comparator.comparing(Summary::accuracy, Comparator.reverseOrder())
                        .thenComparing(o -> o.config().index()))
                .limit(best)
                .forEach(o -> table.add(o.trialId(), o.config().activation(), o.config().depth(),
                        o.config().width(), o.config().initializer(), o.config().optimizer(),
                        Term.number(o.config().learningRate()), o.config().clipping(), o.config().architecture().label(), o.config().seed(), o.status(),
                        fmt(accuracy(o)), fmt(o.testLoss() != null ? o.testLoss() : o.trainLoss()),
                        fmt(o.gradRatio()), o.diagnosis()));
        boolean test = outcomes.stream().anyMatch(o -> o.testAccuracy() != null);
        sb.append("Best trials by ").append(test ? "test" : "train").append(" accuracy:\n").append(table);
        List<TrialOutcome> failed = outcomes.stream().filter(o -> o.error() != null).toList();
        for (TrialOutcome o : failed) {
            sb.append("Failed trial ").append(o.trialId()).append(": ").append(o.error()).append('\n');
        }
        return sb.toString();
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

    static String fmt(Double v) {
        return v == null ? "null" : String.format("%.4g", v);
    }
}
