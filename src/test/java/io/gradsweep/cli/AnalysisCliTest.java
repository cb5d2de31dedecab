package io.gradsweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradsweep.spark.SweepJob;
import io.gradsweep.spec.Grid;
import io.gradsweep.spec.SpecParser;
import io.gradsweep.train.TrialOutcome;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code query} and {@code report} through picocli with captured output, on one small real sweep. The commands
 * borrow the class's SparkSession (and leave it running), as they would a notebook's.
 */
class AnalysisCliTest {
    static SparkSession spark;
    static List<TrialOutcome> outcomes;

    @TempDir
    static Path dir;

    static String out;

    /** Spark's default warehouse, catalog and Hive files; the working directory is where Spark would put them. */
    static final List<String> SPARK_LITTER = List.of("spark-warehouse", "metastore_db", "derby.log");
    static final Path CWD = Path.of("").toAbsolutePath();
    /** Litter left in the working directory by earlier builds, so that only what this class creates counts. */
    static List<String> litterBefore;

    @BeforeAll
    static void start() throws Exception {
        litterBefore = SPARK_LITTER.stream().filter(n -> Files.exists(CWD.resolve(n))).toList();
        spark = SparkSession.builder().master("local[2]").appName("gradsweep-cli-test")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
        out = dir.resolve("results").toString();
        outcomes = new SweepJob(spark, new PrintWriter(new StringWriter())).run(SpecParser.parse("""
                name: cli
                dataset: {name: circles, samples: 96, noise: 0.1, factor: 0.5, test_fraction: 0.25}
                train: {epochs: 2, batch_size: 24}
                grid: {activation: [sigmoid, relu], depth: [3], width: [4], initializer: ["normal(0,1)"],
                       seed: [1, 2]}
                """), new SweepJob.Options(out, 2, Grid.DEFAULT_MAX_TRIALS, false));
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static CliTest.Result exec(String... args) {
        return CliTest.exec(args);
    }

    /** The same command on Spark SQL, which local results get only on request. */
    static CliTest.Result spark(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--engine";
        all[args.length + 1] = "spark";
        return CliTest.exec(all);
    }

    @Test
    void printsAnAlignedTable() {
        CliTest.Result r = exec("query", "--out", out, "SELECT activation, count(*) AS n, min(sweep) AS sweep "
                + "FROM trials GROUP BY activation ORDER BY activation");
        assertThat(r.code()).as(r.err()).isEqualTo(Main.OK);
        assertThat(r.out()).isEqualTo(String.join(System.lineSeparator(), "activation  n  sweep", "----------  -  -----",
                "relu        2  cli", "sigmoid     2  cli", "(2 rows)", ""));
        CliTest.Result cut = exec("query", "--out", out, "--max-rows", "3", "SELECT * FROM gradients");
        assertThat(cut.out()).endsWith("(first 3 rows; --max-rows 0 prints all, --format csv writes all)"
                + System.lineSeparator());
    }

    @Test
    void writesCsvJsonAndParquet() throws Exception {
        Path csv = dir.resolve("leaderboard.csv");
        CliTest.Result r = exec("query", "--out", out, "--analysis", "leaderboard", "--format", "csv", "--to",
                csv.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(Main.OK);
        assertThat(r.out()).isEqualTo("Wrote 2 rows to " + csv + " (csv)" + System.lineSeparator());
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("rank,sweep,activation,depth,width,initializer,");
        assertThat(lines.get(1)).contains(",\"normal(0,1)\",").contains(",test,");

        CliTest.Result json = exec("query", "--out", out, "--format", "json",
                "SELECT trial_id, test_accuracy FROM trials ORDER BY trial_index");
        assertThat(json.out().lines()).hasSize(4)
                .allMatch(l -> l.matches("\\{\"trial_id\":\"[0-9a-f]{12}\",\"test_accuracy\":[0-9.E-]+}"));
        assertThat(json.out().lines().findFirst().orElseThrow()).contains(outcomes.get(0).trialId());

        Path parquet = dir.resolve("profile.parquet");
        CliTest.Result p = exec("query", "--out", out, "--analysis", "layer-profile", "--format", "parquet",
                "--to", parquet.toString());
        assertThat(p.out()).contains("Wrote 16 rows to " + parquet + " (parquet)");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*), count(DISTINCT trial_id) FROM read_parquet('"
                     + parquet + "/*.parquet')")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(16); // 4 trials x (3 hidden + output) layers
            assertThat(rs.getLong(2)).isEqualTo(4);
        }
        CliTest.Result again = exec("query", "--out", out, "--format", "csv", "--to", csv.toString(), "SELECT 1");
        assertThat(again.code()).isEqualTo(Main.INVALID_INPUT);
        assertThat(again.err().strip()).isEqualTo("Cannot write query result: '--to' is " + csv
                + "; expected a path that does not exist yet");
    }

