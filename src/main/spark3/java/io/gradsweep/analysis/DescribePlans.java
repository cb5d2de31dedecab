package io.gradsweep.analysis;

import org.apache.spark.sql.catalyst.plans.logical.DescribeRelation;

/**
 * How this build's Spark (3.5; src/main/spark3) parses DESCRIBE: a PARTITION clause stays inside
 * {@link DescribeRelation}. The Spark 4 build has its own copy of this class (src/main/spark4).
 */
final class DescribePlans {
    private DescribePlans() {
    }

    /** True when {@code d} describes a relation as a whole, with no PARTITION clause. */
    static boolean wholeRelation(DescribeRelation d) {
        return d.partitionSpec().isEmpty();
    }
}
