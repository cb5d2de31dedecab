package io.gradsweep.tabular;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.apache.hadoop.conf.Configuration;

/**
 * Reads the label and feature columns of a table's first rows into memory. The same scan runs when the spec is
 * parsed (to learn the row count, the classes and a fingerprint, and to reject bad cells before anything runs)
 * and again where the trials train.
 *
 * @param features row-major, {@code rows x featureCount}, float32 as the network consumes them
 * @param labels   each row's label key (see {@link Cells#label})
 * @param crc      CRC-32 over the features' bits and the label keys, row by row: the data's identity
 */
public record TableScan(float[] features, List<String> labels, int rows, long crc) {
    /** Java arrays end here; a larger table needs a {@code limit}. */
    private static final long MAX_VALUES = Integer.MAX_VALUE - 8;

    /** The columns of the first part file that has any (an empty CSV part has none). */
    public static TableSchema schema(TableFiles files, Configuration conf) {
        for (TableFiles.Part part : files.parts()) {
            try (RowReader rows = open(files, part, conf)) {
                if (!rows.schema().columns().isEmpty()) {
                    return rows.schema();
                }
            } catch (IOException e) {
                throw unreadable(part, e);
            }
        }
        throw TableException.keyed("dataset.path", files.path(), "a CSV file with a header line; it is empty");
    }

    /** At most {@code limit} rows, across the part files in order. */
    public static TableScan read(TableFiles files, String label, List<String> features, int limit,
                                 Configuration conf) {
        TableSchema expected = schema(files, conf);
        int f = features.size();
        float[] x = new float[(int) Math.min(MAX_VALUES, initialRows(limit, f) * f)];
        List<String> y = new ArrayList<>();
        Map<String, String> interned = new HashMap<>();
        CRC32 crc = new CRC32();
        ByteBuffer bits = ByteBuffer.allocate(4 * f);
        int n = 0;
        for (TableFiles.Part part : files.parts()) {
            try (RowReader rows = open(files, part, conf)) {
                if (rows.schema().columns().isEmpty()) {
                    continue;
                }
                requireSameColumns(files, part, expected, rows.schema());
                int labelAt = expected.indexOf(label);
                int[] at = expected.indexesOf(features);
                while (n < limit && rows.next()) {
                    if ((long) (n + 1) * f > MAX_VALUES) {
                        throw TableException.other(files.path() + " has more than " + n + " rows of " + f
                                + " features, more than one array holds; set a smaller 'limit'");
                    }
                    if ((long) (n + 1) * f > x.length) {
                        x = Arrays.copyOf(x, (int) Math.min(MAX_VALUES, 2L * x.length));
                    }
                    bits.clear();
                    for (int j = 0; j < f; j++) {
                        float v = Cells.feature(rows.value(at[j]), features.get(j), rows);
                        x[n * f + j] = v;
                        bits.putFloat(v);
                    }
                    String key = Cells.label(rows.value(labelAt), label, rows);
                    y.add(interned.computeIfAbsent(key, k -> k));
                    crc.update(bits.array(), 0, 4 * f);
                    crc.update(key.getBytes(StandardCharsets.UTF_8));
                    crc.update('\n');
                    n++;
                }
            } catch (IOException e) {
                throw unreadable(part, e);
            }
        }
        return new TableScan(Arrays.copyOf(x, n * f), List.copyOf(y), n, crc.getValue());
    }

    /**
     * Rows to make room for before the array doubles: up to 1024, but no more than about 2^20 values, since the
     * spec's parse passes no limit and 1024 rows of 10^5 columns were 400 MB, zeroed, for a table of three rows.
     */
    private static long initialRows(int limit, int features) {
        return Math.max(1, Math.min(Math.min(limit, 1024), (1 << 20) / Math.max(1, features)));
    }

    /** The distinct labels in class-id order. */
    public List<String> classes() {
        return Cells.classes(labels);
    }

    private static RowReader open(TableFiles files, TableFiles.Part part, Configuration conf) throws IOException {
        return RowReader.open(files.format(), part, conf);
    }

    private static void requireSameColumns(TableFiles files, TableFiles.Part part, TableSchema expected,
                                           TableSchema actual) {
        if (!actual.equals(expected)) {
            throw TableException.keyed("dataset.path", files.path(), "the same columns in every part file; "
                    + part.file().getName() + " has " + TableSchema.list(actual.columns().stream()
                    .map(c -> c.name() + (files.format().equals("csv") ? "" : " " + c.type())).toList()));
        }
    }

    private static TableException unreadable(TableFiles.Part part, IOException e) {
        return TableException.keyed("dataset.path", part.display(), "a readable file (" + e.getMessage() + ")");
    }
}
