package io.gradsweep.spec;

import io.gradsweep.tabular.TableException;
import io.gradsweep.tabular.TableFiles;
import io.gradsweep.tabular.TableScan;
import io.gradsweep.tabular.TableSchema;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * The keys of a {@code table} dataset. The table is read once here, like the IDX header for MNIST but in full: its
 * row count, classes and fingerprint become part of the spec, and a bad column or cell fails the spec before
 * anything is written.
 */
final class TableSpecs {
    /** A softmax this wide means the label column holds measurements rather than classes. */
    static final int MAX_CLASSES = 1000;
    private static final String LABEL_TYPES = "INT32, INT64, FLOAT, DOUBLE, BOOLEAN or BINARY (string)";

    private TableSpecs() {
    }

    static TableSource parse(SpecNode d) {
        SpecNode formatNode = d.get("format");
        String format = formatNode.string(null);
        if (format != null && !TableFiles.FORMATS.contains(format)) {
            throw SpecException.choice(formatNode.path(), format, TableFiles.FORMATS);
        }
        String path = d.get("path").string();
        SpecNode limitNode = d.get("limit");
        int limit = (int) limitNode.integer(2, Integer.MAX_VALUE, Integer.MAX_VALUE);
        Configuration conf = TableFiles.defaultConf();
        try {
            TableFiles files = TableFiles.resolve(path, format, conf);
            TableSchema schema = TableScan.schema(files, conf);
            String label = label(d.get("label"), schema);
            SpecNode featuresNode = d.get("features");
            boolean all = !featuresNode.present() || featuresNode.is("all");
            List<String> features = all ? allFeatures(featuresNode, schema, label)
                    : listedFeatures(featuresNode, schema, label);
            TableScan scan = TableScan.read(files, label, features, limit, conf);
            if (scan.rows() < 2) {
                throw SpecException.expected("dataset.path", path, "a table with at least 2 data rows; it has "
                        + scan.rows());
            }
            if (limitNode.present() && scan.rows() < limit) {
                throw SpecException.expected(limitNode.path(), limit, "an integer in [2, " + scan.rows() + "]");
            }
            List<String> classes = scan.classes();
            if (classes.size() < 2) {
                throw SpecException.expected("dataset.label", label, "a column with at least 2 distinct values; "
                        + "all " + scan.rows() + " rows are '" + classes.get(0) + "'");
            }
            if (classes.size() > MAX_CLASSES) {
                throw SpecException.expected("dataset.label", label, "a column of class labels, at most "
                        + MAX_CLASSES + " distinct values; it has " + classes.size());
            }
            return new TableSource(path, files.format(), label, features, all, scan.rows(), classes, scan.crc());
        } catch (TableException e) {
            throw e.key() != null ? SpecException.expected(e.key(), e.value(), e.expectation())
                    : new SpecException("dataset.path", e.getMessage());
        }
    }

    private static String label(SpecNode node, TableSchema schema) {
        String label = node.string(null);
        TableSchema.Column c = label == null ? null : schema.column(label);
        if (c == null) {
            throw SpecException.expected(node.path(), label, "one of " + TableSchema.list(schema.names()));
        }
        if (!c.label()) {
            throw SpecException.expected(node.path(), label, "a column of " + LABEL_TYPES + "; it is " + c.type());
        }
        return label;
    }

    /** Every column but the label; one pass over the columns, since a table may have 10^5 of them. */
    private static List<String> allFeatures(SpecNode node, TableSchema schema, String label) {
        List<TableSchema.Column> columns = schema.columns().stream().filter(c -> !c.name().equals(label)).toList();
        if (columns.isEmpty()) {
            throw SpecException.expected(node.path(), "all", "at least one column besides the label '" + label + "'");
        }
        for (TableSchema.Column c : columns) {
            if (!c.numeric()) {
                throw SpecException.expected(node.path(), "all", "only numeric columns (" + TableSchema.NUMERIC_TYPES
                        + ") besides the label, but '" + c.name() + "' is " + c.type() + "; list the feature columns");
            }
        }
        return columns.stream().map(TableSchema.Column::name).toList();
    }

    private static List<String> listedFeatures(SpecNode node, TableSchema schema, String label) {
        List<String> candidates = schema.names().stream().filter(n -> !n.equals(label)).toList();
        Map<String, Integer> at = schema.byName();
        at.remove(label);
        return node.list((n, p) -> {
            String name = n.string();
            if (!at.containsKey(name)) {
                throw SpecException.expected(p, name, "one of " + TableSchema.list(candidates));
            }
            TableSchema.Column c = schema.columns().get(at.get(name));
            if (!c.numeric()) {
                throw SpecException.expected(p, name, "a numeric column (" + TableSchema.NUMERIC_TYPES + "); it is "
                        + c.type());
            }
            return name;
        });
    }
}
