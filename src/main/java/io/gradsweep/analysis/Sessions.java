package io.gradsweep.analysis;

import io.gradsweep.spark.SweepConf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import scala.Option;

/**
 * The SparkSession of a query or report: spark-submit's master, else the given one, else local[*]. A session that
 * already existed (a notebook, a test) is borrowed through {@link SparkSession#newSession}, which shares its
 * SparkContext but not its settings or temporary views, and is left running; one created here is stopped on close.
 *
 * <p>Either way the session reads no files named inside SQL ({@code spark.sql.runSQLOnFiles} off). A session
 * created here also keeps Spark's warehouse, where the first use of the catalog creates a {@code default} database
 * directory, in a scratch directory deleted on close, with the in-memory catalog: {@code spark-warehouse/},
 * {@code metastore_db/} and {@code derby.log} would otherwise appear in the working directory. A borrowed session's
 * warehouse is its owner's choice, fixed when it started.
 */
public record Sessions(SparkSession spark, boolean owned, Path scratch) implements AutoCloseable {
    static final String RUN_SQL_ON_FILES = "spark.sql.runSQLOnFiles";

    public static Sessions open(String master, String appName) {
        Option<SparkSession> existing = SparkSession.getActiveSession().isDefined() ? SparkSession.getActiveSession()
                : SparkSession.getDefaultSession();
        if (existing.isDefined()) {
            SparkSession borrowed = existing.get().newSession();
            borrowed.conf().set(RUN_SQL_ON_FILES, "false");
            return new Sessions(borrowed, false, null);
        }
        Path scratch = newScratch();
        SparkConf conf = SweepConf.base(master, appName);
        // A query lives for seconds: the web UI would only cost start-up time and a port.
        conf.setIfMissing("spark.ui.enabled", "false");
        // Set, not setIfMissing: a spark-defaults.conf made for other jobs must not point a query at a metastore.
        conf.set("spark.sql.warehouse.dir", scratch.toUri().toString());
        conf.set("spark.sql.catalogImplementation", "in-memory");
        conf.set(RUN_SQL_ON_FILES, "false");
        return new Sessions(SparkSession.builder().config(conf).getOrCreate(), true, scratch);
    }

    private static Path newScratch() {
        try {
            return Files.createTempDirectory("gradsweep-warehouse-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (owned) {
            spark.stop();
        }
        if (scratch != null) {
            try (Stream<Path> files = Files.walk(scratch)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
