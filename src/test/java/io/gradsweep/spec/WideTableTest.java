package io.gradsweep.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradsweep.tabular.TableFiles;
import io.gradsweep.tabular.TableScan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table of 10^5 feature columns is planned and scanned in time linear in its columns: looking each feature up
 * in the column list took 141 s for this table in plan. The timeouts are several times what the linear code needs
 * on a loaded 2-core machine and a fraction of what the quadratic code took; the assertions check the result.
 */
class WideTableTest {
    static final int FEATURES = 100_000;
    /** The label sits in the middle, so that every feature after it is one column further on than its index. */
    static final int LABEL_AT = FEATURES / 2;
    static final int ROWS = 3;

    @TempDir
    static Path dir;
    static Path csv;

    @BeforeAll
    static void writeTable() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int r = -1; r < ROWS; r++) {
            for (int c = 0; c <= FEATURES; c++) {
                text.append(c == 0 ? "" : ",").append(c == LABEL_AT ? (r < 0 ? "y" : "class" + r % 2)
                        : r < 0 ? "f" + feature(c) : String.valueOf(value(r, feature(c))));
            }
            text.append('\n');
        }
        csv = Files.writeString(dir.resolve("wide.csv"), text);
    }

    /** The feature index of column {@code c}. */
    static int feature(int c) {
        return c < LABEL_AT ? c : c - 1;
    }

    static int value(int row, int feature) {
        return (feature * 7 + row * 3) % 1000;
    }

    static SweepSpec parse(String features) {
        return SpecParser.parse("""
                name: wide
                dataset: {name: table, path: '%s', label: y, features: %s}
                train: {epochs: 1, batch_size: 2}
                grid: {activation: [relu], depth: [1], width: [2]}
                """.formatted(csv, features));
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void allColumnsButTheLabelAreTheFeaturesInFileOrder() {
        TableSource table = parse("all").dataset().table();
        assertThat(table.features()).hasSize(FEATURES).startsWith("f0", "f1").endsWith("f" + (FEATURES - 1))
                .containsExactlyElementsOf(IntStream.range(0, FEATURES).mapToObj(i -> "f" + i).toList());
        assertThat(table.rows()).isEqualTo(ROWS);
        assertThat(table.classes()).containsExactly("class0", "class1");
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void listedFeaturesAreReadInTheirListedOrder() {
        List<String> reversed = new ArrayList<>(IntStream.range(0, FEATURES).mapToObj(i -> "f" + i).toList());
        Collections.reverse(reversed);
        TableSource table = parse("[" + String.join(", ", reversed) + "]").dataset().table();
        assertThat(table.features()).containsExactlyElementsOf(reversed);

        Configuration conf = TableFiles.defaultConf();
        TableScan scan = TableScan.read(TableFiles.resolve(csv.toString(), "csv", conf), "y", reversed, ROWS, conf);
        assertThat(scan.rows()).isEqualTo(ROWS);
        assertThat(scan.labels()).containsExactly("class0", "class1", "class0");
        assertThat(scan.crc()).isEqualTo(table.fingerprint());
        for (int r = 0; r < ROWS; r++) {
            for (int j = 0; j < FEATURES; j++) {
                int f = FEATURES - 1 - j;
                if (scan.features()[r * FEATURES + j] != value(r, f)) {
                    assertThat(scan.features()[r * FEATURES + j]).as("row %d, f%d", r, f).isEqualTo(value(r, f));
                }
            }
        }
    }
}
