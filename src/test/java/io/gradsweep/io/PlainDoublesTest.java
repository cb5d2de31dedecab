package io.gradsweep.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.values.ValuesWriter;
import org.apache.parquet.column.values.factory.DefaultV1ValuesWriterFactory;
import org.apache.parquet.column.values.plain.PlainValuesWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type.Repetition;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.Test;

class PlainDoublesTest {
    /** Values whose bits a sloppy encoder could change: NaNs with payloads, -0.0, infinities, subnormals. */
    private static double[] values(int n) {
        Random rnd = new Random(5);
        double[] v = new double[n];
        double[] special = {Double.NaN, Double.longBitsToDouble(0x7ff8_0000_dead_beefL),
            Double.longBitsToDouble(0xfff0_0000_0000_0001L), -0.0, 0.0, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, Double.MIN_VALUE, -Double.MAX_VALUE};
        for (int i = 0; i < n; i++) {
            v[i] = i < special.length ? special[i] : rnd.nextGaussian() * Math.pow(10, rnd.nextInt(40) - 20);
        }
        return v;
    }

    /** The same page bytes as Parquet's own PLAIN writer, across the array's growth and after a reset. */
    @Test
    void pagesAreParquetsPlainEncodingByteForByte() throws Exception {
        PlainDoubles mine = new PlainDoubles(16);
        PlainValuesWriter parquets = new PlainValuesWriter(16, 1 << 20, new HeapByteBufferAllocator());
        for (int page : new int[] {3, 5_000, 1}) {
            for (double x : values(page)) {
                mine.writeDouble(x);
                parquets.writeDouble(x);
            }
            assertThat(mine.getBufferedSize()).isEqualTo(8L * page).isEqualTo(parquets.getBufferedSize());
            assertThat(mine.getBytes().toByteArray()).isEqualTo(parquets.getBytes().toByteArray());
            assertThat(mine.getEncoding()).isEqualTo(parquets.getEncoding()).isEqualTo(Encoding.PLAIN);
            mine.reset();
            parquets.reset();
        }
    }

    /** Only dictionary-free doubles get the array writer; the other columns keep Parquet's writers. */
    @Test
    void theFactoryTakesOverPlainDoublesOnly() {
        MessageType schema = Types.buildMessage()
                .primitive(PrimitiveTypeName.DOUBLE, Repetition.REQUIRED).named("stat")
                .primitive(PrimitiveTypeName.DOUBLE, Repetition.OPTIONAL).named("dict_stat")
                .primitive(PrimitiveTypeName.INT64, Repetition.REQUIRED).named("n").named("t");
        ParquetProperties props = ParquetProperties.builder().withDictionaryEncoding("stat", false).build();
        PlainDoubles.Factory factory = new PlainDoubles.Factory();
        factory.initialize(props);
        DefaultV1ValuesWriterFactory reference = new DefaultV1ValuesWriterFactory();
        reference.initialize(props);
        for (ColumnDescriptor c : schema.getColumns()) {
            ValuesWriter w = factory.newValuesWriter(c);
            if (c.getPath()[0].equals("stat")) {
                assertThat(w).isInstanceOf(PlainDoubles.class);
            } else {
                assertThat(w).isNotInstanceOf(PlainDoubles.class)
                        .hasSameClassAs(reference.newValuesWriter(c));
            }
        }
    }
}
