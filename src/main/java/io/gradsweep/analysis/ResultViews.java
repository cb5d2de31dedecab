package io.gradsweep.analysis;

import io.gradsweep.InvalidInputException;
import io.gradsweep.io.OutputLayout;
import io.gradsweep.io.PartCheck;
import io.gradsweep.io.SweepState;
import io.gradsweep.io.Table;
import io.gradsweep.io.Tables;
import io.gradsweep.spark.SparkSchemas;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Registers one temporary view per table of {@link Tables#ALL} over a results directory, with the partition
 * directory {@code sweep=<name>} as a {@code sweep} column. A table no sweep has written yet becomes an empty view
 * with the full schema, so canned analyses that join it still run.
 */
public final class ResultViews {
    private ResultViews() {
    }

    /** The views registered, and the sweeps they cover. */
    public record Registered(String root, List<String> sweeps) {
    }

    /**
     * @param sweep a sweep name to restrict every view to, or null for all sweeps in {@code out}
     */
    public static Registered register(SparkSession spark, String out, String sweep) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        OutputLayout layout = OutputLayout.of(out);
        Registered chosen = select(out, sweep, conf);
        try {
            for (Table<?> table : Tables.ALL) {
                view(spark, layout, table, chosen.sweeps(), conf).createOrReplaceTempView(table.name());
            }
            return chosen;
        } catch (IOException e) {
            throw unreadable(out, e);
        }
    }

    /**
     * The sweeps the views of either engine cover, once they are known to be safe to read: {@code sweep} exists,
     * every part verifies, and no trial is committed twice.
     */
    public static Registered select(String out, String sweep, Configuration conf) {
        OutputLayout layout = OutputLayout.of(out);
        try {
            List<String> all = sweeps(layout, conf);
            if (all.isEmpty()) {
                throw new InvalidInputException("Cannot query results: '--out' is " + out
                        + "; expected a directory holding gradsweep results (<table>/sweep=<name>/*.parquet)");
            }
            if (sweep != null && !all.contains(sweep)) {
                throw new InvalidInputException("Cannot select sweep: '--sweep' is '" + sweep + "'; expected one of "
                        + String.join(", ", all));
            }
            List<String> chosen = sweep == null ? all : List.of(sweep);
            verify(layout, chosen, conf);
            return new Registered(out, chosen);
        } catch (IOException e) {
            throw unreadable(out, e);
        }
    }

    private static InvalidInputException unreadable(String out, IOException e) {
        return new InvalidInputException("Cannot query results: '--out' is " + out
                + "; expected a readable directory (" + e.getMessage() + ")");
    }

    /**
     * Spark reading a truncated part fails deep inside a job with a page of stack; checking footers first (see
     * PartCheck) costs one small read per file and names the file and the way out instead. A trial committed
     * twice (two drivers on one sweep without the lock, or an older gradsweep) would count twice in every
     * analysis, so it is refused too, naming the trials and files.
     */
    private static void verify(OutputLayout layout, List<String> sweeps, Configuration conf) throws IOException {
        for (String s : sweeps) {
            PartCheck.Result check = PartCheck.check(layout, s, conf);
            if (!check.damage().isEmpty()) {
                throw new InvalidInputException(check.refusal("read results of sweep '" + s + "'", s));
            }
            SortedMap<String, List<String>> twice = new SweepState(check.verified(), List.of(), check)
                    .duplicatedTrials();
            if (!twice.isEmpty()) {
                throw new InvalidInputException(duplicated(layout, s, twice));
            }
        }
    }

    private static String duplicated(OutputLayout layout, String sweep, SortedMap<String, List<String>> files) {
        int n = files.size();
        String ids = files.keySet().stream().limit(10).map(id -> "'" + id + "'").collect(Collectors.joining(", "))
                + (n > 10 ? " and " + (n - 10) + " more" : "");
        String where = files.values().stream().flatMap(List::stream).distinct().sorted()
                .collect(Collectors.joining(", "));
        return "Cannot read results of sweep '" + sweep + "': " + n + (n == 1 ? " trial is" : " trials are")
                + " committed more than once (trial id" + (n == 1 ? " " : "s ") + ids + " in " + where + " under "
                + layout.tableDir(Tables.TRIALS, sweep) + "); expected each trial in one trials file, so that no "
                + "trial counts twice; run the sweep again with --overwrite";
    }

    /** The table's schema plus the partition column; typed explicitly so a sweep named "2024" stays a string. */
    public static StructType schema(Table<?> table) {
        return SparkSchemas.of(table).add("sweep", DataTypes.StringType, false);
    }

    private static Dataset<Row> view(SparkSession spark, OutputLayout layout, Table<?> table, List<String> sweeps,
                                     Configuration conf) throws IOException {
        // Only committed *.parquet files: anything else in a partition directory is not part of the contract.
        List<String> files = new ArrayList<>();
        for (String s : sweeps) {
            layout.committedFiles(table, s, conf).forEach(p -> files.add(p.toString()));
        }
        if (files.isEmpty()) {
            return spark.createDataFrame(List.of(), schema(table));
        }
        return spark.read().schema(schema(table))
                .option("basePath", new Path(layout.root(), table.name()).toString())
                .parquet(files.toArray(String[]::new));
    }

    /** Names of the sweeps with committed files in any table, sorted. */
    static List<String> sweeps(OutputLayout layout, Configuration conf) throws IOException {
        TreeSet<String> names = new TreeSet<>();
        FileSystem fs = layout.root().getFileSystem(conf);
        for (Table<?> table : Tables.ALL) {
            Path dir = new Path(layout.root(), table.name());
            if (!fs.isDirectory(dir)) {
                continue;
            }
            for (FileStatus s : fs.listStatus(dir)) {
                String name = s.getPath().getName();
                if (s.isDirectory() && name.startsWith("sweep=")
                        && !layout.committedFiles(table, name.substring(6), conf).isEmpty()) {
                    names.add(name.substring(6));
                }
            }
        }
        return List.copyOf(names);
    }
}
