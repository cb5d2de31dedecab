package io.gradsweep.spec;

import io.gradsweep.tabular.TableFiles;
import java.io.Serializable;
import java.util.HashSet;
import java.util.List;

/**
 * A user table (CSV or Parquet) as validated when the spec was parsed. The row count, classes and fingerprint are
 * facts learnt by reading it then; the driver needs them (feature and class counts size the networks and the
 * cost estimate) and the trials check them when they read the table again.
 *
 * @param path        file or directory of part files, any Hadoop FileSystem URI
 * @param format      csv or parquet, resolved from the extension when the spec left it out
 * @param features    the feature columns, in the order the network sees them
 * @param allFeatures whether {@code features} is every column but the label, in file order ({@code features: all})
 * @param rows        rows used: the first {@code limit}, or all
 * @param classes     label values in class-id order
 * @param fingerprint CRC-32 of the rows used (features and labels), so ids change with the data, not its location
 */
public record TableSource(String path, String format, String label, List<String> features, boolean allFeatures,
                          int rows, List<String> classes, long fingerprint) implements Serializable {
    public TableSource {
        features = List.copyOf(features);
        classes = List.copyOf(classes);
        if (path.isBlank() || !TableFiles.FORMATS.contains(format) || features.isEmpty() || features.contains(label)
                || new HashSet<>(features).size() != features.size() || rows < 2 || classes.size() < 2
                || new HashSet<>(classes).size() != classes.size()) {
            throw new IllegalArgumentException("invalid table source " + path);
        }
    }

    public int numFeatures() {
        return features.size();
    }

    public int numClasses() {
        return classes.size();
    }

    /** The last name in the path: a file's or a part directory's. */
    public String fileName() {
        String p = path.replaceAll("/+$", "");
        return p.substring(p.lastIndexOf('/') + 1);
    }

    /**
     * The table's part of the dataset's canonical text: the file name but not its directory, so moving the data
     * keeps the trial ids, and the fingerprint, so changing the data does not.
     */
    String canonical() {
        return "file=" + fileName() + ",label=" + label + ",features="
                + (allFeatures ? "all" : "[" + String.join(",", features) + "]")
                + ",crc=" + String.format("%08x", fingerprint);
    }
}
