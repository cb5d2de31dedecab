package io.gradsweep.spec;

import java.io.Serializable;
import java.util.List;

/**
 * Which data a sweep trains on. Synthetic generators follow scikit-learn's {@code make_circles}/{@code make_moons}
 * semantics; {@code seed} drives generation and the train/test split, independent of the trial seeds. MNIST reads
 * {@code idx}, a user table reads {@code table}; both are null for the synthetic sets. {@code length} is the number
 * of steps of a sequence dataset (the adding problem) and 0 for every other one.
 */
public record DatasetSpec(String name, int samples, double noise, double factor, int classes, long seed,
                          double testFraction, Scaling scale, IdxSource idx, TableSource table, int length)
        implements Serializable {
    public static final String ADDING = "adding";
    public static final List<String> NAMES = List.of("circles", "moons", "spirals", "xor", "blobs", "mnist", "table",
            ADDING);
    /** Steps over all examples of a sequence dataset, so that its single feature array stays far below 2^31. */
    public static final long MAX_STEPS = 50_000_000L;

    public DatasetSpec {
        if (!NAMES.contains(name) || samples < 2 || noise < 0 || classes < 2
                || testFraction < 0 || testFraction >= 1 || scale == null || (idx == null) == name.equals("mnist")
                || (table == null) == name.equals("table") || (table != null && table.rows() != samples)
                || (length > 0) != name.equals(ADDING) || length == 1 || (long) samples * length > MAX_STEPS) {
            throw new IllegalArgumentException("invalid dataset spec " + name);
        }
    }

    /** A synthetic dataset. */
    public DatasetSpec(String name, int samples, double noise, double factor, int classes, long seed,
                       double testFraction, Scaling scale) {
        this(name, samples, noise, factor, classes, seed, testFraction, scale, null, null, 0);
    }

    /** The adding problem with sequences of {@code length} steps. */
    public static DatasetSpec adding(int samples, int length, long seed, double testFraction) {
        return new DatasetSpec(ADDING, samples, 0, 0.8, 2, seed, testFraction, Scaling.NONE, null, null, length);
    }

    /** The same data with sequences of another length: what the {@code sequence_length} grid axis varies. */
    public DatasetSpec withLength(int steps) {
        return new DatasetSpec(name, samples, noise, factor, classes, seed, testFraction, scale, idx, table, steps);
    }

    /** Whether examples are sequences (of {@link #numFeatures()} features per step) with a regression target. */
    public boolean sequence() {
        return length > 0;
    }

    /**
     * Spirals and blobs have {@code classes} classes, MNIST ten digits, a table its distinct labels, the adding
     * problem none (a regression), others two.
     */
    public int numClasses() {
        return switch (name) {
            case "spirals", "blobs" -> classes;
            case "mnist" -> 10;
            case "table" -> table.numClasses();
            case ADDING -> 0;
            default -> 2;
        };
    }

    /** 28x28 pixels flattened for MNIST, a table's feature columns, two per step for adding, two for the toy sets. */
    public int numFeatures() {
        return switch (name) {
            case "mnist" -> 28 * 28;
            case "table" -> table.numFeatures();
            default -> 2;
        };
    }

    /** Size of the training part after the test split. */
    public int trainSize() {
        return samples - testSize();
    }

    public int testSize() {
        return (int) Math.round(samples * testFraction);
    }

    /** Stable text used in trial ids and the {@code dataset} column. */
    public String canonical() {
        StringBuilder sb = new StringBuilder(name).append("(samples=").append(samples);
        if (idx != null) {
            sb.append(",split=").append(idx.split()); // not the path: moving the files keeps the ids
        } else if (table != null) {
            sb.append(',').append(table.canonical());
        } else if (sequence()) {
            sb.append(",length=").append(length);
        } else {
            sb.append(",noise=").append(Term.number(noise));
        }
        if (name.equals("circles")) {
            sb.append(",factor=").append(Term.number(factor));
        }
        if (name.equals("spirals") || name.equals("blobs")) {
            sb.append(",classes=").append(classes);
        }
        return sb.append(",seed=").append(seed).append(",test_fraction=").append(Term.number(testFraction))
                .append(",scale=").append(scale.term().canonical()).append(')').toString();
    }
}
