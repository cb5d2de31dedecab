package io.gradsweep.spark;

import org.apache.spark.SparkConf;

/**
 * The Spark settings of every session that trains a sweep: {@code run}'s and the benchmark's. Kept in one place so
 * that the benchmark measures the serializer a real sweep uses, not Spark's default Java serialization.
 */
public final class SweepConf {
    private SweepConf() {
    }

    /**
     * @param master a Spark master URL, or null for spark-submit's, else local[*]
     * @param appName used unless spark-submit named the application
     */
    public static SparkConf of(String master, String appName) {
        SparkConf conf = base(master, appName);
        // Kryo with ND4J's registrator for the arrays data-parallel training ships; KryoRecords for our records.
        conf.setIfMissing("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
        conf.setIfMissing("spark.kryo.registrator", KryoRecords.REGISTRATORS);
        return conf;
    }

    /** What every gradsweep session shares, queries and reports included: master, name, no console progress bars. */
    public static SparkConf base(String master, String appName) {
        SparkConf conf = new SparkConf();
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        conf.setIfMissing("spark.app.name", appName);
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        return conf;
    }
}
