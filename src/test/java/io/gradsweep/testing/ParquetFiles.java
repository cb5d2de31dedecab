package io.gradsweep.testing;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/** Writes small Parquet files with parquet-hadoop's example writer, for tests that read user tables. */
public final class ParquetFiles {
    private ParquetFiles() {
    }

    /**
     * @param schema a message type, e.g. {@code message t { required double x; optional binary y (STRING); }}
     * @param rows   values in field order; null leaves an optional field unset
     */
    public static Path write(Path file, String schema, Object[]... rows) throws IOException {
        MessageType type = MessageTypeParser.parseMessageType(schema);
        SimpleGroupFactory groups = new SimpleGroupFactory(type);
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(file.toUri()))
                .withType(type).withConf(new Configuration()).build()) {
            for (Object[] row : rows) {
                Group g = groups.newGroup();
                for (int i = 0; i < row.length; i++) {
                    String name = type.getFieldName(i);
                    Object v = row[i];
                    if (v instanceof Integer x) {
                        g.append(name, x);
                    } else if (v instanceof Long x) {
                        g.append(name, x);
                    } else if (v instanceof Float x) {
                        g.append(name, x);
                    } else if (v instanceof Double x) {
                        g.append(name, x);
                    } else if (v instanceof Boolean x) {
                        g.append(name, x);
                    } else if (v instanceof String x) {
                        g.append(name, x);
                    } else if (v != null) {
                        throw new IllegalArgumentException("unsupported value " + v);
                    }
                }
                w.write(g);
            }
        }
        return file;
    }
}
