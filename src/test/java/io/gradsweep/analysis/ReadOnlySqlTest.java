package io.gradsweep.analysis;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gradsweep.InvalidInputException;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.SparkSqlParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The read-only check on plans from Spark's own parser; no session needed, since nothing is analysed or run. */
class ReadOnlySqlTest {
    static final String VIEWS = "activations, epochs, gradients, histograms, timestep_gradients, trials";
    static final SparkSqlParser PARSER = new SparkSqlParser();

    /**
     * Parsing reads SQLConf from the active session, and a test class that ran earlier in this JVM may have left
     * a stopped one active; without any, the parser uses the default conf.
     */
    @BeforeAll
    static void noStoppedSession() {
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
    }

    static void check(String sql) {
        ReadOnlySql.check(PARSER.parsePlan(sql), sql);
    }

    static void refusedAs(String sql, String kind) {
        assertThatThrownBy(() -> check(sql)).isInstanceOf(InvalidInputException.class)
                .hasMessage("Cannot run query: 'SQL' is " + kind + " statement; expected a query (SELECT, WITH, "
                        + "VALUES, TABLE, DESCRIBE or EXPLAIN)");
    }

    @Test
    void queriesPass() {
        for (String sql : new String[] {
                "SELECT activation, avg(train_accuracy) FROM trials GROUP BY activation HAVING count(*) > 1",
                "WITH r AS (SELECT trial_id, max(std) AS s FROM gradients GROUP BY trial_id) "
                        + "SELECT * FROM r JOIN trials t USING (trial_id) ORDER BY s DESC LIMIT 3 OFFSET 1",
                "SELECT * FROM trials WHERE trial_id IN (SELECT trial_id FROM epochs WHERE epoch > 1) "
                        + "AND EXISTS (SELECT 1 FROM gradients g WHERE g.trial_id = trials.trial_id)",
                "SELECT trial_id, rank() OVER w FROM trials WINDOW w AS (ORDER BY test_loss)",
                "SELECT /*+ BROADCAST(t) */ * FROM trials t LATERAL VIEW explode(array(1, 2)) x AS k",
                "SELECT * FROM trials TABLESAMPLE (50 PERCENT) UNION ALL SELECT * FROM trials",
                "SELECT * FROM (SELECT activation, seed, test_loss FROM trials) "
                        + "PIVOT (avg(test_loss) FOR seed IN (1, 2))",
                "VALUES (1, 'a'), (2, 'b')", "SELECT * FROM range(3)", "TABLE trials", "SELECT 1",
                "SELECT DISTINCT sweep FROM trials INTERSECT SELECT sweep FROM gradients",
                "EXPLAIN SELECT * FROM trials", "DESCRIBE trials", "DESCRIBE QUERY SELECT * FROM gradients"}) {
            assertThatCode(() -> check(sql)).as(sql).doesNotThrowAnyException();
        }
    }

    @Test
    void everyCannedAnalysisPasses() {
        for (Analysis a : Analyses.all()) {
            assertThatCode(() -> check(a.bind(Map.of()).sql())).as(a.name()).doesNotThrowAnyException();
        }
    }

