package io.gradsweep.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gradsweep.testing.ParquetFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bad table spec or table fails at parse time, before anything runs, with a message that says what to fix. */
class TableSpecTest {
    static final String CSV = "x1,x2,species\n1,2,setosa\n3,4,virginica\n5,6,setosa\n7,8,virginica\n";
    static final String NUMERIC = "INT32, INT64, FLOAT, DOUBLE or BOOLEAN";

    @TempDir
    Path dir;

    private String csv(String text) throws IOException {
        return Files.writeString(dir.resolve("t.csv"), text).toString();
    }

    static SweepSpec parse(String dataset) {
        return SpecParser.parse("""
                name: t
                dataset: %s
                train: {epochs: 1, batch_size: 4}
                grid: {activation: [relu], depth: [1], width: [3]}
                """.formatted(dataset));
    }

    static void fails(String dataset, String keyPath, String message) {
        assertThatThrownBy(() -> parse(dataset)).isInstanceOf(SpecException.class).hasMessage(message)
                .extracting(e -> ((SpecException) e).keyPath()).isEqualTo(keyPath);
    }

    @Test
    void aValidTableParses() throws IOException {
        assertThat(parse("{name: table, path: '" + csv(CSV) + "', label: species}").dataset().numClasses())
                .isEqualTo(2);
    }

    @Test
    void namesAMissingFileOrAnUnknownFormat() throws IOException {
        fails("{name: table, path: '" + dir + "/nope.csv', label: y}", "dataset.path",
                "Cannot parse spec: 'dataset.path' is '" + dir + "/nope.csv'; expected an existing CSV or Parquet "
                        + "file, or a directory of part files");
        fails("{name: table, path: '" + csv(CSV) + "', format: xlsx, label: y}", "dataset.format",
                "Cannot parse spec: 'dataset.format' is 'xlsx'; expected one of csv, parquet");
        Path txt = Files.writeString(dir.resolve("t.txt"), CSV);
        fails("{name: table, path: '" + txt + "', label: species}", "dataset.format",
                "Cannot parse spec: 'dataset.format' is missing; expected csv or parquet, since 't.txt' ends in "
                        + "neither .csv nor .parquet");
        assertThat(parse("{name: table, path: '" + txt + "', format: csv, label: species}").dataset().samples())
                .isEqualTo(4);
        Files.createDirectories(dir.resolve("empty"));
        fails("{name: table, path: '" + dir.resolve("empty") + "', label: y}", "dataset.path",
                "Cannot parse spec: 'dataset.path' is '" + dir.resolve("empty") + "'; expected a directory of .csv "
                        + "or .parquet part files; it has none");
        Path notParquet = Files.writeString(dir.resolve("csv.parquet"), "not parquet");
        assertThatThrownBy(() -> parse("{name: table, path: '" + notParquet + "', label: y}"))
                .isInstanceOf(SpecException.class)
                .hasMessage("Cannot read dataset: " + notParquet + " is not a Parquet file (length is too low: 11)");
        fails("{name: table, path: '" + csv("") + "', label: y}", "dataset.path",
                "Cannot parse spec: 'dataset.path' is '" + dir + "/t.csv'; expected a CSV file with a header line; "
                        + "it is empty");
    }

    @Test
    void namesAMissingLabelOrFeatureColumnAndListsTheColumns() throws IOException {
        String path = csv(CSV);
        fails("{name: table, path: '" + path + "'}", "dataset.label",
                "Cannot parse spec: 'dataset.label' is missing; expected one of x1, x2, species");
        fails("{name: table, path: '" + path + "', label: specis}", "dataset.label",
                "Cannot parse spec: 'dataset.label' is 'specis'; expected one of x1, x2, species");
        fails("{name: table, path: '" + path + "', label: species, features: [x2, x3]}", "dataset.features[1]",
                "Cannot parse spec: 'dataset.features[1]' is 'x3'; expected one of x1, x2");
        fails("{name: table, path: '" + path + "', label: species, features: [species]}", "dataset.features[0]",
                "Cannot parse spec: 'dataset.features[0]' is 'species'; expected one of x1, x2");
        fails("{name: table, path: '" + path + "', label: species, features: [x1, x1]}", "dataset.features[1]",
                "Cannot parse spec: 'dataset.features[1]' is 'x1'; expected a value distinct from dataset.features[0]");
        fails("{name: table, path: '" + csv("y\n1\n2\n") + "', label: y}", "dataset.features",
                "Cannot parse spec: 'dataset.features' is 'all'; expected at least one column besides the label 'y'");
    }

