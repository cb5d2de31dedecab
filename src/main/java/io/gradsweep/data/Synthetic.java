package io.gradsweep.data;

import io.gradsweep.spec.DatasetSpec;
import java.util.Random;

/**
 * Seeded 2-D toy datasets. Circles and moons follow scikit-learn's {@code make_circles}/{@code make_moons}: evenly
 * spaced angles, the first half class 0 (outer circle / upper moon), Gaussian noise of std {@code noise} on both
 * coordinates, then a seeded shuffle.
 */
public final class Synthetic {
    private Synthetic() {
    }

    public static Dataset generate(DatasetSpec spec) {
        Random rng = new Random(spec.seed());
        Dataset raw = switch (spec.name()) {
            case "circles" -> circles(spec.samples(), spec.factor());
            case "moons" -> moons(spec.samples());
            case "spirals" -> spirals(spec.samples(), spec.numClasses());
            case "xor" -> xor(spec.samples(), rng);
            case "blobs" -> blobs(spec.samples(), spec.numClasses(), rng);
            default -> throw new IllegalArgumentException("unknown dataset " + spec.name());
        };
        addNoise(raw.features(), spec.noise(), rng);
        return raw.select(permutation(raw.size(), rng));
    }

    /** Outer circle radius 1 (class 0), inner radius {@code factor} (class 1). */
    static Dataset circles(int n, double factor) {
        int outer = n / 2;
        int inner = n - outer;
        float[] x = new float[2 * n];
        int[] y = new int[n];
        for (int i = 0; i < outer; i++) {
            double t = 2 * Math.PI * i / outer;
            put(x, i, Math.cos(t), Math.sin(t));
        }
        for (int i = 0; i < inner; i++) {
            double t = 2 * Math.PI * i / inner;
            put(x, outer + i, factor * Math.cos(t), factor * Math.sin(t));
            y[outer + i] = 1;
        }
        return new Dataset(x, y, 2, 2);
    }

    /** Upper moon (cos t, sin t) and lower moon (1 - cos t, 0.5 - sin t), t in [0, pi]. */
    static Dataset moons(int n) {
        int upper = n / 2;
        int lower = n - upper;
        float[] x = new float[2 * n];
        int[] y = new int[n];
        for (int i = 0; i < upper; i++) {
            double t = upper == 1 ? 0 : Math.PI * i / (upper - 1);
            put(x, i, Math.cos(t), Math.sin(t));
        }
        for (int i = 0; i < lower; i++) {
            double t = lower == 1 ? 0 : Math.PI * i / (lower - 1);
            put(x, upper + i, 1 - Math.cos(t), 0.5 - Math.sin(t));
            y[upper + i] = 1;
        }
        return new Dataset(x, y, 2, 2);
    }

    /** k interleaved Archimedean arms of radius up to 1, each turning once around the origin. */
    static Dataset spirals(int n, int k) {
        float[] x = new float[2 * n];
        int[] y = new int[n];
        int row = 0;
        for (int c = 0; c < k; c++) {
            int count = n / k + (c < n % k ? 1 : 0);
            for (int i = 0; i < count; i++) {
                double r = (i + 1.0) / count;
                double t = 2 * Math.PI * (r + (double) c / k);
                put(x, row, r * Math.cos(t), r * Math.sin(t));
                y[row++] = c;
            }
        }
        return new Dataset(x, y, 2, k);
    }

    /**
     * scikit-learn's {@code make_blobs}: k centers drawn uniformly from [-10, 10]^2, points spread evenly over them;
     * {@code noise} is the clusters' standard deviation.
     */
    static Dataset blobs(int n, int k, Random rng) {
        double[][] centers = new double[k][2];
        for (double[] c : centers) {
            c[0] = 20 * rng.nextDouble() - 10;
            c[1] = 20 * rng.nextDouble() - 10;
        }
        float[] x = new float[2 * n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % k;
            put(x, i, centers[y[i]][0], centers[y[i]][1]);
        }
        return new Dataset(x, y, 2, k);
    }

    /** Uniform points in [-1, 1]^2; class 1 where the coordinates' signs differ. */
    static Dataset xor(int n, Random rng) {
        float[] x = new float[2 * n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            double a = 2 * rng.nextDouble() - 1;
            double b = 2 * rng.nextDouble() - 1;
            put(x, i, a, b);
            y[i] = (a < 0) != (b < 0) ? 1 : 0;
        }
        return new Dataset(x, y, 2, 2);
    }

    private static void addNoise(float[] x, double std, Random rng) {
        if (std > 0) {
            for (int i = 0; i < x.length; i++) {
                x[i] += (float) (std * rng.nextGaussian());
            }
        }
    }

    /** Fisher-Yates permutation of 0..n-1; used for generation, splitting and per-epoch minibatch shuffles. */
    public static int[] permutation(int n, Random rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
        }
        return p;
    }

    private static void put(float[] x, int row, double a, double b) {
        x[2 * row] = (float) a;
        x[2 * row + 1] = (float) b;
    }
}
