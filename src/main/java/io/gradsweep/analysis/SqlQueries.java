package io.gradsweep.analysis;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.first;

import io.gradsweep.InvalidInputException;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Runs read-only SQL over the registered views, turning the user's mistakes into exit-code-2 messages. Every
 * statement, the canned analyses' included, passes {@link ReadOnlySql} first: a query must never change results.
 */
public final class SqlQueries {
    private SqlQueries() {
    }

    /**
     * Plans a statement. Spark parses and analyses eagerly, so a syntax error or an unknown table or column surfaces
     * here, as an {@link InvalidInputException} with Spark's own explanation but without the plan or a stack trace.
     * The statement is parsed once more for the read-only check before {@code spark.sql} sees it, because Spark runs
     * commands (INSERT, CREATE, SET...) as soon as it has planned them.
     */
    public static Dataset<Row> sql(SparkSession spark, String statement) {
        try {
            ReadOnlySql.check(spark.sessionState().sqlParser().parsePlan(statement), statement);
            return spark.sql(statement);
        } catch (Exception e) {
            // Scala does not declare AnalysisException (a checked type to javac), hence the instanceof.
            if (e instanceof AnalysisException a) { // includes ParseException
                throw new InvalidInputException("Cannot run query: " + a.getSimpleMessage().strip()
                        + "\nViews: " + String.join(", ", ReadOnlySql.viewNames()) + " (see docs/analysis.md)");
            }
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    /** Runs a bound canned analysis, reshaping it when it declares a pivot. */
    public static Dataset<Row> analysis(SparkSession spark, Analysis.Bound bound) {
        Dataset<Row> result = sql(spark, bound.sql());
        Analysis.Pivot p = bound.pivot();
        if (p == null) {
            return result;
        }
        Column[] aggregates = p.values().stream().map(v -> first(col(v), true).as(v)).toArray(Column[]::new);
        return result.groupBy(col(p.rows())).pivot(col(p.columns()))
                .agg(aggregates[0], java.util.Arrays.copyOfRange(aggregates, 1, aggregates.length))
                .orderBy(col(p.rows()));
    }
}