    @Test
    void userMistakesExitTwoWithAMessageAndNoStackTrace() {
        CliTest.Result sql = spark("query", "--out", out, "SELECT * FORM trials");
        assertThat(sql.code()).isEqualTo(Main.INVALID_INPUT);
        assertThat(sql.err()).startsWith("Cannot run query: [PARSE_SYNTAX_ERROR] Syntax error at or near 'trials'")
                .doesNotContain("\tat org.apache").doesNotContain("Exception");
        assertThat(sql.out()).isEmpty();

        assertThat(exec("query", "--out", out, "--format", "xml", "SELECT 1").err().strip()).isEqualTo(
                "Cannot write query result: '--format' is 'xml'; expected one of table, csv, json, parquet");
        assertThat(exec("query", "--out", out, "--format", "parquet", "SELECT 1").err().strip()).isEqualTo(
                "Cannot write query result: '--to' is missing; expected a path for --format parquet");
        assertThat(exec("query", "--out", out, "--analysis", "profile").err().strip()).isEqualTo("Cannot run "
                + "analysis: '--analysis' is 'profile'; expected one of layer-profile, diagnosis, leaderboard, "
                + "grid-effect, workers, timestep-ratio, activation-profile, preact-profile");
        assertThat(exec("query", "--out", out, "--sweep", "clu", "SELECT 1").err().strip())
                .isEqualTo("Cannot select sweep: '--sweep' is 'clu'; expected one of cli");
        assertThat(exec("query", "--out", dir.resolve("nothing").toString(), "SELECT 1").err().strip())
                .isEqualTo("Cannot query results: '--out' is " + dir.resolve("nothing") + "; expected a directory "
                        + "holding gradsweep results (<table>/sweep=<name>/*.parquet)");
        CliTest.Result none = exec("query", "--out", out);
        assertThat(none.code()).isEqualTo(Main.INVALID_INPUT);
        assertThat(none.err()).startsWith("Cannot run query: 'SQL' is missing; expected a SQL statement or "
                + "--analysis NAME");
        CliTest.Result param = exec("query", "--out", out, "--analysis", "diagnosis", "--param",
                "vanishing_ratio=small");
        assertThat(param.err().strip()).isEqualTo("Cannot run analysis 'diagnosis': 'vanishing_ratio' is 'small'; "
                + "expected a finite number or recorded");
    }

    /** dL/ds reaches the files and the views: every MLP row has it, and its sums are the bias gradients. */
    @Test
    void preactivationGradientsAreInEveryActivationRowAndSumToTheBiasGradient() {
        CliTest.Result all = exec("query", "--out", out, "SELECT count(*) AS n, count(preact_grad_std) AS recorded, "
                + "min(preact_grad_l2) > 0 AS positive FROM activations");
        assertThat(all.code()).as(all.err()).isEqualTo(Main.OK);
        // 4 trials x 6 iterations x 3 hidden layers
        assertThat(all.out()).containsPattern("\\b72 +72 +true\\b");
        CliTest.Result sums = exec("query", "--out", out, "SELECT count(*) AS pairs, max(abs(a.preact_grad_mean * a.n "
                + "- g.mean * g.n) / g.l2) < 1e-4 AS agree FROM activations a JOIN gradients g ON a.trial_id = "
                + "g.trial_id AND a.iteration = g.iteration AND a.layer = g.layer AND g.param = 'b'");
        assertThat(sums.code()).as(sums.err()).isEqualTo(Main.OK);
        assertThat(sums.out()).containsPattern("\\b72 +true\\b");
        CliTest.Result figure7 = exec("query", "--out", out, README_FIGURE_7);
        assertThat(figure7.code()).as(figure7.err()).isEqualTo(Main.OK);
        assertThat(figure7.out()).contains("(6 rows)").doesNotContain("NULL");
    }

