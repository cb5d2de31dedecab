package io.gradsweep.cli;

import io.gradsweep.exec.BatchPlanner;
import io.gradsweep.spec.Engine;
import io.gradsweep.spec.TrialConfig;
import io.gradsweep.vector.Groups;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code plan} says about each trial's execution: its engine, the vector group it trains in (a DL4J trial is a
 * group of one) and an estimated time, the planner's cost model at {@link BatchPlanner#SECONDS_PER_UNIT}, so that a
 * 30-second grid and a 30-minute one do not look alike. A trial's share of its group's estimate is by iterations,
 * as the trials table's {@code wall_ms} shares a group's measured time.
 */
final class PlanEstimate {
    record Entry(Engine engine, int group, int groupSize, double seconds) {
    }

    /** By trial index, unique within a grid. */
    private final Map<Integer, Entry> entries = new HashMap<>();
    private final int groups;
    private final double totalSeconds;

    PlanEstimate(List<TrialConfig> trials) {
        List<List<TrialConfig>> all = Groups.of(trials);
        double total = 0;
        for (int g = 0; g < all.size(); g++) {
            List<TrialConfig> group = all.get(g);
            double seconds = BatchPlanner.estimatedSeconds(group);
            long iterations = group.stream().mapToLong(TrialConfig::totalIterations).sum();
            for (TrialConfig t : group) {
                entries.put(t.index(), new Entry(Engine.of(t), g, group.size(),
                        iterations == 0 ? 0 : seconds * t.totalIterations() / iterations));
            }
            total += seconds;
        }
        this.groups = all.size();
        this.totalSeconds = total;
    }

    static List<String> header() {
        return List.of("engine", "group", "est_time");
    }

    List<Object> cells(TrialConfig t) {
        Entry e = entries.get(t.index());
        return List.of(e.engine().spelling(), e.group() + " (" + e.groupSize() + ")", duration(e.seconds()));
    }

    /** The one line under the trial counts: groups by engine and the whole grid's estimate. */
    String summary() {
        long vector = entries.values().stream().filter(e -> e.engine() == Engine.VECTOR).count();
        return String.format(Locale.ROOT, "%d groups (%d trials on the vector engine, %d on DL4J); estimated "
                + "%s on one core (a rough estimate from the planner's cost model, easily 2x off; tasks run "
                + "groups in parallel, one per core)%n", groups, vector, entries.size() - vector,
                duration(totalSeconds));
    }

    /** "0.4 s", "12 s", "3.5 min", "2.1 h". */
    static String duration(double seconds) {
        if (seconds < 10) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        if (seconds < 120) {
            return String.format(Locale.ROOT, "%.0f s", seconds);
        }
        if (seconds < 7200) {
            return String.format(Locale.ROOT, "%.1f min", seconds / 60);
        }
        return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
    }
}
