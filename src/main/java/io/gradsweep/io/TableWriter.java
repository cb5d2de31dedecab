package io.gradsweep.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;

/**
 * Streams rows of one table into one Parquet file through the Hadoop FileSystem API (file://, hdfs://, s3a://).
 *
 * <p>Values go straight to parquet-column's column writers, the layer below {@code ParquetWriter}. gradsweep's
 * tables are flat, so the record-assembly layer in between (field bookkeeping, a null pass per record) only cost
 * time: 2.17 against 2.02 µs per gradient row, and writing rows is over a third of a vector group's task. It also
 * lets a row be checked whole before any of it is written, and lets this writer own its encoder factory without
 * reaching into {@code ParquetWriter.Builder}. Rows are buffered column by column ({@link ColumnBuffer}) and each
 * column writer takes a run of values at once. File, page, statistics and compression handling are Parquet's.
 */
public final class TableWriter<T> implements AutoCloseable {
    /**
     * Rows buffered per column before they go to the column writers. Writing a column's values in one loop cost
     * less than 19 writers taking turns per row (docs/benchmarks.md); 1,024 rows of a 19-column table are 150 KiB.
     */
    static final int RUN_ROWS = 1024;

    private final Table<T> table;
    private final long rowGroupBytes;
    private final MessageType schema;
    private final ColumnDescriptor[] descriptors;
    private final ParquetProperties props;
    private final ParquetFileWriter file;
    private final CodecFactory codecs;
    private final CodecFactory.BytesCompressor compressor;
    private final ColumnBuffer<T>[] buffers;
    private final ColumnWriter[] writers;
    /**
     * UTF-8 forms of the strings written, by identity: a batch's rows repeat a few id and name instances (a vector
     * group interleaves its trials' rows), and encoding each again cost more than the lookup. Cleared when large,
     * so a column of distinct strings costs a lookup and nothing more.
     */
    private final Map<Object, Binary> utf8 = new IdentityHashMap<>();
    /** {@link #utf8} as the function the buffers take, made once: a method reference per value allocated. */
    private final Function<Object, Binary> toUtf8 = this::utf8;
    private ColumnChunkPageWriteStore pages;
    private ColumnWriteStore store;
    private int buffered;
    private long rows;
    private long groupRows;
    private boolean closed;

    public TableWriter(Table<T> table, Path path, Configuration conf) throws IOException {
        this(table, path, conf, ParquetWriter.DEFAULT_BLOCK_SIZE);
    }

    /** With a row-group size of its own, so that tests can cross row groups without writing 128 MiB. */
    TableWriter(Table<T> table, Path path, Configuration conf, long rowGroupBytes) throws IOException {
        this.table = table;
        this.rowGroupBytes = rowGroupBytes;
        this.schema = ParquetSchemas.of(table);
        this.descriptors = schema.getColumns().toArray(new ColumnDescriptor[0]);
        this.props = properties(table);
        this.file = new ParquetFileWriter(HadoopOutputFile.fromPath(path, conf), schema,
                ParquetFileWriter.Mode.OVERWRITE, rowGroupBytes, ParquetWriter.MAX_PADDING_SIZE_DEFAULT,
                props.getColumnIndexTruncateLength(), props.getStatisticsTruncateLength(),
                props.getPageWriteChecksumEnabled());
        file.start();
        this.codecs = new CodecFactory(conf, props.getPageSizeThreshold());
        this.compressor = codecs.getCompressor(CompressionCodecName.SNAPPY);
        this.buffers = buffers(table);
        this.writers = new ColumnWriter[buffers.length];
        startRowGroup();
    }

    /**
     * Statistics are distinct doubles: Parquet would hash each into a dictionary, find it too large and re-encode the
     * page plainly. Ids, names and integers keep their dictionaries. Not BYTE_STREAM_SPLIT, though it is 9% smaller
     * with Snappy and 17% with ZSTD on gradient rows: Spark 3.5's vectorized reader, its default, fails on it
     * ("Unsupported encoding: BYTE_STREAM_SPLIT"). Statistics computed in double from float data keep a mantissa
     * full of entropy, so no lossless encoding gets a gradient row near 30 bytes (docs/benchmarks.md). The
     * values-writer factory is this file's own ({@link PlainDoubles.Factory}).
     */
    private static ParquetProperties properties(Table<?> table) {
        ParquetProperties.Builder b = ParquetProperties.builder()
                .withValuesWriterFactory(new PlainDoubles.Factory());
        for (Column<?> c : table.columns()) {
            if (c.type() == Column.Type.DOUBLE) {
                b.withDictionaryEncoding(c.name(), false);
            }
        }
        return b.build();
    }

    private void startRowGroup() {
        pages = new ColumnChunkPageWriteStore(compressor, schema, props.getAllocator(),
                props.getColumnIndexTruncateLength(), props.getPageWriteChecksumEnabled());
        store = props.newColumnWriteStore(schema, pages, pages);
        for (int i = 0; i < descriptors.length; i++) {
            writers[i] = store.getColumnWriter(descriptors[i]);
        }
    }

    /**
     * Takes one row; a null in a required column, or a failing value, is refused before any of the row is kept.
     * Rows reach Parquet a run at a time (see {@link #flushRun}).
     */
    public void write(T row) {
        for (ColumnBuffer<T> b : buffers) {
            b.read(row, buffered, toUtf8);
        }
        buffered++;
        rows++;
        if (buffered == RUN_ROWS) {
            flushRun();
        }
    }

    /**
     * Hands each column writer its run of values, then ends the run's records. Parquet counts a page's rows per
     * column writer (a value at repetition level 0 starts a row), and the store's endRecord only counts rows towards
     * its next page-size check, so ending the records after the values splits pages as row by row would, give or
     * take the run. The row-group size is checked once per run, as it was every 1,000 rows.
     */
    private void flushRun() {
        for (int i = 0; i < buffers.length; i++) {
            buffers[i].writeTo(writers[i], buffered);
        }
        for (int r = 0; r < buffered; r++) {
            store.endRecord();
        }
        groupRows += buffered;
        buffered = 0;
        if (store.getBufferedSize() > rowGroupBytes) {
            try {
                flushRowGroup();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            startRowGroup();
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> ColumnBuffer<T>[] buffers(Table<T> table) {
        return table.columns().stream().map(c -> new ColumnBuffer<>(table.name(), c, RUN_ROWS))
                .toArray(ColumnBuffer[]::new);
    }

    /**
     * Array-backed, unlike {@code Binary.fromString}'s buffer-backed form: Parquet hashes and compares every string
     * value (dictionary and page statistics), and through a ByteBuffer that cost about twice as much.
     */
    private Binary utf8(Object v) {
        Binary b = utf8.get(v);
        if (b == null) {
            if (utf8.size() >= 4096) {
                utf8.clear();
            }
            b = Binary.fromConstantByteArray(v.toString().getBytes(StandardCharsets.UTF_8));
            utf8.put(v, b);
        }
        return b;
    }

    private void flushRowGroup() throws IOException {
        if (groupRows > 0) {
            file.startBlock(groupRows);
            store.flush();
            pages.flushToFileWriter(file);
            file.endBlock();
            groupRows = 0;
        }
        store.close();
    }

    public Table<T> table() {
        return table;
    }

    public long rows() {
        return rows;
    }

    @Override
    public void close() throws IOException {
        close(Map.of());
    }

    /** Closes the file with {@code metadata} in its footer's key-value metadata; a second close does nothing. */
    public void close(Map<String, String> metadata) throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            flushRun();
            flushRowGroup();
            file.end(metadata);
        } finally {
            codecs.release();
        }
    }
}
