package io.gradsweep.report;

import io.gradsweep.InvalidInputException;
import io.gradsweep.analysis.BestTrial;
import io.gradsweep.report.ReportData.Trial;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Which trials get the detailed per-layer figures. */
public final class TrialSelection {
    private TrialSelection() {
    }

    /**
     * The given ids in order, or by default the best and the worst trial of each activation as {@link BestTrial}
     * ranks them (so never a failed one, and a diverged one only below every healthy one); among equal scores the
     * lower trial index is taken. Activations keep their grid order; an activation with one ranked trial contributes
     * it once.
     */
    public static List<Trial> choose(List<Trial> trials, List<String> ids) {
        if (!ids.isEmpty()) {
            return explicit(trials, ids);
        }
        Map<String, List<Trial>> byActivation = new LinkedHashMap<>();
        trials.stream().sorted(Comparator.comparingInt(Trial::index))
                .forEach(t -> byActivation.computeIfAbsent(t.axis("activation"), k -> new ArrayList<>()).add(t));
        Set<Trial> chosen = new LinkedHashSet<>();
        for (List<Trial> group : byActivation.values()) {
            List<Trial> ranked = BestTrial.rank(group, Trial::score);
            if (!ranked.isEmpty()) {
                Comparator<Trial> byScore = Comparator.comparing(Trial::score, BestTrial.BY_SCORE);
                chosen.add(ranked.get(0));
                chosen.add(ranked.stream().max(byScore.thenComparing(Trial::index, Comparator.reverseOrder()))
                        .orElseThrow());
            }
        }
        return List.copyOf(chosen);
    }

    private static List<Trial> explicit(List<Trial> trials, List<String> ids) {
        Map<String, Trial> byId = new LinkedHashMap<>();
        trials.forEach(t -> byId.put(t.trialId(), t));
        List<Trial> chosen = new ArrayList<>();
        for (String id : ids) {
            Trial t = byId.get(id);
            if (t == null) {
                List<String> known = byId.keySet().stream().limit(10).toList();
                throw new InvalidInputException("Cannot select trials: '--trials' is '" + id + "'; expected one of "
                        + String.join(", ", known) + (byId.size() > known.size() ? ", ..." : ""));
            }
            if (!chosen.contains(t)) {
                chosen.add(t);
            }
        }
        return chosen;
    }
}
