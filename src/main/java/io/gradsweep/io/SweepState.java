package io.gradsweep.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What a sweep has already committed, for {@code --resume}. A batch counts as committed exactly when its
 * {@code trials} file exists, since commit publishes that file last, and it counts as done when its files verify
 * ({@link PartCheck}). Files of the other tables whose batch has no trials file are leftovers of a driver that died
 * mid-commit: they must be removed before anything re-runs, or their rows would be visible twice. Batches whose files
 * do not verify are neither: only {@code --repair} removes them, so that damage is never repaired unasked.
 */
public record SweepState(Map<String, List<String>> committedBatches, List<Path> orphans, PartCheck.Result check) {

    public static SweepState scan(OutputLayout layout, String sweep, Configuration conf) throws IOException {
        PartCheck.Result check = PartCheck.check(layout, sweep, conf);
        Set<String> withTrials = new HashSet<>(check.verified().keySet());
        withTrials.addAll(check.damagedBatches());
        List<Path> orphans = new ArrayList<>();
        for (Table<?> table : Tables.ALL) {
            for (Path file : layout.committedFiles(table, sweep, conf)) {
                if (!withTrials.contains(batchKey(file))) {
                    orphans.add(file);
                }
            }
        }
        return new SweepState(check.verified(), orphans, check);
    }

    public List<PartCheck.Damage> damage() {
        return check.damage();
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
        return committedBatches.isEmpty() && orphans.isEmpty() && check.damage().isEmpty();
    }

    /** Deletes the orphans and every staged attempt of the sweep; call only under the sweep's {@link SweepLock}. */
    public void removeLeftovers(OutputLayout layout, String sweep, Configuration conf) throws IOException {
        for (Path orphan : orphans) {
            delete(orphan, conf);
        }
        Path staging = layout.stagingDir(sweep);
        staging.getFileSystem(conf).delete(staging, true);
    }

    /**
     * Deletes every table's part of each batch that does not verify, so that its trials count as never committed
     * and run again; call only under the sweep's {@link SweepLock}.
     */
    public void removeDamaged(OutputLayout layout, String sweep, Configuration conf) throws IOException {
        for (String batch : check.damagedBatches()) {
            for (Table<?> table : Tables.ALL) {
                delete(layout.committedFile(table, sweep, batch), conf);
            }
        }
    }

    private static void delete(Path file, Configuration conf) throws IOException {
        FileSystem fs = file.getFileSystem(conf);
        fs.delete(file, false);
        fs.delete(new Path(file.getParent(), "." + file.getName() + ".crc"), false);
    }

    static String batchKey(Path committedFile) {
        String name = committedFile.getName();
        return name.substring("part-".length(), name.length() - ".parquet".length());
    }
}