    @Test
    void statementsAreRefusedByTheirKeywords() {
        refusedAs("INSERT OVERWRITE DIRECTORY '/tmp/x' USING parquet SELECT * FROM trials WHERE false",
                "an INSERT OVERWRITE DIRECTORY");
        refusedAs("insert into trials select * from trials", "an INSERT INTO");
        refusedAs("CREATE TABLE t USING parquet LOCATION '/tmp/t' AS SELECT 1", "a CREATE TABLE");
        refusedAs("  -- a comment first\n CREATE OR REPLACE TEMPORARY VIEW v AS SELECT 1",
                "a CREATE OR REPLACE TEMPORARY VIEW");
        refusedAs("DROP VIEW trials", "a DROP VIEW");
        refusedAs("SET spark.sql.runSQLOnFiles=true", "a SET");
        refusedAs("RESET", "a RESET");
        refusedAs("CACHE TABLE trials", "a CACHE TABLE");
        refusedAs("UNCACHE TABLE trials", "an UNCACHE TABLE");
        refusedAs("ADD JAR /tmp/evil.jar", "an ADD");
        refusedAs("LOAD DATA LOCAL INPATH '/tmp/x' INTO TABLE t", "a LOAD DATA LOCAL INPATH");
        refusedAs("MSCK REPAIR TABLE t", "a MSCK REPAIR TABLE");
        refusedAs("REFRESH TABLE trials", "a REFRESH TABLE");
        refusedAs("ALTER VIEW trials AS SELECT 1", "an ALTER VIEW");
        refusedAs("SHOW TABLES", "a SHOW TABLES");
        refusedAs("USE other", "a USE");
        refusedAs("DESCRIBE trials PARTITION (sweep = 'x')", "a DESCRIBE");
        // TRANSFORM runs a program on the driver or the executors.
        refusedAs("SELECT TRANSFORM(trial_id) USING 'cat /etc/passwd' FROM trials", "a SELECT TRANSFORM");
        refusedAs("UPDATE trials SET seed = 0", "an UPDATE");
    }

    @Test
    void writesAndProgramsInsideAQueryAreRefused() {
        assertThatThrownBy(() -> check("WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x"))
                .hasMessage("Cannot run query: 'SQL' contains an InsertIntoStatement step; expected only the steps "
                        + "of a query (SELECT, WITH, VALUES, TABLE)");
        assertThatThrownBy(() -> check("EXPLAIN INSERT OVERWRITE DIRECTORY '/tmp/x' SELECT 1"))
                .hasMessageStartingWith("Cannot run query: 'SQL' contains an InsertIntoDir step;");
        assertThatThrownBy(() -> check("WITH x AS (SELECT TRANSFORM(trial_id) USING 'sh' FROM trials) "
                + "SELECT * FROM x")).hasMessageStartingWith("Cannot run query: 'SQL' contains a "
                + "ScriptTransformation step;");
        assertThatThrownBy(() -> check("SELECT * FROM trials WHERE trial_id IN "
                + "(SELECT reflect('java.lang.System', 'exit', 3))")).hasMessage("Cannot run query: function "
                + "'reflect' is not a built-in that computes on values; expected none of java_method, reflect, "
                + "try_reflect, nor a qualified function name");
        assertThatThrownBy(() -> check("SELECT IDENTIFIER('java_method')('java.lang.System', 'exit', 3)"))
                .hasMessage("Cannot run query: 'SQL' names a function with IDENTIFIER(...); expected the "
                        + "function's name itself");
        // Spark 3.5 keeps IDENTIFIER(...) in FROM as its own step; Spark 4 parses it into the qualified name
        boolean spark4 = org.apache.spark.package$.MODULE$.SPARK_VERSION().startsWith("4.");
        assertThatThrownBy(() -> check("SELECT * FROM IDENTIFIER('text.`/etc/passwd`')"))
                .hasMessageStartingWith(spark4 ? "Cannot run query: 'text.`/etc/passwd`' is a qualified name"
                        : "Cannot run query: 'SQL' contains a PlanWithUnresolvedIdentifier step;");
    }

    @Test
    void onlyViewsAndCtesMayBeRead() {
        assertThatThrownBy(() -> check("SELECT * FROM text.`/etc/passwd`")).hasMessage("Cannot run query: "
                + "'text.`/etc/passwd`' is a qualified name (a file read directly, or a table outside the results); "
                + "expected a view, one of " + VIEWS);
        assertThatThrownBy(() -> check("WITH r AS (SELECT * FROM parquet.`/tmp/results/trials`) SELECT * FROM r"))
                .hasMessageStartingWith("Cannot run query: 'parquet.`/tmp/results/trials`' is a qualified name");
        assertThatThrownBy(() -> check("SELECT * FROM trials WHERE EXISTS (SELECT 1 FROM default.leak)"))
                .hasMessageStartingWith("Cannot run query: 'default.leak' is a qualified name");
        assertThatThrownBy(() -> check("DESCRIBE global_temp.trials"))
                .hasMessageStartingWith("Cannot run query: 'global_temp.trials' is a qualified name");
    }
}
