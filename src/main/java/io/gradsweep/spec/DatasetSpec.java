package io.gradsweep.spec;

import java.io.Serializable;
import java.util.List;

/**
 * Which data a sweep trains on. Synthetic generators follow scikit-learn's {@code make_circles}/{@code make_moons}
 * semantics; {@code seed} drives generation and the train/test split, independent of the trial seeds. MNIST reads
 * {@code idx}, a user table reads {@code table}; both are null for the synthetic sets.
 */
public record DatasetSpec(String name, int samples, double noise, double factor, int classes, long seed,
                          double testFraction, Scaling scale, IdxSource idx, TableSource table)
        implements Serializable {
    public static final List<String> NAMES = List.of("circles", "moons", "spirals", "xor", "blobs", "mnist", "table");

    public DatasetSpec {
        if (!NAMES.contains(name) || samples < 2 || noise < 0 || classes < 2
                || testFraction < 0 || testFraction >= 1 || scale == null || (idx == null) == name.equals("mnist")
                || (table == null) == name.equals("table") || (table != null && table.rows() != samples)) {
            throw new IllegalArgumentException("invalid dataset spec " + name);
        }
    }

    /** A synthetic dataset. */
    public DatasetSpec(String name, int samples, double noise, double factor, int classes, long seed,
                       double testFraction, Scaling scale) {
        this(name, samples, noise, factor, classes, seed, testFraction, scale, null, null);
    }

    /** Spirals and blobs have {@code classes} classes, MNIST ten digits, a table its distinct labels, others two. */
    public int numClasses() {
        return switch (name) {
            case "spirals", "blobs" -> classes;
            case "mnist" -> 10;
            case "table" -> table.numClasses();
            default -> 2;
        };
    }

    /** 28x28 pixels flattened for MNIST, a table's feature columns, two coordinates for the toy sets. */
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
