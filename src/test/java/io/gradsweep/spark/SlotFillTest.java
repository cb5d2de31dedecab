package io.gradsweep.spark;

import static io.gradsweep.testing.Duck.scalar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gradsweep.SweepFailedException;
import io.gradsweep.exec.BatchPlanner;
import io.gradsweep.exec.TrialBatch;
import io.gradsweep.io.OutputLayout;
import io.gradsweep.io.Table;
import io.gradsweep.io.Tables;
import io.gradsweep.spec.Grid;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.spec.SweepSpec;
import io.gradsweep.testing.Duck;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A one-shape grid is one vector group; on two slots the planner cuts it in two. The cut changes the file layout
 * and nothing else: every row of every table equals the one-task run's, also when --resume plans the rest anew.
 */
class SlotFillTest {
    static SparkSession spark;

    @TempDir
    static Path dir;

    static final SweepSpec SPEC = SpecParser.parse("""
            name: fill
            dataset: {name: circles, samples: 200, noise: 0.1, factor: 0.5, seed: 1}
            train: {epochs: 2, batch_size: 32}
            grid: {activation: [tanh], depth: [3], width: [4], initializer: ["normal(0,1)"], optimizer: [rmsprop],
                   learning_rate: [0.01, 0.03], seed: [1, 2, 3, 4]}
            """);

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("gradsweep-slots")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static String run(Path out, int tasks, boolean resume) throws IOException {
        StringWriter log = new StringWriter();
        new SweepJob(spark, new PrintWriter(log, true))
                .run(SPEC, new SweepJob.Options(out.toString(), tasks, Grid.DEFAULT_MAX_TRIALS, false, resume));
        return log.toString();
    }

    @Test
    void twoTasksCutTheGroupInHalvesAndWriteTheRowsOfOneTask() throws Exception {
        Path one = dir.resolve("one");
        Path two = dir.resolve("two");
        assertThat(run(one, 1, false)).contains("8 trials in 1 tasks");
        assertThat(run(two, 2, false)).contains("8 trials in 2 tasks");
        for (Table<?> table : Tables.ALL) {
            assertThat(parts(one, table)).as(table.name()).hasSize(1);
            assertThat(parts(two, table)).as(table.name()).hasSize(2);
        }
        for (Path part : parts(two, Tables.TRIALS)) {
            assertThat(scalar("SELECT count(*) FROM read_parquet('" + part + "')")).isEqualTo(4);
        }
        assertSameRows(one, two);
    }

    /** The resumed run plans only the lost half, cut again across both slots, under names no committed part has. */
    @Test
    void resumeAfterALostBatchCutsTheRestAndWritesTheSameRows() throws Exception {
        Path one = dir.resolve("resume-one");
        Path two = dir.resolve("resume-two");
        run(one, 1, false);
        run(two, 2, false);
        Path lost = parts(two, Tables.TRIALS).get(1);
        Files.delete(lost);
        assertThat(run(two, 2, true)).contains("4 of 8 trials already committed and skipped; 4 to run")
                .contains("4 trials in 2 tasks");
        List<Path> trials = parts(two, Tables.TRIALS);
        assertThat(trials).hasSize(3).doesNotContain(lost);
        for (Table<?> table : Tables.ALL) {
            assertThat(parts(two, table)).as(table.name()).hasSize(3);
        }
        assertSameRows(one, two);
    }

    /** Commit skips an existing name, so a plan that reuses a committed part's name must stop before training. */
    @Test
    void aPlannedNameThatACommittedPartHoldsStopsTheSweep() throws Exception {
        List<TrialBatch> batches = BatchPlanner.plan(Grid.expand(SPEC, 100), 2, 2);
        OutputLayout layout = OutputLayout.of(dir.resolve("clash").toString());
        Configuration conf = new Configuration();
        SweepJob.requireUnusedNames(batches, layout, "fill", conf);
        Path epochs = Path.of(layout.committedFile(Tables.EPOCHS, "fill", batches.get(1).key()).toUri().getPath());
        Files.createDirectories(epochs.getParent());
        Files.writeString(epochs, "x");
        assertThatThrownBy(() -> SweepJob.requireUnusedNames(batches, layout, "fill", conf))
                .isInstanceOf(SweepFailedException.class)
                .hasMessage("Sweep 'fill' cannot start: planned batch " + batches.get(1).key() + " has the name of a "
                        + "committed part (part-" + batches.get(1).key() + ".parquet), and committing it would drop "
                        + "its 4 trials; rerun with another --tasks, which plans other batches");
    }

    private static List<Path> parts(Path out, Table<?> table) throws IOException {
        try (Stream<Path> files = Files.list(out.resolve(table.name()).resolve("sweep=fill"))) {
            return files.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
        }
    }

    /** Row multisets equal in both directions, for every table; wall_ms is a time, not a result. */
    private static void assertSameRows(Path a, Path b) throws Exception {
        for (Table<?> table : Tables.ALL) {
            String select = "SELECT * EXCLUDE (sweep" + (table == Tables.TRIALS ? ", wall_ms" : "") + ") FROM ";
            String x = select + Duck.table(a, table.name());
            String y = select + Duck.table(b, table.name());
            assertThat(scalar("SELECT count(*) FROM ((" + x + " EXCEPT ALL " + y + ") UNION ALL (" + y
                    + " EXCEPT ALL " + x + "))")).as(table.name()).isZero();
            double rows = scalar("SELECT count(*) FROM " + Duck.table(a, table.name()));
            if (table == Tables.TIMESTEP_GRADIENTS) {
                assertThat(rows).as("an MLP records no time steps").isZero();
            } else {
                assertThat(rows).as(table.name()).isPositive();
            }
        }
        // 200 samples / batch 32 = 7 iterations per epoch, 2 epochs, 8 trials, 4 layers x (W, b)
        assertThat(scalar("SELECT count(*) FROM " + Duck.table(b, "gradients"))).isEqualTo(8 * 14 * 8);
    }
}
