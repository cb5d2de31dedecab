package io.gradsweep.analysis;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** {@link ResultSql} on Spark SQL: for results on cluster storage, and on request. */
public final class SparkResults implements ResultSql {
    private final SparkSession spark;
    private final Sessions owned;
    private final ResultViews.Registered registered;

    private SparkResults(SparkSession spark, Sessions owned, ResultViews.Registered registered) {
        this.spark = spark;
        this.owned = owned;
        this.registered = registered;
    }

    static SparkResults open(String out, String sweep, String master, String appName) {
        Sessions session = Sessions.open(master, appName);
        try {
            return new SparkResults(session.spark(), session, ResultViews.register(session.spark(), out, sweep));
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /** Over a session the caller owns and stops (a test's, a notebook's). */
    public static SparkResults over(SparkSession spark, String out, String sweep) {
        return new SparkResults(spark, null, ResultViews.register(spark, out, sweep));
    }

    @Override
    public ResultViews.Registered registered() {
        return registered;
    }

    @Override
    public List<ResultRow> rows(String sql) {
        return rows(spark.sql(sql));
    }

    /** A Spark result collected to the driver as engine-neutral rows. */
    public static List<ResultRow> rows(Dataset<Row> result) {
        List<String> columns = Arrays.asList(result.columns());
        return result.collectAsList().stream().map(r -> values(columns, r)).toList();
    }

    public static ResultRow values(List<String> columns, Row r) {
        Object[] v = new Object[r.length()];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.get(i);
        }
        return new ResultRow(columns, v);
    }

    @Override
    public void close() {
        if (owned != null) {
            owned.close();
        }
    }
}
