package io.gradsweep.data;

import io.gradsweep.spec.TableSource;
import io.gradsweep.tabular.TableFiles;
import io.gradsweep.tabular.TableScan;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * Reads a user table (CSV or Parquet) where a trial trains, through the Hadoop FileSystem API like {@link Idx}.
 * Labels become class ids in the order fixed when the spec was parsed.
 */
public final class Table {
    private Table() {
    }

    /**
     * @throws io.gradsweep.tabular.TableException naming the file, row and column of a bad cell
     * @throws IllegalStateException when the data is no longer what the spec was parsed from: the trial ids would
     *                               then describe other data
     */
    public static Dataset read(TableSource source, Configuration conf) {
        TableFiles files = TableFiles.resolve(source.path(), source.format(), conf);
        TableScan scan = TableScan.read(files, source.label(), source.features(), source.rows(), conf);
        if (scan.rows() != source.rows() || scan.crc() != source.fingerprint()) {
            throw new IllegalStateException("Cannot read dataset: 'dataset.path' is '" + source.path()
                    + "'; expected the " + source.rows() + " rows with fingerprint "
                    + String.format("%08x", source.fingerprint()) + " read when the spec was parsed, but found "
                    + scan.rows() + " rows with fingerprint " + String.format("%08x", scan.crc())
                    + " (the data changed; run the spec again to get trial ids for the new data)");
        }
        Map<String, Integer> ids = new HashMap<>();
        List<String> classes = source.classes();
        for (int i = 0; i < classes.size(); i++) {
            ids.put(classes.get(i), i);
        }
        int[] y = new int[scan.rows()];
        for (int i = 0; i < y.length; i++) {
            y[i] = ids.get(scan.labels().get(i)); // the fingerprint matched, so every label is a known class
        }
        return new Dataset(scan.features(), y, source.numFeatures(), source.numClasses());
    }
}
