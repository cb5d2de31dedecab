package io.gradsweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradsweep.spark.SweepJob;
import io.gradsweep.spec.Grid;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.testing.Duck;
import io.gradsweep.train.TrialOutcome;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code query} on DuckDB, the engine local results get by default: what it refuses (exit 2, nothing written),
 * what it prints (every digit), and how an engine is chosen.
 */
class DuckQueryCliTest {
    static SparkSession spark;
    static List<TrialOutcome> outcomes;

    @TempDir
    static Path dir;

    static String out;

    @BeforeAll
    static void start() throws Exception {
        spark = SparkSession.builder().master("local[2]").appName("gradsweep-duck-cli-test")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
        out = dir.resolve("results").toString();
        outcomes = new SweepJob(spark, new PrintWriter(new StringWriter())).run(SpecParser.parse("""
                name: duck
                dataset: {name: circles, samples: 64, noise: 0.1, factor: 0.5}
                train: {epochs: 2, batch_size: 32}
                stats: {vanishing_ratio: 0.9, exploding_l2: 5000, stalled_margin: 0.1}
                grid: {activation: [sigmoid, relu], depth: [3], width: [4], initializer: ["normal(0,1)"]}
                """), new SweepJob.Options(out, 2, Grid.DEFAULT_MAX_TRIALS, false));
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static CliTest.Result query(String sql, String... more) {
        String[] args = Stream.concat(Stream.of("query", "--out", out, sql), Stream.of(more)).toArray(String[]::new);
        return CliTest.exec(args);
    }

    static List<Path> files(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(Files::isRegularFile).sorted().toList();
        }
    }

    static final String EXPECTED = "expected a query (SELECT, WITH, VALUES, FROM or DESCRIBE)";

    @Test
    void statementsThatAreNotQueriesAreRefusedWithExitTwoAndWriteNothing() throws IOException {
        List<Path> before = files(Path.of(out));
        Path leak = dir.resolve("leak.csv");
        Map<String, String> refused = Map.ofEntries(
                Map.entry("CREATE TABLE t AS SELECT * FROM trials", "a CREATE TABLE"),
                Map.entry("INSERT INTO trials SELECT * FROM trials", "an INSERT"),
                Map.entry("DROP VIEW trials", "a DROP VIEW"),
                Map.entry("COPY trials TO '" + leak + "'", "a COPY"),
                Map.entry("ATTACH '" + dir.resolve("x.db") + "' AS x", "an ATTACH"),
                Map.entry("INSTALL httpfs", "an INSTALL"),
                Map.entry("LOAD httpfs", "a LOAD"),
                Map.entry("PRAGMA enable_profiling", "a PRAGMA"),
                Map.entry("SET enable_external_access = true", "a SET"),
                Map.entry("  -- a comment first\n  update trials SET depth = 0", "an UPDATE"));
        refused.forEach((sql, kind) -> {
            CliTest.Result r = query(sql);
            assertThat(r.code()).as(sql).isEqualTo(Main.INVALID_INPUT);
            assertThat(r.err().strip()).as(sql).isEqualTo("Cannot run query: 'SQL' is " + kind + " statement; "
                    + EXPECTED);
            assertThat(r.out()).as(sql).isEmpty();
        });
        CliTest.Result two = query("SELECT 1; DROP VIEW trials");
        assertThat(two.code()).isEqualTo(Main.INVALID_INPUT);
        assertThat(two.err().strip()).isEqualTo("Cannot run query: 'SQL' holds more than one statement; expected "
                + "one query (SELECT, WITH, VALUES, FROM or DESCRIBE)");
        assertThat(leak).doesNotExist();
        assertThat(dir.resolve("x.db")).doesNotExist();
        assertThat(files(Path.of(out))).isEqualTo(before);
    }

    @Test
    void filesOutsideTheResultsCannotBeRead() {
        for (String sql : List.of("SELECT * FROM read_csv('/etc/passwd')", "SELECT * FROM read_text('/etc/hostname')",
                "SELECT * FROM glob('/etc/*')", "SELECT * FROM read_parquet('/tmp/*/*.parquet')",
                "WITH p AS (SELECT * FROM read_csv_auto('/etc/passwd', sep = ':')) SELECT count(*) FROM p")) {
            CliTest.Result r = query(sql);
            assertThat(r.code()).as(sql).isEqualTo(Main.INVALID_INPUT);
            assertThat(r.err()).as(sql).startsWith("Cannot run query: 'SQL' reads a file outside the results "
                    + "(Permission Error: ").endsWith("; expected only the views, one of activations, epochs, "
                    + "gradients, histograms, timestep_gradients, trials" + System.lineSeparator());
            assertThat(r.out()).as(sql).isEmpty();
        }
        CliTest.Result bare = query("SELECT * FROM '/etc/passwd'");
        assertThat(bare.code()).isEqualTo(Main.INVALID_INPUT);
        assertThat(bare.out()).isEmpty();
    }