    @Test
    void namesTheColumnLineAndValueOfABadCell() throws IOException {
        String bad = csv(CSV.replace("3,4,", "3,four,"));
        fails("{name: table, path: '" + bad + "', label: species}", "dataset.path",
                "Cannot read dataset: 'x2' at line 3 of " + bad + " is 'four'; expected a number");
        String empty = csv(CSV.replace("5,6,", ",6,"));
        fails("{name: table, path: '" + empty + "', label: species}", "dataset.path",
                "Cannot read dataset: 'x1' at line 4 of " + empty + " is empty; expected a number");
        String huge = csv(CSV.replace("5,6,", "5,1e39,"));
        fails("{name: table, path: '" + huge + "', label: species}", "dataset.path",
                "Cannot read dataset: 'x2' at line 4 of " + huge + " is '1e39'; expected a finite number in float32 "
                        + "range");
        String noLabel = csv(CSV.replace("7,8,virginica", "7,8,"));
        fails("{name: table, path: '" + noLabel + "', label: species}", "dataset.path",
                "Cannot read dataset: 'species' at line 5 of " + noLabel + " is empty; expected a class label");
        String ragged = csv(CSV.replace("3,4,virginica", "3,virginica"));
        fails("{name: table, path: '" + ragged + "', label: species}", "dataset.path",
                "Cannot read dataset: line 3 of " + ragged + " has 2 fields; expected 3, as in the header line");
        String multiLine = csv("x,y\n1,\"two\nlines\"\n\n2,b\nzz,b\n");
        fails("{name: table, path: '" + multiLine + "', label: y}", "dataset.path",
                "Cannot read dataset: 'x' at line 6 of " + multiLine + " is 'zz'; expected a number");
        String beyondLimit = csv(CSV + "9,oops,setosa\n");
        assertThat(parse("{name: table, path: '" + beyondLimit + "', label: species, limit: 4}").dataset().samples())
                .as("rows past the limit are never read").isEqualTo(4);
    }

    @Test
    void refusesFewerThanTwoClassesTooFewRowsAndALimitPastTheEnd() throws IOException {
        String one = csv("x,y\n1,a\n2,a\n3,a\n");
        fails("{name: table, path: '" + one + "', label: y}", "dataset.label",
                "Cannot parse spec: 'dataset.label' is 'y'; expected a column with at least 2 distinct values; all 3 "
                        + "rows are 'a'");
        String single = csv("x,y\n1,a\n");
        fails("{name: table, path: '" + single + "', label: y}", "dataset.path",
                "Cannot parse spec: 'dataset.path' is '" + single + "'; expected a table with at least 2 data rows; "
                        + "it has 1");
        fails("{name: table, path: '" + csv(CSV) + "', label: species, limit: 10}", "dataset.limit",
                "Cannot parse spec: 'dataset.limit' is 10; expected an integer in [2, 4]");
    }

