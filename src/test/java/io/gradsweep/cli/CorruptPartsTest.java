package io.gradsweep.cli;

import static io.gradsweep.testing.Duck.scalar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gradsweep.InvalidInputException;
import io.gradsweep.io.Table;
import io.gradsweep.io.Tables;
import io.gradsweep.spark.SweepJob;
import io.gradsweep.spec.Grid;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.spec.SweepSpec;
import io.gradsweep.testing.Duck;
import io.gradsweep.train.TrialOutcome;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Committed parts damaged after commit: {@code --resume}, {@code query} and {@code report} name the file and exit 2,
 * and {@code --resume --repair} retrains exactly the damaged batch, after which the output equals a clean run's.
 * One clean sweep is run once and copied for each kind of damage.
 */
class CorruptPartsTest {
    static SparkSession spark;

    @TempDir
    static Path dir;

    static Path clean;

    static final SweepSpec SPEC = SpecParser.parse("""
            name: corrupt
            dataset: {name: circles, samples: 96, noise: 0.1, factor: 0.5, seed: 1}
            train: {epochs: 1, batch_size: 24, engine: dl4j}
            grid: {activation: [sigmoid, relu], depth: [3], width: [4], initializer: ["normal(0,1)"],
                   seed: [1, 2]}
            """);