    @Test
    void queriesRunAndMistakesInThemAreExitTwo() {
        CliTest.Result with = query("WITH r AS (SELECT activation, count(*) AS n FROM trials GROUP BY activation) "
                + "SELECT activation, n FROM r ORDER BY activation");
        assertThat(with.code()).as(with.err()).isEqualTo(Main.OK);
        assertThat(with.out()).isEqualTo(String.join(System.lineSeparator(), "activation  n", "----------  -",
                "relu        1", "sigmoid     1", "(2 rows)", ""));
        assertThat(query("VALUES (1, 'a')").out()).contains("(1 row)");
        CliTest.Result described = query("DESCRIBE trials");
        assertThat(described.code()).as(described.err()).isEqualTo(Main.OK);
        assertThat(described.out()).containsPattern("trial_id +VARCHAR").containsPattern("sweep +VARCHAR");

        CliTest.Result syntax = query("SELECT * FORM trials");
        assertThat(syntax.code()).isEqualTo(Main.INVALID_INPUT);
        assertThat(syntax.err()).startsWith("Cannot run query: Parser Error: syntax error at or near \"trials\"")
                .doesNotContain("\tat ").doesNotContain("Exception");
        CliTest.Result column = query("SELECT no_such_column FROM trials");
        assertThat(column.code()).isEqualTo(Main.INVALID_INPUT);
        assertThat(column.err()).startsWith("Cannot run query: Binder Error: ");
    }

    /**
     * A double prints as the shortest decimal that reads back as itself, on either engine: %.6g used to make
     * 1603.738092 read 1603.74. Numbers are right-aligned.
     */
    @Test
    void tablesShowEveryDigitOfADouble() throws Exception {
        String sql = "SELECT round(sum(std), 6) AS s, CAST(0.1 AS DOUBLE) + CAST(0.2 AS DOUBLE) AS x, "
                + "CAST(1e-7 AS DOUBLE) AS tiny FROM gradients";
        double sum = Duck.scalar("SELECT round(sum(std), 6) FROM " + Duck.table(out, "gradients"));
        for (String engine : List.of("duckdb", "spark")) {
            CliTest.Result r = query(sql, "--engine", engine);
            assertThat(r.code()).as(r.err()).isEqualTo(Main.OK);
            List<String> lines = r.out().lines().toList();
            String s = Double.toString(sum);
            int w = Math.max(1, s.length());
            assertThat(lines.get(2)).as(engine).isEqualTo(" ".repeat(w - s.length()) + s + "  "
                    + "0.30000000000000004  1.0E-7");
            assertThat(lines.get(0)).as(engine).isEqualTo(" ".repeat(w - 1) + "s" + "  " + " ".repeat(18) + "x  "
                    + "  tiny");
        }
    }

    @Test
    void csvIsQuotedByJacksonAndParquetIsWrittenByDuckDb() throws Exception {
        CliTest.Result csv = query("SELECT 'a,b' AS x, 'say \"hi\"' AS y, NULL AS z, CAST(0.1 AS DOUBLE) AS d",
                "--format", "csv");
        assertThat(csv.code()).as(csv.err()).isEqualTo(Main.OK);
        assertThat(csv.out()).isEqualTo("x,y,z,d\n\"a,b\",\"say \"\"hi\"\"\",,0.1\n");
        CliTest.Result json = query("SELECT 'a' AS x, NULL AS z, CAST('NaN' AS DOUBLE) AS d", "--format", "json");
        assertThat(json.out().strip()).isEqualTo("{\"x\":\"a\",\"d\":\"NaN\"}");

        Path parquet = dir.resolve("board.parquet");
        CliTest.Result p = CliTest.exec("query", "--out", out, "--analysis", "leaderboard", "--format", "parquet",
                "--to", parquet.toString());
        assertThat(p.code()).as(p.err()).isEqualTo(Main.OK);
        assertThat(p.out().strip()).isEqualTo("Wrote 2 rows to " + parquet + " (parquet)");
        assertThat(Duck.scalar("SELECT count(*) FROM read_parquet('" + parquet + "/*.parquet')")).isEqualTo(2);
        CliTest.Result again = CliTest.exec("query", "--out", out, "--format", "parquet", "--to", parquet.toString(),
                "SELECT 1");
        assertThat(again.code()).isEqualTo(Main.INVALID_INPUT);
        assertThat(again.err().strip()).isEqualTo("Cannot write query result: '--to' is " + parquet
                + "; expected a path that does not exist yet");
    }

