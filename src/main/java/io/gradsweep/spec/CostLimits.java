package io.gradsweep.spec;

import java.util.List;
import java.util.Locale;

/**
 * Refuses, before anything trains, a sweep whose trials cannot fit: a trial or vector group over the largest Java
 * array, or a group whose estimated memory ({@link TrialCost}) exceeds the memory of the JVM that trains it.
 * Both engines copy a trial's whole gradient into one float array for its statistics, and the vector engine keeps
 * a group's parameters in one, so an array's index range bounds both; without the check such a sweep passed
 * {@code plan} and failed minutes later with a stack trace.
 */
public final class CostLimits {
    /** The largest array HotSpot allocates, as the JDK's own {@code ArraysSupport.SOFT_MAX_ARRAY_LENGTH}. */
    public static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    /** Memory one group may use: the bytes and how the message names them ("the max heap of this JVM (-Xmx)"). */
    public record Budget(long bytes, String description) {
        public Budget {
            if (bytes < 1) {
                throw new IllegalArgumentException("memory budget must be positive: " + bytes);
            }
        }

        /** This JVM's max heap; ND4J's off-heap limit ({@code org.bytedeco.javacpp.maxBytes}) defaults to it too. */
        public static Budget thisJvm() {
            return new Budget(Runtime.getRuntime().maxMemory(), "the max heap of this JVM (-Xmx)");
        }
    }

    private CostLimits() {
    }

    /**
     * @param groups the trials as they train: one list per vector group, a list of one per DL4J trial
     * @param action what is refused, e.g. "plan sweep"
     */
    public static void require(SweepSpec spec, List<List<TrialConfig>> groups, Budget budget, String action) {
        for (List<TrialConfig> group : groups) {
            TrialConfig first = group.get(0);
            long trialParams = TrialCost.parameters(first);
            if (trialParams > MAX_ARRAY) {
                throw refuse(spec, first, action, trialParams + " parameters per trial", "at most " + MAX_ARRAY
                        + " parameters per trial (the largest Java array; the statistics copy each gradient into one)");
            }
            long groupParams = group.stream().mapToLong(TrialCost::parameters).sum();
            if (groupParams > MAX_ARRAY) {
                throw refuse(spec, first, action, groupParams + " parameters in a vector group of " + group.size()
                        + " trials", "at most " + MAX_ARRAY + " parameters per group (the largest Java array, which"
                        + " holds a group's parameters; lower train.group_size)");
            }
            double bytes = group.stream().mapToDouble(t -> TrialCost.of(t).bytes()).sum();
            if (bytes > budget.bytes()) {
                String what = group.size() == 1 ? "per trial" : "for its vector group of " + group.size() + " trials";
                throw refuse(spec, first, action, trialParams + " parameters, an estimated " + show(bytes) + " "
                        + what, "at most " + show(budget.bytes()) + ", " + budget.description());
            }
        }
    }

    private static SpecException refuse(SweepSpec spec, TrialConfig t, String action, String cost, String expected) {
        String key = shapeKey(spec, t);
        return new SpecException(key.substring(1, key.indexOf('\'', 1)), "Cannot " + action + ": " + key + " ("
                + cost + (t.architecture().model().equals(Architecture.MLP) ? "" : ", model "
                + t.architecture().model()) + "); expected " + expected);
    }

    /**
     * "'grid.width[0]' is 100000 with 'grid.depth[0]' 1000", "'grid.widths[1]' is [512, 512]", or for a sampled
     * axis "'sample.width' drew 100000 with ...".
     */
    private static String shapeKey(SweepSpec spec, TrialConfig t) {
        Architecture a = t.architecture();
        GridSpec grid = spec.grid();
        if (!grid.widths().isEmpty()) {
            return "'grid.widths[" + grid.widths().indexOf(a.widths()) + "]' is " + a.widths();
        }
        return axisKey(spec, GridAxis.WIDTH, grid.width(), a.width(), " is ") + " with "
                + axisKey(spec, GridAxis.DEPTH, grid.depth(), a.depth(), " ");
    }

    /** "'grid.depth[0]' 1000" or "'sample.depth' drew 1000"; {@code is} joins a grid key to its value. */
    private static String axisKey(SweepSpec spec, GridAxis axis, List<Integer> values, int value, String is) {
        if (spec.sample() != null && spec.sample().samples(axis)) {
            return "'sample." + axis.column() + "' drew " + value;
        }
        return "'grid." + axis.column() + "[" + values.indexOf(value) + "]'" + is + value;
    }

    /** Binary units with one decimal: "44.7 GiB". */
    static String show(double bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        int u = 0;
        while (bytes >= 1024 && u < units.length - 1) {
            bytes /= 1024;
            u++;
        }
        return u == 0 ? String.format(Locale.ROOT, "%.0f B", bytes)
                : String.format(Locale.ROOT, "%.1f %s", bytes, units[u]);
    }
}