    @BeforeAll
    static void start() throws Exception {
        spark = SparkSession.builder().master("local[2]").appName("gradsweep-corrupt-test")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
        clean = dir.resolve("clean");
        new SweepJob(spark, new PrintWriter(new StringWriter()))
                .run(SPEC, new SweepJob.Options(clean.toString(), 4, Grid.DEFAULT_MAX_TRIALS, false));
        assertThat(parts(clean, "trials")).hasSize(4);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void aTruncatedGradientsPartIsNamedByResumeQueryAndReportAndRepairRetrainsItsBatch() throws Exception {
        Path out = copyOfClean("gradients-cut");
        Path part = parts(out, "gradients").get(0);
        truncate(part);
        String damage = "'" + part + "' is damaged: its bytes do not match its checksum file ." + part.getFileName()
                + ".crc (truncated or overwritten after commit); expected the complete Parquet file that batch "
                + batch(part) + " committed — run sweep 'corrupt' again with --resume --repair to delete the 1 batch "
                + "that does not verify and retrain its trials";
        assertRefusedEverywhere(out, damage);
        repairAndCompare(out, batch(part));
    }

    @Test
    void aTruncatedTrialsPartIsNamedByResumeQueryAndReportAndRepairRetrainsItsBatch() throws Exception {
        Path out = copyOfClean("trials-cut");
        Path part = parts(out, "trials").get(1);
        truncate(part);
        String damage = "'" + part + "' is damaged: its bytes do not match its checksum file ." + part.getFileName()
                + ".crc (truncated or overwritten after commit); expected the complete Parquet file that batch "
                + batch(part) + " committed — run sweep 'corrupt' again with --resume --repair to delete the 1 batch "
                + "that does not verify and retrain its trials";
        assertRefusedEverywhere(out, damage);
        repairAndCompare(out, batch(part));
    }

    /** Without the .crc (a copy that dropped it, S3), a cut is still found: the footer is gone or the count is off. */
    @Test
    void aCutWithoutChecksumAndAMissingPartAreFoundToo() throws Exception {
        Path out = copyOfClean("no-crc");
        Path part = parts(out, "gradients").get(2);
        truncate(part);
        Files.delete(part.resolveSibling("." + part.getFileName() + ".crc"));
        Path activations = parts(out, "activations").get(3);
        Files.delete(activations);
        assertThatThrownBy(() -> resume(out, false)).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("Cannot resume sweep 'corrupt': '" + part + "' is not a readable "
                        + "Parquet file (RuntimeException: it is not a Parquet file. Expected magic number at tail")
                .hasMessageEndingWith("; truncated or damaged after commit?); expected the complete Parquet file "
                        + "that batch " + batch(part) + " committed (1 more file does not verify) — run sweep "
                        + "'corrupt' again with --resume --repair to delete the 2 batches that do not verify and "
                        + "retrain their trials");
        Files.delete(part);
        assertThatThrownBy(() -> resume(out, false)).isInstanceOf(InvalidInputException.class)
                .hasMessage("Cannot resume sweep 'corrupt': '" + part + "' is missing; expected the part of "
                        + "batch " + batch(part) + " holding " + (4 * 4 * 2) + " rows, as its trials part recorded at "
                        + "commit (1 more file does not verify) — run sweep 'corrupt' again with --resume --repair "
                        + "to delete the 2 batches that do not verify and retrain their trials");
        repairAndCompare(out, batch(part), batch(activations));
    }

    @Test
    void repairWithoutResumeIsInvalidInput() {
        CliTest.Result r = CliTest.exec("run", "conf/circles-vanishing.yaml", "--out", dir.resolve("x").toString(),
                "--repair");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("Cannot run sweep: '--repair' is given without '--resume'; expected "
                + "--resume --repair, which retrains the committed batches whose files do not verify");
    }

    private static void assertRefusedEverywhere(Path out, String damage) {
        assertThatThrownBy(() -> resume(out, false)).isInstanceOf(InvalidInputException.class)
                .hasMessage("Cannot resume sweep 'corrupt': " + damage);
        CliTest.Result query = CliTest.exec("query", "--out", out.toString(), "SELECT count(*) FROM gradients");
        assertThat(query.code()).isEqualTo(2);
        assertThat(query.err().strip()).isEqualTo("Cannot read results of sweep 'corrupt': " + damage);
        CliTest.Result report = CliTest.exec("report", "--out", out.toString(), "--to",
                out.resolveSibling(out.getFileName() + "-report").toString());
        assertThat(report.code()).isEqualTo(2);
        assertThat(report.err().strip()).isEqualTo("Cannot read results of sweep 'corrupt': " + damage);
    }

    /** Repair retrains the damaged batch's trials only; then every table equals the clean run's, row for row. */
    private static void repairAndCompare(Path out, String... damaged) throws Exception {
        List<String> expected = new java.util.ArrayList<>();
        for (String batch : damaged) {
            Duck.rows("SELECT trial_id FROM read_parquet('" + clean + "/trials/sweep=corrupt/part-" + batch
                    + ".parquet')").forEach(r -> expected.add((String) r.get(0)));
        }
        StringWriter log = new StringWriter();
        List<TrialOutcome> retrained = new SweepJob(spark, new PrintWriter(log, true))
                .run(SPEC, new SweepJob.Options(out.toString(), 4, Grid.DEFAULT_MAX_TRIALS, false, true, true));
        assertThat(log.toString()).contains("[gradsweep] repair: " + damaged.length + " of 4 committed batches do "
                + "not verify; their parts are deleted in every table and their trials run again ('" + out);
        assertThat(log.toString()).contains("[gradsweep] resume: " + (4 - expected.size()) + " of 4 trials already "
                + "committed and skipped; " + expected.size() + " to run; 0 leftover files of an interrupted run "
                + "removed");
        assertThat(retrained).extracting(TrialOutcome::trialId).containsExactlyInAnyOrderElementsOf(expected);
        for (Table<?> table : Tables.ALL) {
            String a = "read_parquet('" + clean + "/" + table.name() + "/*/*.parquet')";
            String b = "read_parquet('" + out + "/" + table.name() + "/*/*.parquet')";
            String columns = table == Tables.TRIALS ? "* EXCLUDE (wall_ms)" : "*";
            assertThat(scalar("SELECT count(*) FROM " + b)).as(table.name())
                    .isEqualTo(scalar("SELECT count(*) FROM " + a));
            assertThat(scalar("SELECT count(*) FROM (SELECT " + columns + " FROM " + a + " EXCEPT SELECT " + columns
                    + " FROM " + b + ")")).as(table.name()).isZero();
        }
        StringWriter again = new StringWriter();
        assertThat(new SweepJob(spark, new PrintWriter(again, true))
                .run(SPEC, new SweepJob.Options(out.toString(), 4, Grid.DEFAULT_MAX_TRIALS, false, true, true)))
                .isEmpty();
        assertThat(again.toString()).as("and now everything verifies")
                .contains("[gradsweep] repair: all 4 committed batches verify; nothing to repair")
                .contains("all 4 trials are already committed; nothing to run");
    }

    private static List<TrialOutcome> resume(Path out, boolean repair) throws IOException {
        return new SweepJob(spark, new PrintWriter(new StringWriter()))
                .run(SPEC, new SweepJob.Options(out.toString(), 4, Grid.DEFAULT_MAX_TRIALS, false, true, repair));
    }

    static List<Path> parts(Path out, String table) throws IOException {
        try (Stream<Path> files = Files.list(out.resolve(table).resolve("sweep=corrupt"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList();
        }
    }

    private static String batch(Path part) {
        String name = part.getFileName().toString();
        return name.substring("part-".length(), name.length() - ".parquet".length());
    }

    /** Cuts the file to half its length, as a copy or a disk that ran out would, and leaves its .crc as it was. */
    private static void truncate(Path file) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
    }

    private static Path copyOfClean(String name) throws IOException {
        Path target = dir.resolve(name);
        try (Stream<Path> files = Files.walk(clean)) {
            for (Path p : files.sorted(Comparator.naturalOrder()).toList()) {
                Files.copy(p, target.resolve(clean.relativize(p).toString()));
            }
        }
        return target;
    }
}