    @Test
    void theEngineIsChosenByWhereTheResultsAreOrByName() throws IOException {
        CliTest.Result unknown = query("SELECT 1", "--engine", "presto");
        assertThat(unknown.code()).isEqualTo(Main.INVALID_INPUT);
        assertThat(unknown.err().strip()).isEqualTo("Cannot read results: '--engine' is 'presto'; expected one of "
                + "auto, duckdb, spark");
        CliTest.Result remote = CliTest.exec("query", "--out", "hdfs://nn:8020/results", "--engine", "duckdb",
                "SELECT 1");
        assertThat(remote.code()).isEqualTo(Main.INVALID_INPUT);
        assertThat(remote.err().strip()).isEqualTo("Cannot read results: '--engine' is 'duckdb' with '--out' "
                + "hdfs://nn:8020/results; expected spark (or auto) for results outside the local file system");
        CliTest.Result report = CliTest.exec("report", "--out", out, "--engine", "presto");
        assertThat(report.code()).isEqualTo(Main.INVALID_INPUT);

        CliTest.Result uri = CliTest.exec("query", "--out", Path.of(out).toUri().toString(),
                "SELECT count(*) AS n FROM trials");
        assertThat(uri.code()).as(uri.err()).isEqualTo(Main.OK);
        assertThat(uri.out()).contains(System.lineSeparator() + "2" + System.lineSeparator());

        Path empty = Files.createDirectories(dir.resolve("empty/trials/sweep=none"));
        for (String engine : List.of("duckdb", "spark")) {
            CliTest.Result none = CliTest.exec("query", "--out", empty.getParent().getParent().toString(),
                    "--engine", engine, "SELECT 1");
            assertThat(none.code()).as(engine).isEqualTo(Main.INVALID_INPUT);
            assertThat(none.err().strip()).as(engine).isEqualTo("Cannot query results: '--out' is "
                    + empty.getParent().getParent() + "; expected a directory holding gradsweep results "
                    + "(<table>/sweep=<name>/*.parquet)");
        }
    }

    /**
     * The diagnosis analysis applies each trial's own recorded thresholds unless told others, so by default it
     * agrees with the job's column; the thresholds it applied are in the result.
     */
    @Test
    void diagnosisDefaultsToTheThresholdsEachTrialRecorded() {
        CliTest.Result r = CliTest.exec("query", "--out", out, "--analysis", "diagnosis", "--format", "csv");
        assertThat(r.code()).as(r.err()).isEqualTo(Main.OK);
        List<String> lines = r.out().lines().toList();
        List<String> header = List.of(lines.get(0).split(","));
        assertThat(header).endsWith("vanishing_ratio", "exploding_l2", "stalled_margin");
        assertThat(lines).hasSize(1 + outcomes.size());
        for (String line : lines.subList(1, lines.size())) {
            List<String> cells = List.of(line.split(","));
            TrialOutcome o = outcomes.stream().filter(t -> t.trialId().equals(cells.get(header.indexOf("trial_id"))))
                    .findFirst().orElseThrow();
            assertThat(cells.get(header.indexOf("gradient_diagnosis"))).isEqualTo(o.diagnosis())
                    .isEqualTo(cells.get(header.indexOf("job_diagnosis")));
            assertThat(cells.subList(cells.size() - 3, cells.size())).containsExactly("0.9", "5000.0", "0.1");
        }
        CliTest.Result given = CliTest.exec("query", "--out", out, "--analysis", "diagnosis", "--format", "csv",
                "--param", "vanishing_ratio=0.1");
        assertThat(given.out().lines().skip(1)).allMatch(l -> l.endsWith(",0.1,5000.0,0.1"));
        // margin 0.5: no accuracy reaches chance + 0.5 > 1, so whatever the gradients do not explain is stalled
        CliTest.Result wide = CliTest.exec("query", "--out", out, "--analysis", "diagnosis", "--format", "csv",
                "--param", "vanishing_ratio=1e-9", "--param", "exploding_l2=1e30", "--param", "stalled_margin=0.5");
        assertThat(wide.out().lines().skip(1).map(l -> l.split(",")[header.indexOf("gradient_diagnosis")]))
                .hasSize(outcomes.size()).containsOnly("stalled");
    }

    /** Every table's part of one batch committed a second time under another batch key. */
    @Test
    void duplicatedTrialsAreRefusedByQueryAnalysesAndReport() throws IOException {
        Path twice = dir.resolve("twice");
        for (Path f : files(Path.of(out))) {
            Path rel = Path.of(out).relativize(f);
            if (!f.getFileName().toString().endsWith(".parquet") || rel.startsWith("_staging")) {
                continue;
            }
            Path to = Files.createDirectories(twice.resolve(rel).getParent());
            Files.copy(f, to.resolve(f.getFileName()));
            Files.copy(f, to.resolve(f.getFileName().toString().replace(".parquet", "b.parquet")));
        }
        String prefix = "Cannot read results of sweep 'duck': 2 trials are committed more than once (trial ids ";
        for (String[] args : List.of(new String[] {"query", "--out", twice.toString(), "SELECT * FROM trials"},
                new String[] {"query", "--out", twice.toString(), "--analysis", "leaderboard"},
                new String[] {"query", "--out", twice.toString(), "--engine", "spark", "SELECT * FROM trials"},
                new String[] {"report", "--out", twice.toString(), "--to", dir.resolve("twice-report").toString()})) {
            CliTest.Result r = CliTest.exec(args);
            assertThat(r.code()).as(String.join(" ", args)).isEqualTo(Main.INVALID_INPUT);
            assertThat(r.err()).as(String.join(" ", args)).startsWith(prefix)
                    .contains("expected each trial in one trials file, so that no trial counts twice");
            assertThat(r.out()).isEmpty();
        }
        assertThat(dir.resolve("twice-report")).doesNotExist();
    }
}
