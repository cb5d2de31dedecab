package io.gradsweep.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gradsweep.testing.Duck;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableWriterTest {
    /** Two tables whose statistics columns have different names, so one's encoding settings cannot cover the other's. */
    private static final Table<double[]> LEFT = new Table<>("left", List.of(
            Column.required("id", Column.Type.STRING, r -> "t"),
            Column.required("left_stat", Column.Type.DOUBLE, r -> r[0])));
    private static final Table<double[]> RIGHT = new Table<>("right", List.of(
            Column.required("id", Column.Type.STRING, r -> "t"),
            Column.required("right_stat", Column.Type.DOUBLE, r -> r[0])));
    /** One column of each kind the writer treats differently: optional string, required double and long. */
    private static final Table<Object[]> MIXED = new Table<>("mixed", List.of(
            Column.optional("note", Column.Type.STRING, r -> r[0]),
            Column.required("x", Column.Type.DOUBLE, r -> r[1]),
            Column.required("n", Column.Type.BIGINT, r -> r[2])));

    /** Statistics columns read unboxed; a reader that fails must still leave no column half a row ahead. */
    private static final Table<double[]> TYPED = new Table<>("typed", List.of(
            Column.requiredInt("i", r -> (int) r[0]),
            Column.requiredDouble("x", r -> r[1]),
            Column.requiredLong("n", r -> {
                if (r[2] < 0) {
                    throw new IllegalStateException("no n for row " + (int) r[0]);
                }
                return (long) r[2];
            })));

    @TempDir
    Path dir;

    /** A refused row must leave no trace: a half-written row would shift every later value of its columns. */
    @Test
    void aNullInARequiredColumnIsRefusedBeforeAnyOfTheRowIsWritten() throws Exception {
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(dir.resolve("mixed.parquet").toUri());
        try (TableWriter<Object[]> w = new TableWriter<>(MIXED, file, new Configuration())) {
            w.write(new Object[] {"a", 1.5, 7L});
            assertThatThrownBy(() -> w.write(new Object[] {"b", 2.5, null}))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("column mixed.n is required");
            w.write(new Object[] {null, 3.5, 9L});
            assertThat(w.rows()).isEqualTo(2);
        }

        assertThat(Duck.rows("SELECT coalesce(note, '-') || ' ' || x || ' ' || n FROM read_parquet('"
                + dir.resolve("mixed.parquet") + "') ORDER BY n"))
                .containsExactly(List.of("a 1.5 7"), List.of("- 3.5 9"));
    }

    @Test
    void unboxedColumnsKeepTheirTypesAndAFailingReaderWritesNothingOfItsRow() throws Exception {
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(dir.resolve("typed.parquet").toUri());
        try (TableWriter<double[]> w = new TableWriter<>(TYPED, file, new Configuration())) {
            w.write(new double[] {1, 0.25, 1L << 40});
            assertThatThrownBy(() -> w.write(new double[] {2, 0.5, -1}))
                    .isInstanceOf(IllegalStateException.class).hasMessage("no n for row 2");
            w.write(new double[] {3, -1e-300, 7});
            assertThat(w.rows()).isEqualTo(2);
        }

        assertThat(Duck.rows("SELECT i, typeof(i), x, typeof(x), n, typeof(n) FROM read_parquet('"
                + dir.resolve("typed.parquet") + "') ORDER BY i")).containsExactly(
                List.of(1, "INTEGER", 0.25, "DOUBLE", 1L << 40, "BIGINT"),
                List.of(3, "INTEGER", -1e-300, "DOUBLE", 7L, "BIGINT"));
    }

    /**
     * Rows go to Parquet in runs; a value of the wrong type, past the first run and after the row's other columns,
     * must still be refused whole: a row half written would shift the later values of its columns.
     */
    @Test
    void aValueOfTheWrongTypeIsRefusedWholeInsideALaterRun() throws Exception {
        java.nio.file.Path local = dir.resolve("runs.parquet");
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(local.toUri());
        int rows = TableWriter.RUN_ROWS * 2 + 100;
        int bad = TableWriter.RUN_ROWS + 7;
        try (TableWriter<Object[]> w = new TableWriter<>(MIXED, file, new Configuration())) {
            for (int i = 0; i < rows; i++) {
                Object[] row = {"r" + i, (double) i, (long) i};
                if (i == bad) {
                    Object[] wrong = {"r" + i, "not a number", (long) i};
                    assertThatThrownBy(() -> w.write(wrong)).isInstanceOf(ClassCastException.class);
                }
                w.write(row);
            }
            assertThat(w.rows()).isEqualTo(rows);
        }

        assertThat(Duck.rows("SELECT count(*), count(*) FILTER (WHERE note = 'r' || n AND x = n) FROM read_parquet('"
                + local + "')")).containsExactly(List.of((long) rows, (long) rows));
    }

    @Test
    void aPrimitiveReaderNeedsARequiredColumnOfItsType() {
        assertThatThrownBy(() -> new Column<double[]>("x", Column.Type.DOUBLE, true, r -> r[0], r -> r[0], null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("column x: a primitive reader needs a required DOUBLE column, not DOUBLE (nullable)");
        assertThatThrownBy(() -> new Column<double[]>("s", Column.Type.STRING, false, r -> "a", null, r -> 1L))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("column s: a primitive reader needs a required INT or BIGINT column, not STRING");
        assertThat(Column.<double[]>requiredInt("i", r -> 3).getter().apply(new double[0])).isEqualTo(3);
    }

    /** Long sweeps pass 128 MiB per file; a small row-group size crosses many row groups with the same code. */
    @Test
    void rowsSpanningManyRowGroupsAllReadBack() throws Exception {
        java.nio.file.Path local = dir.resolve("long.parquet");
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(local.toUri());
        int rows = 50_000;
        try (TableWriter<Object[]> w = new TableWriter<>(MIXED, file, new Configuration(), 16 << 10)) {
            for (int i = 0; i < rows; i++) {
                w.write(new Object[] {i % 3 == 0 ? null : "trial" + (i % 7), (double) i, (long) i * i});
            }
        }

        try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(file, new Configuration()))) {
            assertThat(r.getFooter().getBlocks()).hasSizeGreaterThan(10);
            assertThat(r.getRecordCount()).isEqualTo(rows);
        }
        long nonNull = rows - (rows + 2) / 3;
        long sumX = (long) rows * (rows - 1) / 2;
        long sumN = 0;
        for (long i = 0; i < rows; i++) {
            sumN += i * i;
        }
        assertThat(Duck.rows("SELECT count(*), count(note), sum(x)::BIGINT, sum(n)::BIGINT, "
                + "count(*) FILTER (WHERE note = 'trial' || (x::BIGINT % 7)) FROM read_parquet('" + local + "')"))
                .containsExactly(List.of((long) rows, nonNull, sumX, sumN, nonNull));
    }

    @Test
    void doubleColumnsArePlainAndStringsKeepTheirDictionary() throws Exception {
        org.apache.hadoop.fs.Path file = write(LEFT, "single.parquet");

        assertThat(encodings(file, "left_stat")).doesNotContain(Encoding.PLAIN_DICTIONARY, Encoding.RLE_DICTIONARY);
        assertThat(encodings(file, "id")).contains(Encoding.PLAIN_DICTIONARY);
    }

    /**
     * Parquet 1.13 shares one value-writer factory between all writers of a JVM and re-points it at the newest
     * writer's settings; a writer opened beside another then encoded its columns with the other table's settings,
     * which name none of its columns, so dictionaries came back. Two threads open writers of different tables at
     * the same moment, many times: every file must still carry its own settings.
     */
    @Test
    void writersOpenedAtOnceKeepTheirOwnEncodings() throws Exception {
        CyclicBarrier together = new CyclicBarrier(2);
        List<org.apache.hadoop.fs.Path> files = new ArrayList<>();
        Thread other = new Thread(() -> files.addAll(writeMany(RIGHT, together)));
        other.start();
        List<org.apache.hadoop.fs.Path> mine = writeMany(LEFT, together);
        other.join();
        files.addAll(mine);

        assertThat(files).hasSize(60);
        for (org.apache.hadoop.fs.Path f : files) {
            String column = f.getName().startsWith("left") ? "left_stat" : "right_stat";
            assertThat(encodings(f, column)).as(f.getName())
                    .doesNotContain(Encoding.PLAIN_DICTIONARY, Encoding.RLE_DICTIONARY);
        }
    }

    private List<org.apache.hadoop.fs.Path> writeMany(Table<double[]> table, CyclicBarrier together) {
        List<org.apache.hadoop.fs.Path> out = new ArrayList<>();
        try {
            for (int i = 0; i < 30; i++) {
                together.await();
                out.add(write(table, table.name() + i + ".parquet"));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** Constant values: a dictionary, where allowed, would hold them in one entry and always be used. */
    private org.apache.hadoop.fs.Path write(Table<double[]> table, String name) throws Exception {
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(dir.resolve(name).toUri());
        try (TableWriter<double[]> w = new TableWriter<>(table, file, new Configuration())) {
            for (int i = 0; i < 100; i++) {
                w.write(new double[] {0.5});
            }
        }
        return file;
    }

    private static List<Encoding> encodings(org.apache.hadoop.fs.Path file, String column) throws Exception {
        try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(file, new Configuration()))) {
            for (ColumnChunkMetaData c : r.getFooter().getBlocks().get(0).getColumns()) {
                if (c.getPath().toDotString().equals(column)) {
                    return List.copyOf(c.getEncodings());
                }
            }
        }
        throw new AssertionError("no column " + column + " in " + file);
    }
}
