package io.gradsweep.analysis;

import io.gradsweep.spark.SweepConf;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The SparkSession of a query or report: spark-submit's master, else the given one, else local[*]. A session that
 * already existed (a notebook, a test) is borrowed and left running; one created here is stopped on close.
 */
public record Sessions(SparkSession spark, boolean owned) implements AutoCloseable {

    public static Sessions open(String master, String appName) {
        boolean existed = SparkSession.getDefaultSession().isDefined() || SparkSession.getActiveSession().isDefined();
        SparkConf conf = SweepConf.base(master, appName);
        // A query lives for seconds: the web UI would only cost start-up time and a port.
        conf.setIfMissing("spark.ui.enabled", "false");
        return new Sessions(SparkSession.builder().config(conf).getOrCreate(), !existed);
    }

    @Override
    public void close() {
        if (owned) {
            spark.stop();
        }
    }
}
