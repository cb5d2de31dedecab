package io.gradsweep.cli;

import io.gradsweep.analysis.BestTrial;
import io.gradsweep.analysis.BestTrial.Score;
import io.gradsweep.spec.GridAxis;
import io.gradsweep.train.TrialOutcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The end-of-sweep table per configuration over its seeds, as the README's tables read: a sweep's point (sigmoid
 * vanishing, say) is a difference between configurations, which ten best trials, all of one kind, never show.
 * Configurations rank as the {@code leaderboard} analysis ranks them: one with a diverged seed below every one
 * without, then by mean accuracy (mean loss for regression) over the seeds {@link BestTrial} ranks.
 */
final class ConfigSummary {
    private ConfigSummary() {
    }

    private record Config(List<Object> cells, List<TrialOutcome> trials) {
        List<Score> ranked() {
            return trials.stream().map(Score::of).filter(Score::ranked).toList();
        }

        Double mean(boolean accuracy) {
            List<Double> v = ranked().stream().map(s -> accuracy ? s.accuracy() : s.loss()).filter(Objects::nonNull)
                    .toList();
            return v.isEmpty() ? null : v.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        }

        boolean diverged() {
            return trials.stream().anyMatch(t -> TrialOutcome.DIVERGED.equals(t.status()));
        }
    }

    /** The table, or "" when no configuration has more than one trial (the best-trials table says it all). */
    static String of(List<TrialOutcome> outcomes, boolean steps, boolean regression, String split, int limit) {
        Map<List<Object>, Config> byConfig = new LinkedHashMap<>();
        for (TrialOutcome o : outcomes) {
            List<Object> cells = new ArrayList<>(GridAxis.consoleRow(o.config(), steps));
            cells.remove(cells.size() - 1); // the seed, last by GridAxis's order
            List<Object> key = new ArrayList<>(cells);
            key.add(o.config().dropout()); // not a console column, but a different configuration
            byConfig.computeIfAbsent(key, k -> new Config(cells, new ArrayList<>())).trials().add(o);
        }
        if (byConfig.values().stream().allMatch(c -> c.trials().size() < 2)) {
            return "";
        }
        Comparator<Config> order = Comparator.comparing(Config::diverged)
                .thenComparing(c -> c.mean(!regression), Comparator.nullsLast(regression
                        ? Comparator.<Double>naturalOrder() : Comparator.<Double>reverseOrder()));
        List<Config> ranked = byConfig.values().stream().sorted(order).toList();
        List<String> header = new ArrayList<>(GridAxis.consoleHeader(steps));
        header.remove(header.size() - 1);
        header.addAll(List.of("seeds", split + (regression ? "_loss" : "_accuracy"), "grad_ratio", "diagnosis"));
        TextTable table = new TextTable(header.toArray(String[]::new));
        ranked.stream().limit(limit).forEach(c -> table.add(row(c, regression)));
        String shown = ranked.size() > limit ? ", the best " + limit + " of " + ranked.size() : "";
        return "By configuration over seeds (" + split + (regression ? " loss" : " accuracy") + " mean ± std"
                + shown + "):\n" + table;
    }

    private static Object[] row(Config c, boolean regression) {
        List<Object> row = new ArrayList<>(c.cells());
        List<Double> values = c.ranked().stream().map(s -> regression ? s.loss() : s.accuracy())
                .filter(Objects::nonNull).toList();
        row.add(c.trials().size());
        row.add(meanStd(values));
        List<Double> ratios = c.trials().stream().map(TrialOutcome::gradRatio)
                .filter(r -> r != null && Double.isFinite(r)).sorted().toList();
        row.add(ratios.isEmpty() ? "null" : Summary.fmt(median(ratios)));
        Map<String, Long> diagnoses = c.trials().stream().collect(Collectors.groupingBy(
                t -> BestTrial.diagnosis(t.status(), t.diagnosis()), TreeMap::new, Collectors.counting()));
        row.add(diagnoses.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", ")));
        return row.toArray();
    }

    /** "0.9950 ± 0.0010" (sample std), "0.9950" for one value, "null" for none. */
    static String meanStd(List<Double> v) {
        if (v.isEmpty()) {
            return "null";
        }
        double mean = v.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        if (v.size() == 1) {
            return String.format(java.util.Locale.ROOT, "%.4f", mean);
        }
        double ss = v.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum();
        return String.format(java.util.Locale.ROOT, "%.4f ± %.4f", mean, Math.sqrt(ss / (v.size() - 1)));
    }

    private static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
