package io.gradsweep.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;

/**
 * What a sweep has already committed, for {@code --resume}. A batch counts as committed exactly when its
 * {@code trials} file exists, since commit publishes that file last. Files of the other tables whose batch has no
 * trials file are leftovers of a driver that died mid-commit: they must be removed before anything re-runs, or
 * their rows would be visible twice.
 */
public record SweepState(Map<String, List<String>> committedBatches, List<Path> orphans) {

    public static SweepState scan(OutputLayout layout, String sweep, Configuration conf) throws IOException {
        Map<String, List<String>> committed = new LinkedHashMap<>();
        for (Path file : layout.committedFiles(Tables.TRIALS, sweep, conf)) {
            committed.put(batchKey(file), trialIds(file, conf));
        }
        List<Path> orphans = new ArrayList<>();
        for (Table<?> table : Tables.ALL) {
            for (Path file : layout.committedFiles(table, sweep, conf)) {
                if (!committed.containsKey(batchKey(file))) {
                    orphans.add(file);
                }
            }
        }
        return new SweepState(committed, orphans);
    }

    public Set<String> committedTrialIds() {
        Set<String> ids = new HashSet<>();
        committedBatches.values().forEach(ids::addAll);
        return ids;
    }

    /**
     * Trial ids that more than one committed trials row holds, each with the files holding it, sorted. Well-behaved
     * drivers never produce any; two drivers on one sweep without the lock (or an older gradsweep) could.
     */
    public SortedMap<String, List<String>> duplicatedTrials() {
        SortedMap<String, List<String>> files = new TreeMap<>();
        committedBatches.forEach((batch, ids) -> ids.forEach(id -> files.computeIfAbsent(id, k -> new ArrayList<>())
                .add("part-" + batch + ".parquet")));
        files.values().removeIf(f -> f.size() < 2);
        files.values().forEach(f -> f.sort(null));
        return files;
    }

    public boolean isEmpty() {
        return committedBatches.isEmpty() && orphans.isEmpty();
    }

    /** Deletes the orphans and every staged attempt of the sweep; call only under the sweep's {@link SweepLock}. */
    public void removeLeftovers(OutputLayout layout, String sweep, Configuration conf) throws IOException {
        for (Path orphan : orphans) {
            FileSystem fs = orphan.getFileSystem(conf);
            fs.delete(orphan, false);
            fs.delete(new Path(orphan.getParent(), "." + orphan.getName() + ".crc"), false);
        }
        Path staging = layout.stagingDir(sweep);
        staging.getFileSystem(conf).delete(staging, true);
    }

    static String batchKey(Path committedFile) {
        String name = committedFile.getName();
        return name.substring("part-".length(), name.length() - ".parquet".length());
    }

    private static List<String> trialIds(Path file, Configuration conf) throws IOException {
        List<String> ids = new ArrayList<>();
        try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), file).withConf(conf).build()) {
            for (Group g = reader.read(); g != null; g = reader.read()) {
                ids.add(g.getString("trial_id", 0));
            }
        }
        return ids;
    }
}