    /** The README's query for Glorot and Bengio's figure 7, as printed there. */
    static final String README_FIGURE_7 = """
            SELECT t.activation, t.initializer, a.layer,
                   avg(a.preact_grad_std * a.preact_grad_std) AS var_dlds,
                   avg(g.std * g.std) AS var_dldw
            FROM activations a JOIN trials t USING (trial_id)
                 JOIN gradients g ON g.trial_id = a.trial_id AND g.iteration = a.iteration
                                 AND g.layer = a.layer AND g.param = 'W'
            WHERE a.iteration = 0
            GROUP BY t.activation, t.initializer, a.layer ORDER BY t.activation, t.initializer, a.layer""";

    @Test
    void listsTheCannedAnalysesAndRunsOneByNameOnOneSweep() {
        CliTest.Result list = exec("query", "--list");
        assertThat(list.code()).isEqualTo(Main.OK);
        assertThat(list.out().lines().filter(l -> !l.startsWith(" ")))
                .containsExactly("layer-profile", "diagnosis", "leaderboard", "grid-effect", "workers",
                        "timestep-ratio", "activation-profile", "preact-profile");
        assertThat(list.out()).contains("  --param vanishing_ratio=recorded  (number, or recorded: each trial's own) ")
                .contains("  --param rows=activation  (activation|depth|");

        CliTest.Result r = exec("query", "--out", out, "--sweep", "cli", "--analysis", "diagnosis");
        assertThat(r.code()).as(r.err()).isEqualTo(Main.OK);
        assertThat(r.out()).contains("(4 rows)");
        for (TrialOutcome o : outcomes) {
            assertThat(r.out()).containsPattern(o.trialId() + ".* " + o.diagnosis() + " +" + o.diagnosis()
                    + " +" + o.diagnosis() + " ");
        }
    }

