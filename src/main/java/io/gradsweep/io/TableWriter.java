package io.gradsweep.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.values.factory.DefaultV1ValuesWriterFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;

/** Streams rows of one table into one Parquet file through the Hadoop FileSystem API (file://, hdfs://, s3a://). */
public final class TableWriter<T> implements AutoCloseable {
    private final Table<T> table;
    private final ParquetWriter<T> writer;
    private long rows;

    public TableWriter(Table<T> table, Path file, Configuration conf) throws IOException {
        this.table = table;
        Builder<T> builder = new Builder<>(HadoopOutputFile.fromPath(file, conf), table)
                .withConf(conf)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .withCompressionCodec(CompressionCodecName.SNAPPY);
        // Statistics are distinct doubles: Parquet would hash each into a dictionary, find it too large and
        // re-encode the page plainly, which made the writer the largest cost of a vector group's task. Ids,
        // names and integers keep their dictionaries.
        for (Column<T> c : table.columns()) {
            if (c.type() == Column.Type.DOUBLE) {
                builder.withDictionaryEncoding(c.name(), false);
            }
        }
        ownEncoders(builder);
        this.writer = builder.build();
    }

    /**
     * Parquet 1.13 gives every writer in the JVM one shared value-writer factory and re-points it at the newest
     * writer's settings (apache/parquet-java#2174, fixed upstream only after the version Spark 3.5 ships). A task
     * opening its files while another task opened its own then encoded columns with the other table's settings,
     * which name none of its columns: statistics were dictionary-encoded again, at the cost the loop above removes,
     * in a random part of the files of every local[2] sweep. A factory of this writer's own ends the sharing; the
     * builder offers no setter for it, hence the reflection, which a test guards.
     */
    private static void ownEncoders(ParquetWriter.Builder<?, ?> builder) {
        try {
            Field props = ParquetWriter.Builder.class.getDeclaredField("encodingPropsBuilder");
            props.setAccessible(true);
            ((ParquetProperties.Builder) props.get(builder)).withValuesWriterFactory(new DefaultV1ValuesWriterFactory());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("Cannot give a Parquet writer its own encoders: this Parquet version ("
                    + ParquetWriter.class.getPackage().getImplementationVersion() + ") hides them differently", e);
        }
    }

    public void write(T row) {
        try {
            writer.write(row);
            rows++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Table<T> table() {
        return table;
    }

    public long rows() {
        return rows;
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }

    private static final class Builder<T> extends ParquetWriter.Builder<T, Builder<T>> {
        private final Table<T> table;

        Builder(HadoopOutputFile file, Table<T> table) {
            super(file);
            this.table = table;
        }

        @Override
        protected Builder<T> self() {
            return this;
        }

        @Override
        protected WriteSupport<T> getWriteSupport(Configuration conf) {
            return new RowWriteSupport<>(table);
        }
    }
}
