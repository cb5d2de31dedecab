package io.gradsweep.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gradsweep.spec.DatasetSpec;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.spec.TableSource;
import io.gradsweep.tabular.TableException;
import io.gradsweep.testing.ParquetFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** User tables from CSV and Parquet: exact values, label ids, column order, part directories, identity. */
class TableTest {
    static final String IRISH = """
            x1,x2,species
            1.5,-2,virginica
            0.25,3e2,setosa
            "7", 8 ,versicolor
            1,1,setosa
            """;

    @TempDir
    Path dir;

    static DatasetSpec spec(String dataset) {
        return SpecParser.parse("""
                name: t
                dataset: %s
                train: {epochs: 1, batch_size: 4}
                grid: {activation: [relu], depth: [1], width: [3]}
                """.formatted(dataset)).dataset();
    }

    private Path csv(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, text);
    }

    static Dataset read(DatasetSpec d) {
        return Table.read(d.table(), new Configuration());
    }

    @Test
    void csvGivesExactValuesAndStringLabelsInSortedOrder() throws IOException {
        DatasetSpec d = spec("{name: table, path: '" + csv("t.csv", IRISH) + "', label: species}");
        assertThat(d.samples()).isEqualTo(4);
        assertThat(d.numFeatures()).isEqualTo(2);
        assertThat(d.numClasses()).isEqualTo(3);
        assertThat(d.table().format()).isEqualTo("csv");
        assertThat(d.table().features()).containsExactly("x1", "x2");
        assertThat(d.table().classes()).containsExactly("setosa", "versicolor", "virginica");
        Dataset data = read(d);
        assertThat(data.features()).containsExactly(1.5f, -2f, 0.25f, 300f, 7f, 8f, 1f, 1f);
        assertThat(data.labels()).containsExactly(2, 0, 1, 0);
        assertThat(d.canonical()).matches("table\\(samples=4,file=t\\.csv,label=species,features=all,"
                + "crc=[0-9a-f]{8},seed=0,test_fraction=0,scale=none\\)");
    }

    @Test
    void listedFeaturesKeepTheirOrderAndEnterTheCanonicalText() throws IOException {
        DatasetSpec d = spec("{name: table, path: '" + csv("t.csv", IRISH) + "', label: species, "
                + "features: [x2, x1], limit: 3}");
        assertThat(d.samples()).isEqualTo(3);
        assertThat(read(d).features()).containsExactly(-2f, 1.5f, 300f, 0.25f, 8f, 7f);
        assertThat(d.canonical()).contains(",features=[x2,x1],");
    }

    @Test
    void numericLabelsAreOrderedByValueWhateverTheirSpelling() throws IOException {
        DatasetSpec d = spec("{name: table, path: '" + csv("n.csv", "a,y\n1,10\n2,9\n3,-1\n4,9.0\n5,0\n")
                + "', label: y}");
        assertThat(d.table().classes()).containsExactly("-1", "0", "9", "10");
        assertThat(read(d).labels()).containsExactly(3, 2, 0, 2, 1);
    }

    @Test
    void quotedFieldsMayHoldCommasQuotesAndLineBreaks() throws IOException {
        DatasetSpec d = spec("{name: table, path: '" + csv("q.csv",
                "\"x, first\",label\n1,\"a, \"\"b\"\"\nc\"\n2,plain\n") + "', label: label}");
        assertThat(d.table().features()).containsExactly("x, first");
        assertThat(d.table().classes()).containsExactly("a, \"b\"\nc", "plain");
        assertThat(read(d).labels()).containsExactly(0, 1);
    }

    @Test
    void parquetReadsEveryNumericTypeAndStringLabels() throws IOException {
        Path file = ParquetFiles.write(dir.resolve("t.parquet"), """
                message t { required int32 a; required int64 b; required float c; required double d;
                            required boolean e; required binary kind (STRING); }""",
                new Object[] {3, 1L << 40, 0.1f, 2.5, true, "dog"},
                new Object[] {-7, -2L, -0.5f, 1e-3, false, "cat"},
                new Object[] {0, 5L, 16777217f, -1e30, true, "dog"});
        DatasetSpec d = spec("{name: table, path: '" + file + "', label: kind}");
        assertThat(d.table().format()).isEqualTo("parquet");
        assertThat(d.table().classes()).containsExactly("cat", "dog");
        Dataset data = read(d);
        assertThat(data.features()).containsExactly(3f, (float) (1L << 40), 0.1f, 2.5f, 1f,
                -7f, -2f, -0.5f, 1e-3f, 0f,
                0f, 5f, 16777217f, -1e30f, 1f);
        assertThat(data.labels()).containsExactly(1, 0, 1);
    }

    @Test
    void parquetIntegerLabelsAreClassIds() throws IOException {
        Path file = ParquetFiles.write(dir.resolve("ids.parquet"),
                "message t { required int32 digit; required double x; }",
                new Object[] {2, 0.5}, new Object[] {0, 1.5}, new Object[] {1, 2.5}, new Object[] {2, 3.5});
        DatasetSpec d = spec("{name: table, path: '" + file + "', label: digit, features: [x]}");
        assertThat(d.table().classes()).containsExactly("0", "1", "2");
        assertThat(read(d).labels()).containsExactly(2, 0, 1, 2);
    }

    @Test
    void aDirectoryIsItsPartFilesInNameOrder() throws IOException {
        csv("parts/part-00001.csv", "x,y\n3,b\n4,a\n");
        csv("parts/part-00000.csv", "x,y\n1,a\n2,b\n");
        csv("parts/part-00002.csv", "");
        csv("parts/_SUCCESS", "");
        csv("parts/.part-00000.csv.crc", "junk");
        DatasetSpec d = spec("{name: table, path: '" + dir.resolve("parts") + "', label: y}");
        assertThat(d.samples()).isEqualTo(4);
        assertThat(read(d).features()).containsExactly(1f, 2f, 3f, 4f);
        assertThat(d.canonical()).contains("file=parts,");
        assertThat(spec("{name: table, path: '" + dir.resolve("parts") + "/', label: y, limit: 3}").samples())
                .isEqualTo(3);

        ParquetFiles.write(dir.resolve("pq/part-1.parquet"), "message t { required double x; required int32 y; }",
                new Object[] {3.0, 1});
        ParquetFiles.write(dir.resolve("pq/part-0.parquet"), "message t { required double x; required int32 y; }",
                new Object[] {1.0, 0}, new Object[] {2.0, 1});
        assertThat(read(spec("{name: table, path: '" + dir.resolve("pq") + "', label: y}")).features())
                .containsExactly(1f, 2f, 3f);
    }

    @Test
    void idsFollowTheDataNotItsLocation() throws IOException {
        DatasetSpec a = spec("{name: table, path: '" + csv("a/t.csv", IRISH) + "', label: species}");
        DatasetSpec moved = spec("{name: table, path: 'file://" + csv("b/t.csv", IRISH) + "', label: species}");
        DatasetSpec edited = spec("{name: table, path: '" + csv("c/t.csv", IRISH.replace("0.25", "0.5"))
                + "', label: species}");
        assertThat(moved.canonical()).isEqualTo(a.canonical());
        assertThat(edited.canonical()).isNotEqualTo(a.canonical());

        Path parquet = ParquetFiles.write(dir.resolve("t.parquet"),
                "message t { required double x1; required double x2; required binary species (STRING); }",
                new Object[] {1.5, -2.0, "virginica"}, new Object[] {0.25, 300.0, "setosa"},
                new Object[] {7.0, 8.0, "versicolor"}, new Object[] {1.0, 1.0, "setosa"});
        TableSource p = spec("{name: table, path: '" + parquet + "', label: species}").table();
        assertThat(p.fingerprint()).as("the same values in another format").isEqualTo(a.table().fingerprint());
    }

    @Test
    void dataChangedAfterParsingIsRefusedWhereItIsRead() throws IOException {
        Path file = csv("t.csv", IRISH);
        DatasetSpec d = spec("{name: table, path: '" + file + "', label: species}");
        String crc = String.format("%08x", d.table().fingerprint());
        Files.writeString(file, IRISH.replace("1,1,setosa", "1,2,setosa"));
        assertThatThrownBy(() -> read(d)).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Cannot read dataset: 'dataset.path' is '" + file + "'; expected the 4 rows "
                        + "with fingerprint " + crc + " read when the spec was parsed, but found 4 rows with "
                        + "fingerprint ")
                .hasMessageEndingWith(" (the data changed; run the spec again to get trial ids for the new data)");
        Files.writeString(file, IRISH.replace("0.25", "n/a"));
        assertThatThrownBy(() -> read(d)).isInstanceOf(TableException.class)
                .hasMessage("Cannot read dataset: 'x1' at line 3 of " + file + " is 'n/a'; expected a number");
    }

    @Test
    void splitAndScalingWorkOnTables() throws IOException {
        StringBuilder sb = new StringBuilder("x,y\n");
        for (int i = 0; i < 10; i++) {
            sb.append(i).append(',').append(i % 2).append('\n');
        }
        DatasetSpec d = spec("{name: table, path: '" + csv("s.csv", sb.toString()) + "', label: y, "
                + "test_fraction: 0.3, scale: 'minmax(0,1)'}");
        Split split = Split.of(d);
        assertThat(split.train().size()).isEqualTo(7);
        assertThat(split.test().size()).isEqualTo(3);
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : split.train().features()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertThat(min).isEqualTo(0f);
        assertThat(max).isEqualTo(1f);
    }
}