    @Test
    void reportWritesTheHtmlPageAndTheFiguresOfEachSelectedTrial() throws IOException {
        Path to = dir.resolve("report");
        CliTest.Result bad = exec("report", "--out", out, "--to", to.toString(), "--axes", "seed");
        assertThat(bad.code()).isEqualTo(Main.INVALID_INPUT);
        assertThat(bad.err().strip()).isEqualTo("Cannot draw heatmaps: '--axes' is 'seed'; expected two different "
                + "axes, e.g. activation,initializer");

        CliTest.Result r = exec("report", "--out", out, "--to", to.toString(), "--axes", "seed,activation");
        assertThat(r.code()).as(r.err()).isEqualTo(Main.OK);
        // heatmaps + 5 over-time figures + layer std of dL/dW and of dL/ds + (gradients, weights, weight and
        // gradient histograms, small gradients) for the best and the worst of each of 2 activations
        assertThat(r.out()).startsWith("Report on sweep 'cli' (4 trials): " + to.resolve("index.html")
                + " and 28 PNG files");
        try (Stream<Path> files = Files.list(to)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".png"))).hasSize(28);
        }
        String html = Files.readString(to.resolve("index.html"));
        assertThat(html).contains("layer-std.png").contains("layer-preact-std.png").contains("curves.png")
                .contains("grad-std-per-epoch.png");
        assertThat(html).contains("<h1>gradsweep report: cli</h1>").contains("4 trials.")
                .contains("over seed × activation");
        for (TrialOutcome o : outcomes) {
            assertThat(html).contains("<td>" + o.trialId() + "</td>").contains("trial-" + o.trialId()
                    + "-gradients.png").contains("trial-" + o.trialId() + "-weight-histograms.png");
        }
    }

    /**
     * --to is checked before anything loads: with an --out that holds no results, the --to refusal must come first.
     * A directory holding anything but an earlier gradsweep report is refused and left as it was; an earlier
     * report is replaced whole, figures it drew that the new one does not included.
     */
    @Test
    void reportToIsCheckedBeforeLoadingAndNeverOverwritesFilesThatAreNotAReport() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.txt"), "mine");
        String nothing = dir.resolve("nothing").toString();
        String suffix = "; expected a new or empty directory, or one holding an earlier gradsweep report — pass "
                + "another --to";
        CliTest.Result toFile = exec("report", "--out", nothing, "--to", file.toString());
        assertThat(toFile.code()).isEqualTo(Main.INVALID_INPUT);
        assertThat(toFile.err().strip()).isEqualTo("Cannot write report: '--to' is " + file + ", a file" + suffix);
        CliTest.Result under = exec("report", "--out", nothing, "--to", file.resolve("r").toString());
        assertThat(under.err().strip()).isEqualTo("Cannot write report: '--to' is " + file.resolve("r")
                + ", under the file " + file + suffix);

        Path site = Files.createDirectories(dir.resolve("site"));
        Files.writeString(site.resolve("index.html"), "<p>my page</p>");
        CliTest.Result taken = exec("report", "--out", nothing, "--to", site.toString());
        assertThat(taken.code()).isEqualTo(Main.INVALID_INPUT);
        assertThat(taken.err().strip()).isEqualTo("Cannot write report: '--to' is " + site + ", a directory holding "
                + "files that are not a gradsweep report's (index.html)" + suffix);
        assertThat(site.resolve("index.html")).hasContent("<p>my page</p>");

        Path to = dir.resolve("twice");
        assertThat(exec("report", "--out", out, "--to", to.toString()).code()).isEqualTo(Main.OK);
        List<String> first = files(to).stream().map(p -> p.getFileName().toString()).sorted().toList();
        assertThat(first).hasSize(1 + 28 + 1).contains("index.html", ".gradsweep-report");
        String one = outcomes.get(0).trialId();
        CliTest.Result again = exec("report", "--out", out, "--to", to.toString(), "--trials", one);
        assertThat(again.code()).as(again.err()).isEqualTo(Main.OK);
        assertThat(again.out()).startsWith("Replacing the earlier gradsweep report in " + to + " (29 files)\n");
        List<String> second = files(to).stream().map(p -> p.getFileName().toString()).sorted().toList();
        assertThat(second).as("the other trials' figures went with the earlier report").hasSize(1 + 8 + 5 + 1)
                .allMatch(n -> !n.startsWith("trial-") || n.startsWith("trial-" + one));
        assertThat(Files.readAllLines(to.resolve(".gradsweep-report"))).hasSize(1 + 8 + 5).contains("index.html");
    }

    static final String EXPECTED_QUERY = "expected a query (SELECT, WITH, VALUES, TABLE, DESCRIBE or EXPLAIN)";

    static List<Path> files(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
        }
    }

    @Test
    void insertOverwriteDirectoryIsRefusedAndTheSweepsGradientsStay() throws IOException {
        Path sweep = Path.of(out, "gradients", "sweep=cli");
        List<Path> before = files(sweep);
        assertThat(before).filteredOn(p -> p.toString().endsWith(".parquet")).isNotEmpty();
        CliTest.Result r = spark("query", "--out", out, "INSERT OVERWRITE DIRECTORY '" + sweep
                + "' USING parquet SELECT * FROM trials WHERE false");
        assertThat(r.code()).isEqualTo(Main.INVALID_INPUT);
        assertThat(r.err().strip()).isEqualTo("Cannot run query: 'SQL' is an INSERT OVERWRITE DIRECTORY statement; "
                + EXPECTED_QUERY);
        assertThat(r.out()).isEmpty();
        assertThat(files(sweep)).isEqualTo(before);
        CliTest.Result count = spark("query", "--out", out, "SELECT count(DISTINCT trial_id) AS n FROM gradients");
        assertThat(count.out()).contains(System.lineSeparator() + "4" + System.lineSeparator());
    }

    @Test
    void ddlSettingsAndCommandsAreRefusedWithExitTwo() {
        Path leak = dir.resolve("leak");
        Map<String, String> refused = Map.of(
                "CREATE TABLE leak USING parquet LOCATION '" + leak + "' AS SELECT * FROM trials", "a CREATE TABLE",
                "DROP VIEW trials", "a DROP VIEW",
                "SET spark.sql.runSQLOnFiles=true", "a SET",
                "CACHE TABLE trials", "a CACHE TABLE");
        refused.forEach((sql, kind) -> {
            CliTest.Result r = spark("query", "--out", out, sql);
            assertThat(r.code()).as(sql).isEqualTo(Main.INVALID_INPUT);
            assertThat(r.err().strip()).isEqualTo("Cannot run query: 'SQL' is " + kind + " statement; "
                    + EXPECTED_QUERY);
        });
        assertThat(leak).doesNotExist();
        // The view survived the DROP VIEW.
        assertThat(spark("query", "--out", out, "SELECT count(*) AS n FROM trials").out()).contains("4");
    }

    @Test
    void filesNamedInSqlAreNotRead() {
        CliTest.Result r = spark("query", "--out", out, "SELECT * FROM text.`/etc/passwd`");
        assertThat(r.code()).isEqualTo(Main.INVALID_INPUT);
        assertThat(r.err().strip()).isEqualTo("Cannot run query: 'text.`/etc/passwd`' is a qualified name (a file "
                + "read directly, or a table outside the results); expected a view, one of activations, epochs, "
                + "gradients, histograms, timestep_gradients, trials");
        assertThat(r.out()).isEmpty();
        CliTest.Result parquet = spark("query", "--out", out, "SELECT count(*) FROM parquet.`" + out + "/trials`");
        assertThat(parquet.code()).isEqualTo(Main.INVALID_INPUT);
        assertThat(parquet.err()).startsWith("Cannot run query: 'parquet.`" + out + "/trials`' is a qualified name");
    }

    @Test
    void queriesStillRunAndNothingIsWrittenOutsideTo() throws IOException {
        List<Path> results = files(Path.of(out));
        CliTest.Result with = spark("query", "--out", out, "WITH r AS (SELECT activation, count(*) AS n FROM trials "
                + "GROUP BY activation) SELECT activation, n FROM r ORDER BY activation");
        assertThat(with.code()).as(with.err()).isEqualTo(Main.OK);
        assertThat(with.out()).isEqualTo(String.join(System.lineSeparator(), "activation  n", "----------  -",
                "relu        2", "sigmoid     2", "(2 rows)", ""));
        CliTest.Result values = spark("query", "--out", out, "VALUES (1, 'a') AS v(k, s)");
        assertThat(values.out()).contains("k  s").contains("1  a").contains("(1 row)");
        CliTest.Result described = spark("query", "--out", out, "DESCRIBE trials");
        assertThat(described.code()).as(described.err()).isEqualTo(Main.OK);
        assertThat(described.out()).containsPattern("trial_id +string").containsPattern("sweep +string");
        assertThat(spark("query", "--out", out, "EXPLAIN SELECT * FROM trials").out()).contains("== Physical Plan ==");
        spark("query", "--out", out, "CREATE TABLE t2 AS SELECT * FROM trials");
        spark("query", "--out", out, "SELECT * FORM trials");
        for (String name : SPARK_LITTER) {
            if (!litterBefore.contains(name)) {
                assertThat(CWD.resolve(name)).doesNotExist();
            }
            assertThat(Path.of(out, name)).doesNotExist();
        }
        assertThat(files(Path.of(out))).isEqualTo(results);
    }
}
