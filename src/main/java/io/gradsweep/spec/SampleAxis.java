package io.gradsweep.spec;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;

/**
 * One sampled axis of a {@code sample:} block: a distribution over the values a grid axis could hold. A point of
 * the unit interval maps to a value deterministically; numbers are rounded to {@link #DIGITS} significant digits,
 * so a sampled value is one a user could write in a grid, and a trial with it has that grid trial's id.
 *
 * @param lo lower bound of a numeric distribution (unused by choice)
 * @param hi upper bound, inclusive for {@code int}
 * @param choices the values of a choice, parsed as the grid parses that axis; empty otherwise
 * @param text the spec's spelling in canonical form, e.g. {@code loguniform(0.0001,1)}
 */
public record SampleAxis(GridAxis axis, Distribution distribution, double lo, double hi, List<Object> choices,
                         String text) {
    /** Significant digits kept of a sampled number: enough to tell 64 points over four decades apart. */
    public static final int DIGITS = 6;
    private static final MathContext ROUND = new MathContext(DIGITS, RoundingMode.HALF_EVEN);

    /** How values are drawn: log-uniform and uniform numbers, integers uniform over [lo, hi], one of a list. */
    public enum Distribution {
        LOGUNIFORM("loguniform"), UNIFORM("uniform"), INT("int"), CHOICE("choice");

        private final String spelling;

        Distribution(String spelling) {
            this.spelling = spelling;
        }

        public String spelling() {
            return spelling;
        }
    }

    public SampleAxis {
        choices = List.copyOf(choices);
        if ((distribution == Distribution.CHOICE) == choices.isEmpty()
                || (distribution != Distribution.CHOICE && !(lo < hi))
                || (distribution == Distribution.LOGUNIFORM && !(lo > 0))) {
            throw new IllegalArgumentException("invalid sampled axis " + axis + " " + text);
        }
    }

    /** The value at {@code u} in [0, 1): StrictMath, so every JVM on every CPU computes the same bits. */
    public Object value(double u) {
        return switch (distribution) {
            case LOGUNIFORM -> clamp(round(StrictMath.exp(StrictMath.log(lo)
                    + u * (StrictMath.log(hi) - StrictMath.log(lo)))));
            case UNIFORM -> clamp(round(lo + u * (hi - lo)));
            case INT -> (int) (lo + Math.min(hi - lo, Math.floor(u * (hi - lo + 1))));
            case CHOICE -> choices.get((int) Math.min(choices.size() - 1, Math.floor(u * choices.size())));
        };
    }

    /** Whether the axis is continuous (its values are binned and scattered, not one heatmap cell each). */
    public boolean continuous() {
        return distribution == Distribution.LOGUNIFORM || distribution == Distribution.UNIFORM;
    }

    /**
     * The values the spec's cross-axis checks must accept: every choice, or both ends of a range (every rule on a
     * numeric axis, such as dropout 0 for recurrent models, is decided by its ends).
     */
    List<Object> envelope() {
        if (distribution == Distribution.CHOICE) {
            return choices;
        }
        return distribution == Distribution.INT ? List.of((int) lo, (int) hi) : List.of(lo, hi);
    }

    private static double round(double v) {
        return new BigDecimal(v).round(ROUND).doubleValue();
    }

    private double clamp(double v) {
        return Math.max(lo, Math.min(hi, v));
    }
}
