package io.gradsweep.cli;

import io.gradsweep.InvalidInputException;

/**
 * Spark is a provided dependency: {@code java -jar gradsweep.jar} alone has no Spark and no Hadoop. Commands that
 * need them check first, so the user reads how to run them instead of a NoClassDefFoundError.
 */
final class SparkClasspath {
    private SparkClasspath() {
    }

    static void require(String command) {
        try {
            Class.forName("org.apache.spark.sql.SparkSession", false, SparkClasspath.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new InvalidInputException("Cannot run '" + command + "': Spark is not on the classpath; expected "
                    + "./submit.sh " + command + ", spark-submit, or java -cp with Spark's jars "
                    + "(target/spark-classpath.txt)");
        }
    }
}
