package io.gradsweep.spark;

import static io.gradsweep.testing.Duck.scalar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gradsweep.SweepFailedException;
import io.gradsweep.spec.Grid;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.spec.SweepSpec;
import io.gradsweep.train.TrialOutcome;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sweep on a user's CSV table, end to end on a local[2] SparkSession: tasks read the file themselves. */
class TableSweepTest {
    static SparkSession spark;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("gradsweep-table-test")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** Two Gaussian clusters, std 0.6, around (-2, -1) and (2, 1): separable, so a small net must learn them. */
    static Path clusters(Path file, int n) throws IOException {
        Random rng = new Random(42);
        StringBuilder sb = new StringBuilder("x,y,cluster\n");
        for (int i = 0; i < n; i++) {
            int side = i % 2 == 0 ? -1 : 1;
            sb.append(String.format(Locale.ROOT, "%.5f,%.5f,%s%n", 2 * side + 0.6 * rng.nextGaussian(),
                    side + 0.6 * rng.nextGaussian(), side < 0 ? "west" : "east"));
        }
        return Files.writeString(file, sb.toString());
    }

    static SweepSpec spec(String name, Path csv) {
        return SpecParser.parse("""
                name: %s
                dataset: {name: table, path: '%s', label: cluster, test_fraction: 0.25, seed: 3, scale: standard}
                train: {epochs: 4, batch_size: 16}
                grid: {activation: [tanh, relu], depth: [2], width: [4], learning_rate: [0.05], seed: [1]}
                """.formatted(name, csv));
    }

    static List<TrialOutcome> run(SweepSpec spec, Path out) throws IOException {
        return new SweepJob(spark, new PrintWriter(new StringWriter(), true))
                .run(spec, new SweepJob.Options(out.toString(), 2, Grid.DEFAULT_MAX_TRIALS, false));
    }

    @Test
    void trainsOnACsvTableAndRecordsIt() throws Exception {
        SweepSpec spec = spec("table-e2e", clusters(dir.resolve("clusters.csv"), 160));
        assertThat(spec.dataset().numClasses()).isEqualTo(2);
        Path out = dir.resolve("out");
        List<TrialOutcome> outcomes = run(spec, out);
        assertThat(outcomes).hasSize(2).allMatch(o -> o.status().equals(TrialOutcome.OK));

        String trials = "read_parquet('" + out + "/trials/*/*.parquet')";
        assertThat(scalar("SELECT count(*) FROM " + trials)).isEqualTo(2);
        assertThat(scalar("SELECT count(*) FROM " + trials + " WHERE dataset = '" + spec.dataset().canonical() + "'"))
                .isEqualTo(2);
        assertThat(scalar("SELECT min(train_accuracy) FROM " + trials)).isGreaterThanOrEqualTo(0.95);
        assertThat(scalar("SELECT min(test_accuracy) FROM " + trials)).isGreaterThanOrEqualTo(0.95);
        // 120 training rows / batch 16 = 8 iterations per epoch, x 4 epochs, x 3 layers x (W, b)
        assertThat(scalar("SELECT count(*) FROM read_parquet('" + out + "/gradients/*/*.parquet')"))
                .isEqualTo(2L * 32 * 6);
    }

    @Test
    void aTableBrokenAfterParsingFailsTheSweepNamingFileColumnAndLine() throws IOException {
        Path csv = clusters(dir.resolve("broken.csv"), 40);
        SweepSpec spec = spec("table-broken", csv);
        List<String> lines = Files.readAllLines(csv);
        lines.set(4, "oops," + lines.get(4).substring(lines.get(4).indexOf(',') + 1));
        Files.write(csv, lines);
        assertThatThrownBy(() -> run(spec, dir.resolve("broken"))).isInstanceOf(SweepFailedException.class)
                .hasMessageStartingWith("Sweep 'table-broken' failed: ")
                .hasMessageContaining("Cannot read dataset: 'x' at line 5 of " + csv + " is 'oops'; expected a number")
                .hasMessageEndingWith("Committed batches are kept; finish the sweep with --resume.");
    }
}
