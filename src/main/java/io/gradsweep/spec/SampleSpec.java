package io.gradsweep.spec;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.math3.random.MersenneTwister;
import org.apache.commons.math3.random.SobolSequenceGenerator;

/**
 * The {@code sample:} block: {@code n} points drawn over the sampled axes, each combined with every grid point.
 * The draw depends on the block alone ({@code method}, {@code seed}, the axes in {@link GridAxis} order, whatever
 * their order in the YAML), so the same spec gives the same points and trial ids on every machine.
 *
 * <p>{@code random} takes each coordinate from Commons Math's Mersenne Twister seeded with {@code seed}. {@code sobol}
 * takes Commons Math's Sobol sequence (Joe and Kuo's direction numbers) with a random digital shift: every
 * coordinate's 52 bits are XORed with a seeded random mask. Commons Math has no Owen scrambling; a digital shift
 * keeps the sequence's net property (any 2^m consecutive points from the start fill every elementary box of volume
 * 2^-m exactly once), moves the first point off the origin, and lets {@code seed} give independent replicates.
 */
public record SampleSpec(int n, Method method, long seed, List<SampleAxis> axes) {
    /** Commons Math's Sobol generator works in 52-bit integers and returns them divided by 2^52. */
    private static final int SOBOL_BITS = 52;
    private static final double SOBOL_SCALE = 0x1p52;

    public enum Method {
        RANDOM("random"), SOBOL("sobol");

        private final String spelling;

        Method(String spelling) {
            this.spelling = spelling;
        }

        public String spelling() {
            return spelling;
        }

        static Method fromName(String keyPath, String name) {
            return Terms.fromName(values(), Method::spelling, keyPath, name);
        }
    }

    public SampleSpec {
        axes = List.copyOf(axes);
        if (n < 1 || axes.isEmpty()) {
            throw new IllegalArgumentException("a sample needs n >= 1 and at least one axis");
        }
    }

    /** Whether {@code axis} is sampled. */
    public boolean samples(GridAxis axis) {
        return axes.stream().anyMatch(a -> a.axis() == axis);
    }

    /**
     * The distinct points, in draw order, each a list of values in {@link #axes} order. Integer and choice axes can
     * draw one combination twice; a repeat would be the same trial twice, so it is dropped (and {@code plan} says so).
     */
    public List<List<Object>> points() {
        Set<List<Object>> distinct = new LinkedHashSet<>();
        for (double[] u : unitPoints()) {
            List<Object> point = new ArrayList<>(axes.size());
            for (int d = 0; d < axes.size(); d++) {
                point.add(axes.get(d).value(u[d]));
            }
            distinct.add(List.copyOf(point));
        }
        return List.copyOf(distinct);
    }

    /** The n points of the unit cube, one coordinate per axis, before they are mapped to values. */
    double[][] unitPoints() {
        int dims = axes.size();
        MersenneTwister twister = new MersenneTwister(seed);
        double[][] u = new double[n][];
        if (method == Method.RANDOM) {
            for (int i = 0; i < n; i++) {
                u[i] = new double[dims];
                for (int d = 0; d < dims; d++) {
                    u[i][d] = twister.nextDouble();
                }
            }
            return u;
        }
        long[] shift = new long[dims];
        for (int d = 0; d < dims; d++) {
            shift[d] = twister.nextLong() & ((1L << SOBOL_BITS) - 1);
        }
        SobolSequenceGenerator sobol = new SobolSequenceGenerator(dims);
        for (int i = 0; i < n; i++) {
            double[] v = sobol.nextVector();
            for (int d = 0; d < dims; d++) {
                v[d] = ((long) (v[d] * SOBOL_SCALE) ^ shift[d]) / SOBOL_SCALE;
            }
            u[i] = v;
        }
        return u;
    }

    /** "64 sobol points (seed 1) of learning_rate loguniform(0.0001,1)", for plan. */
    public String describe() {
        return n + " " + method.spelling() + " points (seed " + seed + ") of " + String.join(", ",
                axes.stream().map(a -> a.axis().column() + " " + a.text()).toList());
    }
}
