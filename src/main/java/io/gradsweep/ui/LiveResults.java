package io.gradsweep.ui;

import io.gradsweep.InvalidInputException;
import io.gradsweep.analysis.DuckResults;
import io.gradsweep.io.OutputLayout;
import io.gradsweep.io.Tables;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The result views of one results directory, kept current while a sweep commits. DuckDB's views name their files
 * when they are made ({@link DuckResults}), so what the explorer shows is always the set of parts committed at one
 * moment. A batch's trials part is committed last, so the list of trials parts (name and length) is the cheap test
 * of whether anything was committed since: only then are the views made again. All access is serialised: one
 * DuckDB connection serves one statement at a time.
 */
final class LiveResults implements AutoCloseable {
    /** A statement over the views; null when no sweep has committed anything yet. */
    interface Read<T> {
        T apply(Connection c) throws SQLException;
    }

    private final String out;
    private final OutputLayout layout;
    private final Configuration conf = new Configuration();
    private DuckResults db;
    private List<String> committed = List.of();
    private int version;
    private String error;

    LiveResults(String out) {
        this.out = out;
        this.layout = OutputLayout.of(out);
    }

    /** Runs {@code read} on views of what is committed now; with nothing committed, {@code read} gets null. */
    synchronized <T> T read(Read<T> read) throws SQLException {
        refresh();
        return read.apply(db == null ? null : db.connection());
    }

    /** How many trials parts are committed, and how often the views changed (the page reloads when it does). */
    record State(int parts, int version, String error) {
    }

    synchronized State state() {
        refresh();
        return new State(committed.size(), version, error);
    }

    private void refresh() {
        List<String> now;
        try {
            now = trialsParts();
        } catch (IOException e) {
            error = "Cannot list the results under " + out + ": " + e.getMessage();
            return;
        }
        if (now.equals(committed) && (db != null || now.isEmpty())) {
            return;
        }
        closeViews();
        try {
            db = now.isEmpty() ? null : DuckResults.open(out, null, null);
            error = null;
        } catch (InvalidInputException | IllegalStateException e) {
            error = e.getMessage(); // a damaged part, say: shown on the page until a commit changes the listing
        }
        committed = now;
        version++;
    }

    /** {@code sweep/part-name/length} of every committed trials part, sorted. */
    private List<String> trialsParts() throws IOException {
        List<String> parts = new ArrayList<>();
        Path dir = new Path(layout.root(), Tables.TRIALS.name());
        FileSystem fs = dir.getFileSystem(conf);
        if (!fs.isDirectory(dir)) {
            return parts;
        }
        for (FileStatus s : fs.listStatus(dir)) {
            String name = s.getPath().getName();
            if (s.isDirectory() && name.startsWith("sweep=")) {
                for (Path p : layout.committedFiles(Tables.TRIALS, name.substring(6), conf)) {
                    parts.add(name.substring(6) + "/" + p.getName() + "/" + fs.getFileStatus(p).getLen());
                }
            }
        }
        parts.sort(null);
        return List.copyOf(parts);
    }

    private void closeViews() {
        if (db != null) {
            db.close();
            db = null;
        }
    }

    @Override
    public synchronized void close() {
        closeViews();
    }
}
