package io.gradsweep.analysis;

import org.apache.spark.sql.catalyst.plans.logical.DescribeRelation;

/**
 * How this build's Spark (4; src/main/spark4) parses DESCRIBE: a PARTITION clause makes a DescribeTablePartition,
 * which {@link ReadOnlySql}'s allow-list refuses, so a {@link DescribeRelation} never has one (it has no
 * partitionSpec any more). The Spark 3.5 build has its own copy of this class (src/main/spark3).
 */
final class DescribePlans {
    private DescribePlans() {
    }

    /** True when {@code d} describes a relation as a whole, with no PARTITION clause: always, on Spark 4. */
    static boolean wholeRelation(DescribeRelation d) {
        return true;
    }
}
