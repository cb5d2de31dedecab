package io.gradsweep.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Where everything lives under an output root:
 * <pre>
 *   ROOT/&lt;table&gt;/sweep=&lt;name&gt;/part-&lt;batch&gt;.parquet       committed, visible to SQL
 *   ROOT/_staging/sweep=&lt;name&gt;/&lt;batch&gt;.&lt;attempt&gt;/&lt;table&gt;.parquet.tmp   in progress, never visible
 *   ROOT/_locks/sweep=&lt;name&gt;.lock                             the driver working on the sweep, see SweepLock
 * </pre>
 * Staged files neither sit under a table directory nor end in {@code .parquet}, so neither Spark nor a
 * {@code ROOT/**}{@code /*.parquet} glob in DuckDB can pick them up.
 */
public record OutputLayout(Path root) {

    public static OutputLayout of(String uri) {
        return new OutputLayout(new Path(uri));
    }

    public Path tableDir(Table<?> table, String sweep) {
        return new Path(new Path(root, table.name()), "sweep=" + sweep);
    }

    public Path committedFile(Table<?> table, String sweep, String batchKey) {
        return new Path(tableDir(table, sweep), "part-" + batchKey + ".parquet");
    }

    public Path stagingDir(String sweep) {
        return new Path(new Path(root, "_staging"), "sweep=" + sweep);
    }

    public Path stagingDir(String sweep, String batchKey, String attempt) {
        return new Path(stagingDir(sweep), batchKey + "." + attempt);
    }

    /** Kept out of {@link #stagingDir}, which --resume and --overwrite delete, and out of the table directories. */
    public Path lockFile(String sweep) {
        return new Path(new Path(root, "_locks"), "sweep=" + sweep + ".lock");
    }

    public Path stagedFile(Path attemptDir, Table<?> table) {
        return new Path(attemptDir, table.name() + ".parquet.tmp");
    }

    /** Committed Parquet files of one table and sweep; empty when the sweep has not written it. */
    public List<Path> committedFiles(Table<?> table, String sweep, Configuration conf) throws IOException {
        Path dir = tableDir(table, sweep);
        FileSystem fs = dir.getFileSystem(conf);
        List<Path> files = new ArrayList<>();
        if (fs.exists(dir)) {
            for (FileStatus s : fs.listStatus(dir)) {
                if (s.isFile() && s.getPath().getName().endsWith(".parquet")) {
                    files.add(s.getPath());
                }
            }
        }
        return files;
    }

    /** Drops the sweep's staging directory once nothing is staged in it any more. */
    public void removeStagingIfEmpty(String sweep, Configuration conf) throws IOException {
        Path dir = stagingDir(sweep);
        FileSystem fs = dir.getFileSystem(conf);
        if (fs.exists(dir) && fs.listStatus(dir).length == 0) {
            fs.delete(dir, false);
        }
    }

    /** Removes every table partition and the staging area of one sweep (for --overwrite). */
    public void deleteSweep(String sweep, Configuration conf) throws IOException {
        FileSystem fs = root.getFileSystem(conf);
        for (Table<?> t : Tables.ALL) {
            fs.delete(tableDir(t, sweep), true);
        }
        fs.delete(stagingDir(sweep), true);
    }
}