    @Test
    void refusesBadHeaders() throws IOException {
        String dup = csv("a,b,a\n1,2,3\n");
        fails("{name: table, path: '" + dup + "', label: b}", "dataset.path",
                "Cannot parse spec: 'dataset.path' is '" + dup + "'; expected a header line with distinct column "
                        + "names; 'a' appears twice");
        String unnamed = csv(",a,y\n0,1,2\n");
        fails("{name: table, path: '" + unnamed + "', label: y}", "dataset.path",
                "Cannot parse spec: 'dataset.path' is '" + unnamed + "'; expected a header line with a name for every "
                        + "column; column 1 has none");
        Path parts = Files.createDirectories(dir.resolve("parts"));
        Files.writeString(parts.resolve("part-0.csv"), "x,y\n1,a\n");
        Files.writeString(parts.resolve("part-1.csv"), "x,z\n2,b\n");
        fails("{name: table, path: '" + parts + "', label: y}", "dataset.path",
                "Cannot parse spec: 'dataset.path' is '" + parts + "'; expected the same columns in every part file; "
                        + "part-1.csv has x, z");
        Files.writeString(parts.resolve("part-2.parquet"), "");
        fails("{name: table, path: '" + parts + "', label: y}", "dataset.format",
                "Cannot parse spec: 'dataset.format' is missing; expected csv or parquet, since '" + parts
                        + "' holds both .csv and .parquet files");
    }

    @Test
    void checksParquetColumnTypesBeforeReadingRows() throws IOException {
        Path file = ParquetFiles.write(dir.resolve("t.parquet"), """
                message t { required double x; optional float w; required binary name (STRING);
                            required int96 stamp; required int32 y; }""");
        String path = file.toString();
        fails("{name: table, path: '" + path + "', label: y, features: [name]}", "dataset.features[0]",
                "Cannot parse spec: 'dataset.features[0]' is 'name'; expected a numeric column (" + NUMERIC
                        + "); it is BINARY (STRING)");
        fails("{name: table, path: '" + path + "', label: y}", "dataset.features",
                "Cannot parse spec: 'dataset.features' is 'all'; expected only numeric columns (" + NUMERIC
                        + ") besides the label, but 'name' is BINARY (STRING); list the feature columns");
        fails("{name: table, path: '" + path + "', label: stamp, features: [x]}", "dataset.label",
                "Cannot parse spec: 'dataset.label' is 'stamp'; expected a column of INT32, INT64, FLOAT, DOUBLE, "
                        + "BOOLEAN or BINARY (string); it is INT96");
    }

    @Test
    void namesTheRowOfANullOrNonFiniteParquetCell() throws IOException {
        Path file = ParquetFiles.write(dir.resolve("n.parquet"),
                "message t { required double x; optional float w; required binary y (STRING); }",
                new Object[] {1.0, 1f, "a"}, new Object[] {2.0, null, "b"});
        fails("{name: table, path: '" + file + "', label: y}", "dataset.path",
                "Cannot read dataset: 'w' at row 2 of " + file + " is null; expected a number");
        Path nan = ParquetFiles.write(dir.resolve("nan.parquet"), "message t { required double x; required int32 y; }",
                new Object[] {1.0, 0}, new Object[] {Double.NaN, 1});
        fails("{name: table, path: '" + nan + "', label: y}", "dataset.path",
                "Cannot read dataset: 'x' at row 2 of " + nan + " is NaN; expected a finite number in float32 range");
    }

    @Test
    void keysOfOtherDatasetsAreRefused() throws IOException {
        String path = csv(CSV);
        fails("{name: table, path: '" + path + "', label: species, samples: 100}", "dataset.samples",
                "Cannot parse spec: 'dataset.samples' is '100'; expected no 'samples' for table; use 'limit'");
        fails("{name: table, path: '" + path + "', label: species, noise: 0.1}", "dataset.noise",
                "Cannot parse spec: 'dataset.noise' is '0.1'; expected no 'noise' for table; it applies to the "
                        + "synthetic datasets only");
        fails("{name: table, path: '" + path + "', label: species, split: train}", "dataset.split",
                "Cannot parse spec: 'dataset.split' is 'train'; expected no 'split' for table; it applies to mnist "
                        + "only");
        fails("{name: circles, label: species}", "dataset.label",
                "Cannot parse spec: 'dataset.label' is 'species'; expected no 'label' for circles; it applies to "
                        + "table only");
        fails("{name: moons, features: [a, b]}", "dataset.features",
                "Cannot parse spec: 'dataset.features' is 'a list'; expected no 'features' for moons; it applies to "
                        + "table only");
    }
}
