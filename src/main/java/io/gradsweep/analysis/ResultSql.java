package io.gradsweep.analysis;

import java.util.List;

/**
 * SQL over the result views of one results directory, with either engine behind it: what {@code report} loads
 * through. The views are registered when it opens; statements are the caller's own (the report's), not the user's.
 */
public interface ResultSql extends AutoCloseable {
    /** The results root and the sweeps the views cover. */
    ResultViews.Registered registered();

    /** Every row of a statement's result. */
    List<ResultRow> rows(String sql);

    @Override
    void close();

    /**
     * Opens the engine over {@code out}, restricted to {@code sweep} when it is not null.
     *
     * @param master Spark's master for the Spark engine (null: spark-submit's, else local[*])
     */
    static ResultSql open(SqlEngine engine, String out, String sweep, String master, String appName) {
        return switch (engine) {
            case DUCKDB -> DuckResults.open(out, sweep, null);
            case SPARK -> SparkResults.open(out, sweep, master, appName);
        };
    }
}
