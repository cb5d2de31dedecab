package io.gradsweep.tabular;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The files of a user table: one CSV or Parquet file, or a directory of part files read in name order (as Spark
 * writes them). Everything goes through the Hadoop FileSystem API, so a path may be local, {@code hdfs://} or
 * {@code s3a://}.
 */
public record TableFiles(String path, String format, List<Part> parts) {
    public static final List<String> FORMATS = List.of("csv", "parquet");

    /** One file, and how messages name it: the user's path, plus the part's name inside a directory. */
    public record Part(Path file, String display) {
    }

    public TableFiles {
        if (!FORMATS.contains(format) || parts.isEmpty()) {
            throw new IllegalArgumentException("invalid table files " + path);
        }
        parts = List.copyOf(parts);
    }

    /** {@code format} may be null: it is then taken from the file extensions. */
    public static TableFiles resolve(String path, String format, Configuration conf) {
        Path p;
        FileSystem fs;
        FileStatus status;
        try {
            p = new Path(path);
            fs = p.getFileSystem(conf);
            status = fs.getFileStatus(p);
        } catch (FileNotFoundException e) {
            throw TableException.keyed("dataset.path", path, "an existing CSV or Parquet file, or a directory of "
                    + "part files");
        } catch (IOException | IllegalArgumentException e) { // Hadoop's Path refuses some names, e.g. "a:b"
            throw TableException.keyed("dataset.path", path, "a readable file or directory (" + e.getMessage() + ")");
        }
        if (!status.isDirectory()) {
            String f = format != null ? format : formatOf(p.getName());
            if (f == null) {
                throw TableException.keyed("dataset.format", null, "csv or parquet, since '" + p.getName()
                        + "' ends in neither .csv nor .parquet");
            }
            return new TableFiles(path, f, List.of(new Part(p, path)));
        }
        return directory(path, format, fs, p);
    }

    /** Part files are the visible {@code *.csv} or {@code *.parquet} files; Spark's _SUCCESS and .crc files are not. */
    private static TableFiles directory(String path, String format, FileSystem fs, Path dir) {
        List<FileStatus> files = new ArrayList<>();
        try {
            for (FileStatus s : fs.listStatus(dir)) {
                String name = s.getPath().getName();
                if (s.isFile() && !name.startsWith("_") && !name.startsWith(".") && formatOf(name) != null) {
                    files.add(s);
                }
            }
        } catch (IOException e) {
            throw TableException.keyed("dataset.path", path, "a readable directory (" + e.getMessage() + ")");
        }
        files.sort(Comparator.comparing(s -> s.getPath().getName()));
        Set<String> found = new TreeSet<>();
        files.forEach(s -> found.add(formatOf(s.getPath().getName())));
        String f = format;
        if (f == null && found.size() > 1) {
            throw TableException.keyed("dataset.format", null, "csv or parquet, since '" + path
                    + "' holds both .csv and .parquet files");
        }
        if (f == null && found.size() == 1) {
            f = found.iterator().next();
        }
        String wanted = f;
        List<Part> parts = files.stream().filter(s -> formatOf(s.getPath().getName()).equals(wanted))
                .map(s -> new Part(s.getPath(), display(path, s.getPath().getName()))).toList();
        if (parts.isEmpty()) {
            throw TableException.keyed("dataset.path", path, "a directory of "
                    + (wanted == null ? ".csv or .parquet" : "." + wanted) + " part files; it has none");
        }
        return new TableFiles(path, wanted, parts);
    }

    static String formatOf(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        return name.endsWith(".csv") ? "csv" : name.endsWith(".parquet") ? "parquet" : null;
    }

    private static String display(String dir, String name) {
        return dir.endsWith("/") ? dir + name : dir + "/" + name;
    }

    /**
     * The Hadoop configuration for reading before any SparkSession exists (the spec is validated first). Like
     * Spark's own, it takes {@code spark.hadoop.*} properties, so S3A credentials given to spark-submit also reach
     * this early read.
     */
    public static Configuration defaultConf() {
        Configuration conf = new Configuration();
        for (Map.Entry<Object, Object> e : System.getProperties().entrySet()) {
            String key = String.valueOf(e.getKey());
            if (key.startsWith("spark.hadoop.")) {
                conf.set(key.substring("spark.hadoop.".length()), String.valueOf(e.getValue()));
            }
        }
        return conf;
    }
}
