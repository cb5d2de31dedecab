package io.gradsweep.io;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.values.ValuesWriter;
import org.apache.parquet.column.values.factory.DefaultV1ValuesWriterFactory;
import org.apache.parquet.column.values.factory.ValuesWriterFactory;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * PLAIN encoding of a double column, the same bytes as Parquet's own {@code PlainValuesWriter} (each value's
 * {@link Double#doubleToLongBits}, little-endian), written into one growing array. Parquet's writer sends every
 * value through a little-endian stream that copies its eight bytes into a slab buffer one {@code put} at a time:
 * that chain was a seventh of a sweep's writer samples, and a gradient row has eleven doubles.
 */
final class PlainDoubles extends ValuesWriter {
    private static final VarHandle LITTLE_ENDIAN_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] bytes;
    private int size;

    PlainDoubles(int initialBytes) {
        this.bytes = new byte[Math.max(64, initialBytes)];
    }

    @Override
    public void writeDouble(double v) {
        if (size + Double.BYTES > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + Double.BYTES));
        }
        LITTLE_ENDIAN_LONG.set(bytes, size, Double.doubleToLongBits(v));
        size += Double.BYTES;
    }

    /** The page's values; valid until {@link #reset}, which Parquet calls only after it has compressed them. */
    @Override
    public BytesInput getBytes() {
        return BytesInput.from(bytes, 0, size);
    }

    @Override
    public long getBufferedSize() {
        return size;
    }

    @Override
    public Encoding getEncoding() {
        return Encoding.PLAIN;
    }

    @Override
    public void reset() {
        size = 0;
    }

    @Override
    public long getAllocatedSize() {
        return bytes.length;
    }

    @Override
    public String memUsageString(String prefix) {
        return prefix + " PlainDoubles " + size + " bytes of " + bytes.length;
    }

    /**
     * Parquet's V1 writers for every column but the plain (dictionary-free) doubles, which get a {@link PlainDoubles}.
     * One factory per file: Parquet 1.13's default is one instance per JVM, re-pointed at the newest writer's
     * settings (apache/parquet-java#2174), so two tasks opening files at once encoded with each other's settings.
     */
    static final class Factory implements ValuesWriterFactory {
        private final DefaultV1ValuesWriterFactory parquets = new DefaultV1ValuesWriterFactory();
        private ParquetProperties props;

        @Override
        public void initialize(ParquetProperties properties) {
            this.props = properties;
            parquets.initialize(properties);
        }

        @Override
        public ValuesWriter newValuesWriter(ColumnDescriptor column) {
            if (column.getPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.DOUBLE
                    && !props.isDictionaryEnabled(column)) {
                return new PlainDoubles(props.getInitialSlabSize());
            }
            return parquets.newValuesWriter(column);
        }
    }
}
